import Foundation
import SpindlePosix
import Testing

/// The single-threaded C reference programs in `Tests/Baselines/` (the `--baseline` of the README's benchmark
/// recipe) compute what the jobs compute: built with `Tests/Baselines/build`, their output on the bundled
/// sample data equals the sequential references of `wordcount` and `pagerank` (PageRank within 1e-9 relative,
/// the tolerance the PageRank oracle tests use).
@Suite(.enabled(if: BaselinePrograms.compilerAvailable, "no C compiler (cc, or $CC) on PATH: the C baselines in Tests/Baselines cannot be built"))
struct BaselineProgramsTests {
    @Test(arguments: [false, true])
    func theCWordCountEqualsTheSequentialReferenceOnTheSampleText(lowercase: Bool) throws {
        let dir = try TemporaryDirectory()
        let programs = try BaselinePrograms.build(into: dir)
        let sample = BaselinePrograms.repository + "/Datasets/sample-text.txt"
        let result = try BaselinePrograms.run(programs.wordcount, (lowercase ? ["-l"] : []) + [sample], in: dir)
        #expect(result.exitCode == 0, "\(result.stderr)")
        let expected = try MapReduceOracle.wordCount([sample], lowercase: lowercase)
            .sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        #expect(expected.count > 1000)
        #expect(result.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) == expected + [""])
    }

    @Test(arguments: [(20, 0.85), (5, 0.5)])
    func theCPageRankAgreesWithTheSequentialReferenceOnTheSampleGraph(iterations: Int, damping: Double) throws {
        let dir = try TemporaryDirectory()
        let programs = try BaselinePrograms.build(into: dir)
        let sample = BaselinePrograms.repository + "/Datasets/sample-graph.txt"
        let result = try BaselinePrograms.run(programs.pagerank, [sample, String(iterations), String(damping)], in: dir)
        #expect(result.exitCode == 0, "\(result.stderr)")
        let expected = PregelOracle.pagerank(try OracleGraph(contentsOf: sample), damping: damping, iterations: iterations)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == expected.count)
        #expect(PregelOutput.rankMismatches(expected: expected, actual: try PregelOutput.numbers(lines)) == [])
    }

    /// Ids of any 64-bit range (negative ones, far apart) are numbered through the hash table, and vertices that
    /// are only targets, self-loops and parallel edges count as the job counts them.
    @Test func theCPageRankReadsAnyIdsAndWritesThemInAscendingOrder() throws {
        let dir = try TemporaryDirectory()
        let programs = try BaselinePrograms.build(into: dir)
        let text = """
            # a comment, then a blank line

            -5\t9223372036854775807
            9223372036854775807 -9223372036854775808 2.5\r
              7 7
            7 -5
            7 -5
            -9223372036854775808 42
            """
        try text.write(toFile: dir.file("graph.txt"), atomically: true, encoding: .utf8)
        let result = try BaselinePrograms.run(programs.pagerank, [dir.file("graph.txt")], in: dir)
        #expect(result.exitCode == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        let ids = lines.compactMap { $0.split(separator: "\t").first.flatMap { Int64($0) } }
        #expect(ids == [Int64.min, -5, 7, 42, Int64.max])
        let expected = PregelOracle.pagerank(try OracleGraph(parsing: text))
        #expect(PregelOutput.rankMismatches(expected: expected, actual: try PregelOutput.numbers(lines)) == [])
    }

    @Test func theCPageRankNamesTheFileAndLineOfAMalformedEdge() throws {
        let dir = try TemporaryDirectory()
        let programs = try BaselinePrograms.build(into: dir)
        try "1 2\n# fine\n3 x4\n".write(toFile: dir.file("bad.txt"), atomically: true, encoding: .utf8)
        let result = try BaselinePrograms.run(programs.pagerank, [dir.file("bad.txt")], in: dir)
        #expect(result.exitCode == 2)
        #expect(result.stderr.contains("malformed edge at \(dir.file("bad.txt")):3"), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }
}

/// Building and running the C programs of `Tests/Baselines/`.
enum BaselinePrograms {
    /// The checkout (tests run from the package's root directory).
    static var repository: String { FileManager.default.currentDirectoryPath }

    /// Whether `$CC`, or else `cc`, is an executable on PATH (or a path to one).
    static var compilerAvailable: Bool {
        let compiler = SystemInfo.environment("CC") ?? "cc"
        if compiler.contains("/") { return FileManager.default.isExecutableFile(atPath: compiler) }
        let path = SystemInfo.environment("PATH") ?? "/usr/bin:/bin"
        return path.split(separator: ":").contains { FileManager.default.isExecutableFile(atPath: "\($0)/\(compiler)") }
    }

    /// Builds both programs with `Tests/Baselines/build` into `dir`/bin and returns their paths.
    static func build(into dir: TemporaryDirectory) throws -> (wordcount: String, pagerank: String) {
        let result = try run(repository + "/Tests/Baselines/build", [dir.file("bin")], in: dir, name: "build")
        #expect(result.exitCode == 0, "Tests/Baselines/build failed: \(result.stderr)")
        #expect(result.stderr.isEmpty, "the C programs compile without warnings: \(result.stderr)")
        return (dir.file("bin/wordcount"), dir.file("bin/pagerank"))
    }

    /// Runs `executable` with `arguments`, its stdout and stderr going to files in `dir`; kills it after 120 s.
    static func run(_ executable: String, _ arguments: [String], in dir: TemporaryDirectory, name: String = "baseline") throws -> ProcessResult {
        let out = dir.file("\(name).stdout")
        let err = dir.file("\(name).stderr")
        let process = try ChildProcess.spawn(executable: executable, arguments: arguments, stdoutPath: out, stderrPath: err)
        var status = try process.wait(timeout: .seconds(120))
        if status == nil {
            try process.signal(Signal.kill)
            status = try process.wait(timeout: .seconds(5))
        }
        return ProcessResult(
            status: status ?? .signaled(Signal.kill),
            stdout: (try? String(contentsOfFile: out, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOfFile: err, encoding: .utf8)) ?? "",
            timedOut: status == nil)
    }
}
