import Foundation
import SpindleCore
import SpindlePosix
import Testing

/// Each built-in MapReduce job against its sequential reference, with 1, 2 and 3 worker processes (the real
/// thing); the parameter cases (lowercase, reducers, patterns, spilling, the default input) run in-process in
/// `InProcessMapReduceOracleTests`.
@Suite struct BuiltinJobsTests {
    private func run(_ job: String, workers: Int, _ extra: [String], in dir: TemporaryDirectory) throws -> JobOutput {
        let result = try SpindleProcess.run(
            ["run", job, "--input", dir.file("in"), "--output", dir.file("out"), "--workers", "\(workers)", "--split-size", "8KiB", "--reducers", "3"] + extra,
            in: dir.path)
        #expect(result.exitCode == 0, "stderr: \(result.stderr)")
        return JobOutput(directory: dir.file("out"))
    }

    @Test(arguments: [1, 2, 3])
    func wordCountMatchesReference(workers: Int) throws {
        let dir = try TemporaryDirectory()
        let files = try TextFixtures.write(into: dir.file("in"), seed: UInt64(workers))
        let output = try run("wordcount", workers: workers, [], in: dir)
        #expect(output.succeeded)
        #expect(try output.lines().sorted() == (try MapReduceOracle.wordCount(files, lowercase: false)).sorted())
        #expect(try output.eachPartIsSortedByKey())
        #expect(output.partFiles.count == 3)
    }

    @Test(arguments: [1, 2, 3])
    func invertedIndexMatchesReference(workers: Int) throws {
        let dir = try TemporaryDirectory()
        let files = try TextFixtures.write(into: dir.file("in"), seed: 7 + UInt64(workers))
        let output = try run("invertedindex", workers: workers, [], in: dir)
        #expect(try output.lines().sorted() == (try MapReduceOracle.invertedIndex(files)).sorted())
        #expect(try output.eachPartIsSortedByKey())
    }

    @Test(arguments: [1, 2, 3])
    func grepMatchesReferenceInInputOrder(workers: Int) throws {
        let dir = try TemporaryDirectory()
        let files = try TextFixtures.write(into: dir.file("in"), seed: 11 + UInt64(workers))
        let output = try run("grep", workers: workers, ["--param", "pattern=fox"], in: dir)
        let expected = try MapReduceOracle.grep(files, pattern: "fox")
        #expect(!expected.isEmpty)
        #expect(try output.lines() == expected)
    }

    @Test(arguments: [1, 2, 3])
    func sortedPartFilesInOrderAreTheSortedInput(workers: Int) throws {
        let dir = try TemporaryDirectory()
        let files = try TextFixtures.write(into: dir.file("in"), seed: 23 + UInt64(workers))
        let output = try run("sort", workers: workers, [], in: dir)
        #expect(try output.concatenated() == (try MapReduceOracle.sort(files)))
        #expect(output.partFiles.count == 3)
    }

}

/// The shipped sample corpus is exactly what the generator makes, so it can always be rebuilt.
@Suite struct SampleDataTests {
    @Test func shippedSampleEqualsGeneratorOutput() throws {
        let dir = try TemporaryDirectory()
        let result = try SpindleProcess.run(["generate", "text", "--size", "1MiB", "--seed", "1", dir.file("sample.txt")], in: dir.path)
        #expect(result.exitCode == 0, "stderr: \(result.stderr)")
        let shipped = try Data(contentsOf: URL(fileURLWithPath: FileManager.default.currentDirectoryPath + "/Datasets/sample-text.txt"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: dir.file("sample.txt"))) == shipped)
    }
}

extension SampleDataTests {
    @Test func shippedSampleGraphEqualsGeneratorOutput() throws {
        let dir = try TemporaryDirectory()
        let result = try SpindleProcess.run(
            ["generate", "graph", "--rmat", "--scale", "12", "--edge-factor", "8", "--seed", "1", dir.file("graph.txt")], in: dir.path)
        #expect(result.exitCode == 0, "stderr: \(result.stderr)")
        let shipped = try Data(contentsOf: URL(fileURLWithPath: FileManager.default.currentDirectoryPath + "/Datasets/sample-graph.txt"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: dir.file("graph.txt"))) == shipped)
    }
}
