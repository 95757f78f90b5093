import Foundation
import SpindlePosix
import Testing

/// An input file that changes while a job runs fails the job at once, with exit code 2 and a sentence naming
/// the file and what changed; no worker is ever killed by SIGBUS and no `_SUCCESS` is written.
@Suite struct ChangingInputTests {
    /// Starts the `checksum` demo job over `lines` lines in one-KiB splits, one slow task at a time, and
    /// returns once its first task committed.
    private func startSlowChecksum(_ dir: TemporaryDirectory, lines: Int = 4000) throws -> (SpindleProcess, input: String) {
        let input = dir.file("in.txt")
        try Data((0..<lines).map { "line \($0) of the input\n" }.joined().utf8).write(to: URL(fileURLWithPath: input))
        let job = try SpindleProcess.start(
            [
                "run", "checksum", "--input", input, "--output", dir.file("out"), "--workers", "1", "--split-size", "1KiB",
                "--param", "delay=100ms", "--event-log", dir.file("events.jsonl"),
            ],
            in: dir.path)
        let committed = eventually(within: .seconds(60)) {
            !EventLogReader(path: dir.file("events.jsonl")).events(named: "attempt_committed").isEmpty
        }
        #expect(committed, "the job's first task committed")
        return (job, input)
    }

    private func expectFailedOnChangedInput(_ result: ProcessResult, _ dir: TemporaryDirectory, input: String, change: String) {
        #expect(result.exitCode == 2, "exit code \(String(describing: result.status)); stderr: \(result.stderr)")
        #expect(result.stderr.contains("'\(input)' changed while the job ran: \(change)"), "stderr: \(result.stderr)")
        #expect(result.stderr.contains("rerun the job on a stable copy"))
        #expect(!FileSystem.exists(dir.file("out/_SUCCESS")))
        let log = EventLogReader(path: dir.file("events.jsonl"))
        let failed = log.events(named: "attempt_failed")
        #expect(failed.count == 1, "failed at the first attempt, not retried: \(failed)")
        #expect(failed.first?["fatal"] as? Bool == true)
        #expect(log.events(named: "worker_lost").isEmpty, "no worker died (SIGBUS or otherwise)")
    }

    @Test func anInputTruncatedWhileTheJobRunsFailsTheJob() throws {
        let dir = try TemporaryDirectory()
        let (job, input) = try startSlowChecksum(dir)
        let size = try FileSystem.fileSize(input)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: input))
        try handle.truncate(atOffset: 5000)
        try handle.close()
        let result = try job.finish()
        expectFailedOnChangedInput(result, dir, input: input, change: "its size went from \(size) to 5000 bytes")
    }

    /// The case that once gave `_SUCCESS` with 6% of the data: the file is replaced by rename.
    @Test func anInputReplacedByRenameWhileTheJobRunsFailsTheJob() throws {
        let dir = try TemporaryDirectory()
        let (job, input) = try startSlowChecksum(dir)
        try Data("a much shorter file\n".utf8).write(to: URL(fileURLWithPath: dir.file("replacement")))
        try FileSystem.rename(dir.file("replacement"), to: input)
        let result = try job.finish()
        expectFailedOnChangedInput(result, dir, input: input, change: "it was replaced by another file")
    }

    /// `truncate` while word count's map tasks read the file: whether a task is mid-read or about to open it,
    /// the job fails on the changed input; no worker is killed by SIGBUS (the input is never mapped).
    @Test func truncatingTheInputDuringAWordCountNeverKillsAWorker() throws {
        let dir = try TemporaryDirectory()
        let input = dir.file("big.txt")
        let line = "the quick brown fox jumps over the lazy dog again and again\n"
        try Data(String(repeating: line, count: 16 << 20 / line.utf8.count).utf8).write(to: URL(fileURLWithPath: input))
        let size = try FileSystem.fileSize(input)
        let job = try SpindleProcess.start(
            [
                "run", "wordcount", "--input", input, "--output", dir.file("out"), "--workers", "2", "--split-size", "256KiB",
                "--event-log", dir.file("events.jsonl"),
            ],
            in: dir.path)
        let started = eventually(within: .seconds(60)) { !EventLogReader(path: dir.file("events.jsonl")).events(named: "attempt_started").isEmpty }
        #expect(started)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: input))
        try handle.truncate(atOffset: UInt64(size / 3))
        try handle.close()
        let result = try job.finish()
        #expect(result.exitCode == 2, "exit code \(String(describing: result.status)); stderr: \(result.stderr)")
        #expect(result.stderr.contains("'\(input)' changed while the job ran: "), "stderr: \(result.stderr)")
        #expect(!result.stderr.contains("SIGBUS") && !result.stderr.contains("signal"), "stderr: \(result.stderr)")
        #expect(!FileSystem.exists(dir.file("out/_SUCCESS")))
        #expect(EventLogReader(path: dir.file("events.jsonl")).events(named: "worker_lost").isEmpty, "no worker died")
    }
}
