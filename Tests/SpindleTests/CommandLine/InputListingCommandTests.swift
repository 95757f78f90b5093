import Foundation
import SpindlePosix
import Testing

/// What `spindle run` says about its input: skipped records and skipped directory entries counted on the
/// console, an empty input giving an empty output with `_SUCCESS` (as in Hadoop), a dangling link named.
@Suite struct InputListingCommandTests {
    static func write(_ text: String, _ path: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    static func run(_ job: String, _ input: String, _ extra: [String] = [], in dir: TemporaryDirectory, output: String = "out") throws -> ProcessResult {
        try SpindleProcess.run(
            ["run", job, "--input", input, "--output", dir.file(output), "--workers", "2", "--ui", "off"] + extra, in: dir.path, timeout: .seconds(90))
    }

    @Test func skipBadRecordsPrintsTheCount() throws {
        let dir = try TemporaryDirectory()
        try Self.write("a b\n" + String(repeating: "x", count: 100) + "\nc\n", dir.file("in.txt"))
        let result = try Self.run("wordcount", dir.file("in.txt"), ["--max-record", "50", "--skip-bad-records"], in: dir)
        #expect(result.exitCode == 0, "stderr: \(result.stderr)")
        #expect(result.stderr.contains("skipped 1 bad record (--skip-bad-records); 2 good records read"), "\(result.stderr)")
        #expect(!result.stderr.contains("warning"))
    }

    @Test(arguments: [("wordcount", "--max-record", "5"), ("sssp", "--param", "source=1")])
    func everyRecordSkippedWarns(job: String, option: String, value: String) throws {
        let dir = try TemporaryDirectory()
        // Lines too long for --max-record 5, and edges with negative weights: every record is bad.
        try Self.write("1\t2\t-1.5\n2\t3\t-2.5\n", dir.file("in.txt"))
        let result = try Self.run(job, dir.file("in.txt"), [option, value, "--skip-bad-records"], in: dir)
        #expect(result.exitCode == 0, "stderr: \(result.stderr)")
        #expect(result.stderr.contains("warning: every input record was bad and skipped (2 bad records), so the output is empty"), "\(result.stderr)")
        #expect(FileSystem.exists(dir.file("out/_SUCCESS")))
    }

    @Test func skippedDirectoryEntriesAreReportedInOneLine() throws {
        let dir = try TemporaryDirectory()
        try FileSystem.createDirectory(dir.file("in/sub"), intermediate: true)
        try FileSystem.createDirectory(dir.file("in/.git"), intermediate: true)
        try Self.write("a\n", dir.file("in/a.txt"))
        try Self.write("b\n", dir.file("in/.hidden"))
        try Self.write("{}\n", dir.file("in/_SUCCESS"))
        let result = try Self.run("wordcount", dir.file("in"), in: dir)
        #expect(result.exitCode == 0, "stderr: \(result.stderr)")
        let notes = result.stderr.split(separator: "\n").filter { $0.contains("skipped") }
        #expect(notes == [
            "spindle: input directory '\(dir.file("in"))': skipped 1 subdirectory (sub) and 3 hidden entries (.git, .hidden, _SUCCESS); "
                + "only its files are read, not subdirectories or names starting with '.' or '_'"
        ], "\(result.stderr)")
        #expect(try JobOutput(directory: dir.file("out")).lines() == ["a\t1"])
        let pattern = try Self.run("wordcount", dir.file("in/*"), in: dir, output: "out2")
        #expect(pattern.exitCode == 0, "stderr: \(pattern.stderr)")
        #expect(pattern.stderr.contains("spindle: input pattern '\(dir.file("in/*"))': skipped 1 directory (\(dir.file("in/sub"))); only the files it matches are read\n"),
            "\(pattern.stderr)")
    }

    /// MapReduce with and without reduce, with total-order sampling, Pregel, BSP, and the checksum demo engine
    /// (whose output is its summary line).
    @Test(arguments: [
        (["wordcount"], []), (["grep", "--param", "pattern=x"], []), (["sort"], []), (["pagerank"], []), (["bsp-components"], []),
        (["checksum"], ["total\t0 lines\t0 bytes"]),
    ])
    func emptyInputGivesEmptyOutputWithSuccess(job: [String], expected: [String]) throws {
        let dir = try TemporaryDirectory()
        try Self.write("", dir.file("empty.txt"))
        try FileSystem.createDirectory(dir.file("none/sub"), intermediate: true)
        for (input, output) in [(dir.file("empty.txt"), "out1"), (dir.file("none"), "out2")] {
            let result = try Self.run(job[0], input, Array(job.dropFirst()), in: dir, output: output)
            #expect(result.exitCode == 0, "\(job) \(input): \(result.stderr)")
            let out = JobOutput(directory: dir.file(output))
            #expect(out.succeeded)
            #expect(!out.partFiles.isEmpty)
            #expect(try out.lines() == expected)
        }
    }

    @Test func danglingSymbolicLinkIsReportedAsSuch() throws {
        let dir = try TemporaryDirectory()
        try FileSystem.createDirectory(dir.file("in"), intermediate: true)
        try FileManager.default.createSymbolicLink(atPath: dir.file("link.txt"), withDestinationPath: dir.file("gone.txt"))
        try FileManager.default.createSymbolicLink(atPath: dir.file("in/link.txt"), withDestinationPath: "../gone.txt")
        let direct = try Self.run("wordcount", dir.file("link.txt"), in: dir)
        #expect(direct.exitCode == 2)
        #expect(direct.stderr == "spindle: input '\(dir.file("link.txt"))' is a symbolic link to '\(dir.file("gone.txt"))', which does not exist; fix the link or remove it\n")
        let listed = try Self.run("wordcount", dir.file("in"), in: dir)
        #expect(listed.exitCode == 2)
        #expect(listed.stderr == "spindle: input '\(dir.file("in/link.txt"))' is a symbolic link to '../gone.txt', which does not exist; fix the link or remove it\n")
    }
}
