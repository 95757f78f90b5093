import Foundation
import SpindlePosix
import Testing

/// A slow word count (`crashtest` without crashes: every map stalls 300 ms, every reduce waits 300 ms) whose
/// coordinator is SIGKILLed at a moment chosen from its event log, then resumed with `--resume`.
struct KilledWordCount {
    let dir: TemporaryDirectory
    let files: [String]
    /// The event log of the killed run, and whether the coordinator had already exited when the kill came.
    let killedLog: EventLogReader
    let finishedBeforeKill: Bool

    static let slow = ["--param", "crash-rate=0", "--param", "stall-rate=1", "--param", "stall=300ms", "--param", "reduce-delay=300ms"]

    func arguments(extra: [String] = []) -> [String] {
        ["run", "crashtest", "--input", dir.file("in"), "--output", dir.file("out"), "--workers", "2", "--split-size", "16KiB", "--reducers", "4",
         "--no-speculation"] + Self.slow + extra
    }

    /// Starts the job and SIGKILLs its coordinator once `condition` holds on its event log.
    init(seed: UInt64, when condition: (EventLogReader) -> Bool) throws {
        dir = try TemporaryDirectory()
        files = try TextFixtures.write(into: dir.file("in"), seed: seed)
        killedLog = EventLogReader(path: dir.file("events-1.jsonl"))
        let args = ["run", "crashtest", "--input", dir.file("in"), "--output", dir.file("out"), "--workers", "2", "--split-size", "16KiB",
                    "--reducers", "4", "--no-speculation"] + Self.slow + ["--event-log", dir.file("events-1.jsonl")]
        let coordinator = try TestJobsBinary.start(args, in: dir.path, name: "coordinator-1")
        let log = killedLog
        #expect(eventually(within: .seconds(90)) { condition(log) || (try? coordinator.process.poll()) != nil }, "the kill moment never came")
        finishedBeforeKill = (try coordinator.process.poll()) != nil
        try? coordinator.process.signal(Signal.kill)
        _ = try coordinator.finish(timeout: .seconds(20))
        // Local workers die with their coordinator (their parent-death signal): none may be left behind.
        let pids = Array(log.workerPIDs().values)
        #expect(eventually(within: .seconds(10)) { pids.allSatisfy(processIsGone) }, "a local worker outlived its coordinator")
    }

    /// Runs `--resume` (plus `extra`) and returns the result and the resumed run's event log.
    func resume(extra: [String] = []) throws -> (ProcessResult, EventLogReader) {
        let log = EventLogReader(path: dir.file("events-2.jsonl"))
        let result = try TestJobsBinary.run(arguments(extra: ["--resume", "--event-log", dir.file("events-2.jsonl")] + extra), in: dir.path)
        return (result, log)
    }

    func expectExactOutput() throws {
        let output = JobOutput(directory: dir.file("out"))
        #expect(output.succeeded)
        #expect(try output.lines().sorted() == (try MapReduceOracle.wordCount(files, lowercase: false)).sorted())
        #expect(!FileSystem.exists(dir.file("out/_temporary")), "a successful run removes _temporary and its journal")
    }
}

extension EventLogReader {
    /// Tasks (as the event log names them) whose attempt committed.
    func committedTasks(prefix: String) -> Set<String> {
        Set(events(named: "attempt_committed").compactMap { $0["task"] as? String }.filter { $0.hasPrefix(prefix) })
    }

    /// Tasks that had an attempt started.
    func startedTasks(prefix: String) -> Set<String> {
        Set(events(named: "attempt_started").compactMap { $0["task"] as? String }.filter { $0.hasPrefix(prefix) })
    }
}
