import Foundation
import SpindlePosix
import Testing

/// Bad input gives a clear error with its place, or is skipped and counted when asked.
@Suite struct BadInputTests {
    @Test func lineLongerThanMaxRecordFailsNamingFileAndOffset() throws {
        let dir = try TemporaryDirectory()
        try Data(("short line\n" + String(repeating: "x", count: 5000) + "\nend\n").utf8).write(to: URL(fileURLWithPath: dir.file("in.txt")))
        let result = try SpindleProcess.run(
            ["run", "wordcount", "--input", dir.file("in.txt"), "--output", dir.file("out"), "--workers", "1", "--max-record", "1KiB"],
            in: dir.path)
        #expect(result.exitCode == 2, "bad input fails at its first attempt with exit code 2")
        #expect(result.stderr.contains("the line at \(dir.file("in.txt")) byte 11 is 5000 bytes, longer than --max-record"), "stderr: \(result.stderr)")
        #expect(!FileSystem.exists(dir.file("out/_SUCCESS")))
    }

    @Test func skipBadRecordsSkipsAndCountsLongLines() throws {
        let dir = try TemporaryDirectory()
        try Data(("short line\n" + String(repeating: "x", count: 5000) + "\nend\n").utf8).write(to: URL(fileURLWithPath: dir.file("in.txt")))
        let result = try SpindleProcess.run(
            ["run", "wordcount", "--input", dir.file("in.txt"), "--output", dir.file("out"), "--workers", "1", "--max-record", "1KiB", "--skip-bad-records"],
            in: dir.path)
        #expect(result.exitCode == 0, "stderr: \(result.stderr)")
        let output = JobOutput(directory: dir.file("out"))
        #expect(try output.lines().sorted() == ["end\t1", "line\t1", "short\t1"])
        #expect(try output.counters()["input.skipped.records"] == 1)
    }

    @Test func globAndDirectoryInputsAreExpanded() throws {
        let dir = try TemporaryDirectory()
        try FileSystem.createDirectory(dir.file("d"), intermediate: true)
        try Data("a b\n".utf8).write(to: URL(fileURLWithPath: dir.file("d/one.txt")))
        try Data("b c\n".utf8).write(to: URL(fileURLWithPath: dir.file("d/two.txt")))
        try Data("ignored\n".utf8).write(to: URL(fileURLWithPath: dir.file("d/_hidden")))
        try Data("c\n".utf8).write(to: URL(fileURLWithPath: dir.file("x1.log")))
        let result = try SpindleProcess.run(
            ["run", "wordcount", "--input", dir.file("d"), "--input", dir.file("x*.log"), "--output", dir.file("out"), "--workers", "2"], in: dir.path)
        #expect(result.exitCode == 0, "stderr: \(result.stderr)")
        #expect(try JobOutput(directory: dir.file("out")).lines().sorted() == ["a\t1", "b\t2", "c\t2"])
    }

    @Test func unmatchedGlobIsAUsageError() throws {
        let dir = try TemporaryDirectory()
        let result = try SpindleProcess.run(["run", "wordcount", "--input", dir.file("*.nothing"), "--output", dir.file("out")], in: dir.path)
        #expect(result.exitCode == 2)
        #expect(result.stderr.contains("matches no files"))
    }

    /// Total-order partitioning samples keys on the coordinator; a failed sample used to be swallowed, sending
    /// every key to one partition. Now the job fails before any task, naming the cause.
    @Test func failedKeySamplingFailsTheJobWithASentence() throws {
        let dir = try TemporaryDirectory()
        try Data("b\na\nc\n".utf8).write(to: URL(fileURLWithPath: dir.file("in.txt")))
        let result = try TestJobsBinary.run(
            ["run", "sortfails", "--input", dir.file("in.txt"), "--output", dir.file("out"), "--workers", "1", "--reducers", "2", "--quiet"],
            in: dir.path)
        #expect(result.exitCode == 1, "stderr: \(result.stderr)")
        #expect(
            result.stderr.contains(
                "job sortfails failed: sampling the input to plan total-order partitioning failed: an injected failure of the alwaysfails test job"),
            "stderr: \(result.stderr)")
        #expect(!FileSystem.exists(dir.file("out/_SUCCESS")))
    }
}
