import Foundation
import SpindlePosix
import Testing

/// A job that fails after part of its output was committed removes those part files and `_temporary`,
/// writes no `_SUCCESS`, and keeps its event log.
@Suite struct FailedJobOutputTests {
    static func input(_ dir: TemporaryDirectory) throws -> String {
        var text = ""
        for i in 0..<2000 { text += "word\(i % 97) other\(i % 13) poison\n" }
        try FileSystem.writeFileAtomically(dir.file("in.txt"), Array(text.utf8))
        return dir.file("in.txt")
    }

    @Test func aFailedJobRemovesThePartFilesItCommitted() throws {
        let dir = try TemporaryDirectory()
        let output = dir.file("out")
        let result = try TestJobsBinary.run(
            ["run", "failreduce", "--input", try Self.input(dir), "--output", output, "--workers", "2", "--reducers", "6",
             "--max-attempts", "1", "--no-speculation", "--param", "watch=\(output)", "--event-log", dir.file("events.jsonl")],
            in: dir.path)
        #expect(result.exitCode == 1, "stderr: \(result.stderr)")
        #expect(result.stderr.contains("the reduce of 'poison' fails on purpose"), "stderr: \(result.stderr)")
        // The failing reduce saw a committed part file before it failed: the job really had output to undo.
        #expect(FileSystem.exists(dir.file("committed-seen")))
        // Only the run's event log is left, so that the failure can be reported (`spindle report`).
        #expect(try FileSystem.listDirectory(output) == ["_logs"])
        #expect(try FileSystem.listDirectory(output + "/_logs") == ["events.jsonl"])
        let events = EventLogReader(path: dir.file("events.jsonl"))
        #expect(events.events(named: "job_failed").count == 1)
    }

    @Test func aFailedJobLeavesAPreexistingOutputDirectoryEmpty() throws {
        let dir = try TemporaryDirectory()
        let output = dir.file("out")
        try FileSystem.createDirectory(output + "/_temporary", intermediate: true)
        try FileSystem.writeFileAtomically(output + "/part-00000", Array("old\n".utf8))
        let result = try TestJobsBinary.run(
            ["run", "failreduce", "--input", try Self.input(dir), "--output", output, "--overwrite", "--workers", "2", "--reducers", "6",
             "--max-attempts", "1", "--no-speculation", "--param", "watch=\(output)", "--event-log", dir.file("events.jsonl")],
            in: dir.path)
        #expect(result.exitCode == 1, "stderr: \(result.stderr)")
        #expect(FileSystem.exists(dir.file("committed-seen")))
        #expect(try FileSystem.listDirectory(output) == ["_logs"])
        #expect(EventLogReader(path: dir.file("events.jsonl")).events(named: "job_failed").count == 1)
    }
}
