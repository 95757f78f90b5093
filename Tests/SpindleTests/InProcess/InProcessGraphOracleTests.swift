import Foundation
import Testing

/// The built-in Pregel and BSP jobs in-process (1, 2 and 3 worker threads) against the sequential oracles,
/// over the parameter cases; `PregelJobsTests` and `BSPComponentsTests` run each job with 1, 2 and 3 worker
/// processes.
@Suite struct InProcessGraphOracleTests {
    /// The skewed R-MAT fixture over two files plus the hand-made graph (as `PregelJobsTests` writes it).
    private func writeGraphs(_ dir: TemporaryDirectory, seed: UInt64, weighted: Bool = false) throws -> [String] {
        let edges = GraphFixtures.rmat(scale: 9, edgeFactor: 8, seed: seed, weighted: weighted, extremeIds: true)
        let half = edges.count / 2
        let a = try GraphFixtures.write(GraphFixtures.snapText(Array(edges[..<half]), title: "part a", weighted: weighted), to: dir.file("g/a.txt"))
        let b = try GraphFixtures.write(GraphFixtures.snapText(Array(edges[half...]), title: "part b", weighted: weighted), to: dir.file("g/b.txt"))
        let c = try GraphFixtures.write(GraphFixtures.handMadeText, to: dir.file("g/c.txt"))
        return [a, b, c]
    }

    private func run(_ job: String, workers: Int, partitions: Int, _ extra: [String] = [], in dir: TemporaryDirectory) throws -> [String] {
        try InProcessRun.run(
            [job, "--input", dir.file("g"), "--output", dir.file("out"), "--split-size", "16KiB", "--partitions", "\(partitions)"] + extra,
            workers: workers)
        return try JobOutput(directory: dir.file("out")).lines()
    }

    @Test(arguments: [1, 2, 3], [1, 5, 8])
    func pageRankMatchesReferenceWithin1e9(workers: Int, partitions: Int) throws {
        let dir = try TemporaryDirectory()
        let files = try writeGraphs(dir, seed: 700 + UInt64(workers * 10 + partitions))
        let expected = PregelOracle.pagerank(try OracleGraph(contentsOf: files))
        let actual = try PregelOutput.numbers(try run("pagerank", workers: workers, partitions: partitions, in: dir))
        #expect(PregelOutput.rankMismatches(expected: expected, actual: actual) == [])
    }

    @Test(arguments: [1, 2, 3])
    func pageRankWithToleranceStopsEarlyAndMatchesReference(workers: Int) throws {
        let dir = try TemporaryDirectory()
        let files = try writeGraphs(dir, seed: 9)
        let actual = try PregelOutput.numbers(
            try run("pagerank", workers: workers, partitions: 5, ["--param", "tolerance=1e-6", "--param", "iterations=200"], in: dir))
        let (expected, _) = PregelOracle.pagerank(try OracleGraph(contentsOf: files), tolerance: 1e-6, maxIterations: 200)
        #expect(PregelOutput.ranksAgree(expected, actual, relativeTolerance: 1e-9))
        #expect((try JobOutput(directory: dir.file("out")).counters()["pregel.supersteps"] ?? 0) < 200)
    }

    @Test(arguments: [1, 2, 3])
    func undirectedPageRankAddsReverseEdges(workers: Int) throws {
        let dir = try TemporaryDirectory()
        let files = try writeGraphs(dir, seed: 4 + UInt64(workers))
        let expected = PregelOracle.pagerank(try OracleGraph(contentsOf: files, undirected: true))
        let actual = try PregelOutput.numbers(try run("pagerank", workers: workers, partitions: 5, ["--param", "undirected=true"], in: dir))
        #expect(PregelOutput.rankMismatches(expected: expected, actual: actual) == [])
    }

    @Test(arguments: [1, 2, 3], [1, 5, 8])
    func connectedComponentsMatchReferenceExactly(workers: Int, partitions: Int) throws {
        let dir = try TemporaryDirectory()
        let (edges, _) = GraphFixtures.components(seed: 800 + UInt64(workers * 10 + partitions))
        let path = try GraphFixtures.write(GraphFixtures.snapText(edges, title: "components"), to: dir.file("g/components.txt"))
        let hand = try GraphFixtures.write(GraphFixtures.handMadeText, to: dir.file("g/hand.txt"))
        let expected = PregelOracle.connectedComponents(try OracleGraph(contentsOf: [path, hand]))
        #expect(try PregelOutput.labels(try run("connectedcomponents", workers: workers, partitions: partitions, in: dir)) == expected)
    }

    @Test(arguments: [1, 2, 3], [1, 5, 8])
    func shortestPathsMatchReferenceExactly(workers: Int, partitions: Int) throws {
        let dir = try TemporaryDirectory()
        let files = try writeGraphs(dir, seed: 900 + UInt64(workers * 10 + partitions), weighted: true)
        let graph = try OracleGraph(contentsOf: files)
        let source = graph.edges[0].source
        let expected = try PregelOutput.values(PregelOutput.ssspLines(PregelOracle.sssp(graph, source: source)))
        #expect(try PregelOutput.values(try run("sssp", workers: workers, partitions: partitions, ["--param", "source=\(source)"], in: dir)) == expected)
    }

    @Test(arguments: [1, 2, 3], [1, 5, 8])
    func bspComponentsMatchTheOracleExactly(workers: Int, partitions: Int) throws {
        let dir = try TemporaryDirectory()
        let files = try BSPFixtures.writeGraphs(dir, seed: 1000 + UInt64(workers * 10 + partitions))
        let expected = PregelOracle.connectedComponents(try OracleGraph(contentsOf: files))
        let lines = try run("bsp-components", workers: workers, partitions: partitions, in: dir)
        #expect(try PregelOutput.labels(lines) == expected)
        #expect(lines.count == expected.count, "every vertex is written exactly once")
    }

    @Test(arguments: [1, 2, 3])
    func bspComponentsWritesWhatConnectedComponentsWritesInFewerSupersteps(workers: Int) throws {
        let dir = try TemporaryDirectory()
        _ = try BSPFixtures.writeGraphs(dir, seed: 7 + UInt64(workers))
        try GraphFixtures.write(GraphFixtures.snapText(BSPFixtures.chain(length: 25, seed: 3), title: "chain"), to: dir.file("g/f.txt"))
        let bsp = try run("bsp-components", workers: workers, partitions: 4, in: dir)
        let bspSupersteps = try JobOutput(directory: dir.file("out")).counters()["bsp.supersteps"] ?? 0
        try FileManager.default.removeItem(atPath: dir.file("out"))
        let pregel = try run("connectedcomponents", workers: workers, partitions: 4, in: dir)
        #expect(bsp.sorted() == pregel.sorted())
        let pregelSupersteps = try JobOutput(directory: dir.file("out")).counters()["pregel.supersteps"] ?? 0
        #expect(bspSupersteps < pregelSupersteps, "union-find inside partitions saves supersteps: \(bspSupersteps) vs \(pregelSupersteps)")
    }

    @Test(arguments: [1, 2, 3])
    func bspComponentsWithOnePartitionNeedsOneSuperstep(workers: Int) throws {
        let dir = try TemporaryDirectory()
        let files = try BSPFixtures.writeGraphs(dir, seed: 2 + UInt64(workers))
        let lines = try run("bsp-components", workers: workers, partitions: 1, in: dir)
        #expect(try PregelOutput.labels(lines) == PregelOracle.connectedComponents(try OracleGraph(contentsOf: files)))
        let counters = try JobOutput(directory: dir.file("out")).counters()
        #expect(counters["bsp.supersteps"] == 1)
        #expect(counters["bsp.messages"] == 0)
    }
}
