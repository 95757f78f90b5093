import Foundation
import Testing

/// The built-in MapReduce jobs in-process (1, 2 and 3 worker threads) against their sequential references,
/// over the parameter cases; `BuiltinJobsTests` runs each job with 1, 2 and 3 worker processes.
@Suite struct InProcessMapReduceOracleTests {
    private func run(_ job: String, workers: Int, _ extra: [String], in dir: TemporaryDirectory) throws -> JobOutput {
        try InProcessRun.run([job, "--input", dir.file("in"), "--output", dir.file("out"), "--split-size", "8KiB"] + extra, workers: workers)
        return JobOutput(directory: dir.file("out"))
    }

    @Test(arguments: [1, 2, 3], [1, 3, 7])
    func wordCountMatchesReference(workers: Int, reducers: Int) throws {
        let dir = try TemporaryDirectory()
        let files = try TextFixtures.write(into: dir.file("in"), seed: 200 + UInt64(workers * 10 + reducers))
        let output = try run("wordcount", workers: workers, ["--reducers", "\(reducers)"], in: dir)
        #expect(try output.lines().sorted() == (try MapReduceOracle.wordCount(files, lowercase: false)).sorted())
        #expect(try output.eachPartIsSortedByKey())
        #expect(output.partFiles.count == reducers)
    }

    @Test(arguments: [1, 2, 3])
    func wordCountLowercaseMatchesReference(workers: Int) throws {
        let dir = try TemporaryDirectory()
        let files = try TextFixtures.write(into: dir.file("in"), seed: 42 + UInt64(workers))
        let output = try run("wordcount", workers: workers, ["--param", "lowercase=true", "--reducers", "3"], in: dir)
        #expect(try output.lines().sorted() == (try MapReduceOracle.wordCount(files, lowercase: true)).sorted())
    }

    @Test(arguments: [1, 2, 3])
    func spillingUnderASmallMemoryBudgetGivesTheSameOutput(workers: Int) throws {
        let dir = try TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: dir.file("in"), withIntermediateDirectories: true)
        // Many distinct keys so that a 1 MiB budget forces several spills per map task.
        var text = ""
        for i in 0..<60_000 { text += "w\(letters(i)) common\n" }
        try text.write(toFile: dir.file("in/big.txt"), atomically: true, encoding: .utf8)
        try InProcessRun.run(
            ["wordcount", "--input", dir.file("in"), "--output", dir.file("out"), "--memory", "1MiB", "--reducers", "2"], workers: workers)
        let output = JobOutput(directory: dir.file("out"))
        #expect(try output.lines().sorted() == (try MapReduceOracle.wordCount([dir.file("in/big.txt")], lowercase: false)).sorted())
        let counters = try output.counters()
        #expect(counters["map.spills"] ?? 0 > 1, "counters: \(counters)")
    }

    @Test(arguments: [1, 2, 3])
    func wordCountWithoutInputCountsTheShippedSample(workers: Int) throws {
        let dir = try TemporaryDirectory()
        try InProcessRun.run(["wordcount", "--output", dir.file("out")], workers: workers)
        #expect(try JobOutput(directory: dir.file("out")).counters()["map.input.bytes"] == 1 << 20)
    }

    @Test(arguments: [1, 2, 3], [1, 4])
    func invertedIndexMatchesReference(workers: Int, reducers: Int) throws {
        let dir = try TemporaryDirectory()
        let files = try TextFixtures.write(into: dir.file("in"), seed: 300 + UInt64(workers * 10 + reducers))
        let output = try run("invertedindex", workers: workers, ["--reducers", "\(reducers)"], in: dir)
        #expect(try output.lines().sorted() == (try MapReduceOracle.invertedIndex(files)).sorted())
        #expect(try output.eachPartIsSortedByKey())
    }

    @Test(arguments: [1, 2, 3], ["fox", "Straße", "日本", "no such text"])
    func grepMatchesReferenceInInputOrder(workers: Int, pattern: String) throws {
        let dir = try TemporaryDirectory()
        let files = try TextFixtures.write(into: dir.file("in"), seed: 400 + UInt64(workers))
        let output = try run("grep", workers: workers, ["--param", "pattern=\(pattern)", "--reducers", "3"], in: dir)
        #expect(try output.lines() == (try MapReduceOracle.grep(files, pattern: pattern)))
    }

    @Test(arguments: [1, 2, 3], [1, 3, 5])
    func sortedPartFilesInOrderAreTheSortedInput(workers: Int, reducers: Int) throws {
        let dir = try TemporaryDirectory()
        let files = try TextFixtures.write(into: dir.file("in"), seed: 500 + UInt64(workers * 10 + reducers))
        let output = try run("sort", workers: workers, ["--reducers", "\(reducers)"], in: dir)
        #expect(try output.concatenated() == (try MapReduceOracle.sort(files)))
        #expect(output.partFiles.count == reducers)
    }

    @Test(arguments: [1, 2, 3], ["4KiB", "16KiB"])
    func checksumRangesCoverTheInputExactlyOnce(workers: Int, splitSize: String) throws {
        let dir = try TemporaryDirectory()
        try ChecksumOracle.writeInput(dir.file("in.txt"), lines: 3_000, seed: 600 + UInt64(workers))
        try InProcessRun.run(
            ["checksum", "--input", dir.file("in.txt"), "--output", dir.file("out"), "--split-size", splitSize], workers: workers)
        #expect(try ChecksumOracle.problems(output: dir.file("out"), input: dir.file("in.txt")) == [])
    }

    /// `i` written in base 26 with the letters a...z.
    private func letters(_ i: Int) -> String {
        var i = i
        var out = ""
        repeat {
            out.append(Character(UnicodeScalar(UInt8(97 + i % 26))))
            i /= 26
        } while i > 0
        return out
    }
}
