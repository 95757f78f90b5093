import Foundation
import Testing

/// `bsp-components` (per-partition union-find over the BSP API) against the sequential oracle, with 1, 2 and 3
/// worker processes; the parameter cases (partitions, the comparison with `connectedcomponents`) run in-process
/// in `InProcessGraphOracleTests`.
@Suite struct BSPComponentsTests {
    private func run(_ job: String = "bsp-components", workers: Int, partitions: Int = 5, _ extra: [String] = [], in dir: TemporaryDirectory) throws
        -> [String]
    {
        let result = try SpindleProcess.run(
            [
                "run", job, "--input", dir.file("g"), "--output", dir.file("out"), "--workers", "\(workers)", "--split-size", "16KiB",
                "--partitions", "\(partitions)",
            ] + extra,
            in: dir.path)
        #expect(result.exitCode == 0, "stderr: \(result.stderr)")
        return try JobOutput(directory: dir.file("out")).lines()
    }

    @Test(arguments: [1, 2, 3])
    func componentsMatchTheOracleExactly(workers: Int) throws {
        let dir = try TemporaryDirectory()
        let files = try BSPFixtures.writeGraphs(dir, seed: 40 + UInt64(workers))
        let expected = PregelOracle.connectedComponents(try OracleGraph(contentsOf: files))
        let lines = try run(workers: workers, in: dir)
        #expect(try PregelOutput.labels(lines) == expected)
        #expect(lines.count == expected.count, "every vertex is written exactly once")
        #expect(Set(expected.values).count > 10, "the fixture needs many components")
    }

    @Test func withoutInputRunsOnTheShippedSampleGraph() throws {
        let dir = try TemporaryDirectory()
        let result = try SpindleProcess.run(["run", "bsp-components", "--output", dir.file("out"), "--workers", "2"], in: dir.path)
        #expect(result.exitCode == 0, "stderr: \(result.stderr)")
        let expected = PregelOracle.connectedComponents(
            try OracleGraph(contentsOf: FileManager.default.currentDirectoryPath + "/Datasets/sample-graph.txt"))
        #expect(try PregelOutput.labels(JobOutput(directory: dir.file("out")).lines()) == expected)
    }

    @Test func malformedEdgeLineIsAnErrorNamingFileAndLineOrIsSkipped() throws {
        let dir = try TemporaryDirectory()
        try GraphFixtures.write("# header\n1 2\n2 3\n3 x4\n4 1\n", to: dir.file("g/bad.txt"))
        let result = try SpindleProcess.run(
            ["run", "bsp-components", "--input", dir.file("g"), "--output", dir.file("out"), "--workers", "1"], in: dir.path)
        #expect(result.exitCode == 2, "bad input fails at its first attempt with exit code 2")
        #expect(result.stderr.contains("malformed record at \(dir.file("g/bad.txt")):4: 'x4' is not an integer"), "stderr: \(result.stderr)")
        let skipped = try SpindleProcess.run(
            ["run", "bsp-components", "--input", dir.file("g"), "--output", dir.file("out2"), "--workers", "1", "--skip-bad-records"], in: dir.path)
        #expect(skipped.exitCode == 0, "stderr: \(skipped.stderr)")
        #expect(try JobOutput(directory: dir.file("out2")).counters()["input.skipped.records"] == 1)
        #expect(try PregelOutput.labels(JobOutput(directory: dir.file("out2")).lines()) == [1: 1, 2: 1, 3: 1, 4: 1])
    }
}
