import Foundation
import SpindlePosix
import Testing

/// The built-in Pregel jobs against sequential references, with 1, 2 and 3 worker processes (the real thing);
/// the parameter cases (partitions, tolerance, undirected) run in-process in `InProcessGraphOracleTests`.
@Suite struct PregelJobsTests {
    /// Writes the skewed R-MAT fixture (sparse, negative and extreme ids, self-loops, duplicates, dangling
    /// vertices) split over two files, plus the hand-made graph; returns the paths.
    private func writeGraphs(_ dir: TemporaryDirectory, seed: UInt64, weighted: Bool = false) throws -> [String] {
        let edges = GraphFixtures.rmat(scale: 9, edgeFactor: 8, seed: seed, weighted: weighted, extremeIds: true)
        let half = edges.count / 2
        let a = try GraphFixtures.write(GraphFixtures.snapText(Array(edges[..<half]), title: "part a", weighted: weighted), to: dir.file("g/a.txt"))
        let b = try GraphFixtures.write(GraphFixtures.snapText(Array(edges[half...]), title: "part b", weighted: weighted), to: dir.file("g/b.txt"))
        let c = try GraphFixtures.write(GraphFixtures.handMadeText, to: dir.file("g/c.txt"))
        return [a, b, c]
    }

    private func run(_ job: String, workers: Int, _ extra: [String], in dir: TemporaryDirectory) throws -> [String] {
        let result = try SpindleProcess.run(
            ["run", job, "--input", dir.file("g"), "--output", dir.file("out"), "--workers", "\(workers)", "--split-size", "16KiB",
             "--partitions", "5"] + extra,
            in: dir.path)
        #expect(result.exitCode == 0, "stderr: \(result.stderr)")
        return try JobOutput(directory: dir.file("out")).lines()
    }

    @Test(arguments: [1, 2, 3])
    func pageRankMatchesReferenceWithin1e9(workers: Int) throws {
        let dir = try TemporaryDirectory()
        let files = try writeGraphs(dir, seed: UInt64(workers))
        let expected = PregelOracle.pagerank(try OracleGraph(contentsOf: files))
        let actual = try PregelOutput.numbers(try run("pagerank", workers: workers, [], in: dir))
        #expect(PregelOutput.rankMismatches(expected: expected, actual: actual) == [])
    }

    @Test(arguments: [1, 2, 3])
    func connectedComponentsMatchReferenceExactly(workers: Int) throws {
        let dir = try TemporaryDirectory()
        let (edges, _) = GraphFixtures.components(seed: UInt64(workers))
        let path = try GraphFixtures.write(GraphFixtures.snapText(edges, title: "components"), to: dir.file("g/components.txt"))
        _ = try GraphFixtures.write(GraphFixtures.handMadeText, to: dir.file("g/hand.txt"))
        let expected = PregelOracle.connectedComponents(try OracleGraph(contentsOf: [path, dir.file("g/hand.txt")]))
        #expect(try PregelOutput.labels(try run("connectedcomponents", workers: workers, [], in: dir)) == expected)
    }

    @Test(arguments: [1, 2, 3])
    func shortestPathsMatchReferenceExactly(workers: Int) throws {
        let dir = try TemporaryDirectory()
        let files = try writeGraphs(dir, seed: 30 + UInt64(workers), weighted: true)
        let graph = try OracleGraph(contentsOf: files)
        let source = graph.edges[0].source
        let expected = try PregelOutput.values(PregelOutput.ssspLines(PregelOracle.sssp(graph, source: source)))
        #expect(try PregelOutput.values(try run("sssp", workers: workers, ["--param", "source=\(source)"], in: dir)) == expected)
    }

    @Test func malformedEdgeLineIsAnErrorNamingFileAndLine() throws {
        let dir = try TemporaryDirectory()
        _ = try GraphFixtures.write("# header\n1 2\n2 3\n3 x4\n4 1\n", to: dir.file("g/bad.txt"))
        let result = try SpindleProcess.run(
            ["run", "connectedcomponents", "--input", dir.file("g"), "--output", dir.file("out"), "--workers", "1"], in: dir.path)
        #expect(result.exitCode == 2, "bad input fails at its first attempt with exit code 2")
        #expect(result.stderr.contains("malformed edge at \(dir.file("g/bad.txt")):4: 'x4' is not an integer"), "stderr: \(result.stderr)")
        let skipped = try SpindleProcess.run(
            ["run", "connectedcomponents", "--input", dir.file("g"), "--output", dir.file("out2"), "--workers", "1", "--skip-bad-records"], in: dir.path)
        #expect(skipped.exitCode == 0, "stderr: \(skipped.stderr)")
        #expect(try JobOutput(directory: dir.file("out2")).counters()["input.skipped.records"] == 1)
        #expect(try PregelOutput.labels(JobOutput(directory: dir.file("out2")).lines()) == [1: 1, 2: 1, 3: 1, 4: 1])
    }

    @Test func pageRankWithoutInputRunsOnTheShippedSampleGraph() throws {
        let dir = try TemporaryDirectory()
        let result = try SpindleProcess.run(["run", "pagerank", "--output", dir.file("out"), "--workers", "2"], in: dir.path)
        #expect(result.exitCode == 0, "stderr: \(result.stderr)")
        let expected = PregelOracle.pagerank(try OracleGraph(contentsOf: FileManager.default.currentDirectoryPath + "/Datasets/sample-graph.txt"))
        #expect(PregelOutput.rankMismatches(expected: expected, actual: try PregelOutput.numbers(JobOutput(directory: dir.file("out")).lines())) == [])
    }
}

/// Combiner, aggregators, master compute and vote-to-halt, each on its own.
@Suite struct PregelFeatureTests {
    private func run(_ job: String, _ extra: [String], in dir: TemporaryDirectory) throws -> JobOutput {
        let result = try TestJobsBinary.run(
            ["run", job, "--input", dir.file("g"), "--output", dir.file("out"), "--workers", "2", "--partitions", "4"] + extra, in: dir.path)
        #expect(result.exitCode == 0, "stderr: \(result.stderr)")
        return JobOutput(directory: dir.file("out"))
    }

    private func inDegrees(_ graph: OracleGraph) -> [Int64: Int] {
        var degrees: [Int64: Int] = [:]
        for v in graph.vertices { degrees[v] = 0 }
        for e in graph.edges { degrees[e.target, default: 0] += 1 }
        return degrees
    }

    @Test func combinerMergesMessagesOnTheSenderWithoutLosingAny() throws {
        let dir = try TemporaryDirectory()
        let path = try GraphFixtures.write(GraphFixtures.snapText(GraphFixtures.rmat(scale: 8, edgeFactor: 16, seed: 5), title: "skewed"), to: dir.file("g/g.txt"))
        let degrees = inDegrees(try OracleGraph(contentsOf: path))
        let combined = try PregelOutput.numbers(try run("combinertest", [], in: dir).lines())
        try FileSystem.removeTree(dir.file("out"))
        let plain = try PregelOutput.numbers(try run("nocombinertest", [], in: dir).lines())
        for (v, d) in degrees {
            let (c, s) = (Int(combined[v]! / 1_000_000), Int(combined[v]!.truncatingRemainder(dividingBy: 1_000_000)))
            let (pc, ps) = (Int(plain[v]! / 1_000_000), Int(plain[v]!.truncatingRemainder(dividingBy: 1_000_000)))
            #expect(s == d && ps == d, "vertex \(v): sums \(s) / \(ps), in-degree \(d)")
            #expect(pc == d, "without a combiner vertex \(v) must get one message per in-edge")
            #expect(c <= min(d, 4), "with a combiner vertex \(v) gets at most one message per sending partition")
        }
        #expect(degrees.values.contains { $0 > 4 }, "the fixture needs vertices with many in-edges")
    }

    @Test func aggregatorsMasterComputeStateAndHaltingWork() throws {
        let dir = try TemporaryDirectory()
        let path = try GraphFixtures.write(GraphFixtures.handMadeText, to: dir.file("g/g.txt"))
        let graph = try OracleGraph(contentsOf: path)
        let output = try run("mastertest", [], in: dir)
        #expect(try PregelOutput.numbers(output.lines()) == Dictionary(uniqueKeysWithValues: graph.vertices.map { ($0, 28.0) }))
        let success = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir.file("out/_SUCCESS")))) as! [String: Any]
        let aggregates = success["aggregators"] as! [String: Double]
        #expect(aggregates["one"] == Double(graph.vertices.count))
        #expect(aggregates["vertices"] == Double(graph.vertices.count))
        #expect(aggregates["smallest"] == Double(graph.vertices.min()!))
        #expect(aggregates["largest"] == Double(graph.vertices.max()!))
        #expect(try output.counters()["pregel.supersteps"] == 8, "master compute halts after superstep 7")
    }

    @Test func haltedVerticesAreReactivatedByMessages() throws {
        // In sssp every vertex votes to halt in every superstep; only messages wake them up.
        let dir = try TemporaryDirectory()
        let path = try GraphFixtures.write(GraphFixtures.snapText((0..<30).map { OracleGraph.Edge(source: Int64($0), target: Int64($0 + 1), weight: 1) }, title: "chain"), to: dir.file("g/g.txt"))
        _ = path
        let result = try SpindleProcess.run(
            ["run", "sssp", "--input", dir.file("g"), "--output", dir.file("out"), "--workers", "2", "--param", "source=0"], in: dir.path)
        #expect(result.exitCode == 0, "stderr: \(result.stderr)")
        let output = JobOutput(directory: dir.file("out"))
        #expect(try PregelOutput.numbers(output.lines()) == Dictionary(uniqueKeysWithValues: (0...30).map { (Int64($0), Double($0)) }))
        // Supersteps 0...30: the last one reaches vertex 30, which sends nothing, so the job halts after it.
        #expect(try output.counters()["pregel.supersteps"] == 31)
    }
}
