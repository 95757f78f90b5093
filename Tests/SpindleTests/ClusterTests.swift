import Foundation
import SpindleCore
import SpindlePosix
import Testing

/// Multi-process tests of the foundation: real worker processes over TCP, killed and stopped for real.
@Suite(.serialized) struct ClusterTests {
    @Test(arguments: [1, 2, 3])
    func checksumJobMatchesSequentialReference(workers: Int) throws {
        let dir = try TemporaryDirectory()
        try ChecksumOracle.writeInput(dir.file("in.txt"), lines: 40_000, seed: UInt64(workers))
        let result = try SpindleProcess.run(
            ["run", "checksum", "--input", dir.file("in.txt"), "--output", dir.file("out"), "--workers", "\(workers)", "--split-size", "64KiB"],
            in: dir.path)
        #expect(result.exitCode == 0, "stderr: \(result.stderr)")
        #expect(try ChecksumOracle.problems(output: dir.file("out"), input: dir.file("in.txt")) == [])
        #expect(FileSystem.exists(dir.file("out/_SUCCESS")))
        #expect(!FileSystem.exists(dir.file("out/_temporary")))
    }

    @Test func sigkilledWorkerIsDetectedAndItsTaskRerunElsewhere() throws {
        let dir = try TemporaryDirectory()
        try ChecksumOracle.writeInput(dir.file("in.txt"), lines: 20_000, seed: 7)
        let log = EventLogReader(path: dir.file("events.jsonl"))
        let coordinator = try SpindleProcess.start(
            ["run", "checksum", "--input", dir.file("in.txt"), "--output", dir.file("out"), "--workers", "2", "--split-size", "128KiB",
             "--param", "delay=1s", "--no-speculation", "--event-log", dir.file("events.jsonl")],
            in: dir.path)
        #expect(eventually(within: .seconds(30)) { !log.events(named: "attempt_started").isEmpty })
        let first = try #require(log.events(named: "attempt_started").first)
        let victim = try #require(first["worker"] as? Int)
        let pid = try #require(log.workerPIDs()[victim])
        sendSignal(Signal.kill, to: pid)
        let result = try coordinator.finish()
        #expect(result.exitCode == 0, "stderr: \(result.stderr)")
        #expect(try ChecksumOracle.problems(output: dir.file("out"), input: dir.file("in.txt")) == [])
        let lost = log.events(named: "worker_lost")
        #expect(lost.count == 1)
        #expect(lost.first?["worker"] as? Int == victim)
        #expect((lost.first?["cause"] as? String)?.contains("signal 9") == true, "cause: \(lost)")
        let task = first["task"] as? String
        let rerun = log.events(named: "attempt_committed").filter { $0["task"] as? String == task }
        #expect(rerun.count == 1)
        #expect(rerun.first?["worker"] as? Int != victim)
    }

    @Test func sigstoppedWorkerIsDeclaredDeadAndItsLateResultRejected() throws {
        let dir = try TemporaryDirectory()
        try ChecksumOracle.writeInput(dir.file("in.txt"), lines: 5_000, seed: 9)
        let log = EventLogReader(path: dir.file("events.jsonl"))
        let size = try FileSystem.fileSize(dir.file("in.txt"))
        let coordinator = try SpindleProcess.start(
            ["run", "checksum", "--input", dir.file("in.txt"), "--output", dir.file("out"), "--workers", "2", "--split-size", "\(size / 2 + 1)",
             "--param", "delay=2s", "--heartbeat-timeout", "1s", "--no-speculation", "--event-log", dir.file("events.jsonl")],
            in: dir.path)
        #expect(eventually(within: .seconds(30)) { !log.events(named: "attempt_started").isEmpty })
        let first = try #require(log.events(named: "attempt_started").first)
        let victim = try #require(first["worker"] as? Int)
        let attempt = try #require(first["attempt"] as? Int)
        let pid = try #require(log.workerPIDs()[victim])
        // Let the worker take up the attempt before stopping it, so that it has a result to deliver late.
        MonotonicClock.sleep(.milliseconds(300))
        sendSignal(Signal.stop, to: pid)
        #expect(eventually(within: .seconds(10)) { !log.events(named: "worker_lost").isEmpty })
        #expect((log.events(named: "worker_lost").first?["cause"] as? String)?.contains("no heartbeat") == true)
        sendSignal(Signal.cont, to: pid)
        let result = try coordinator.finish()
        #expect(result.exitCode == 0, "stderr: \(result.stderr)")
        #expect(try ChecksumOracle.problems(output: dir.file("out"), input: dir.file("in.txt")) == [])
        let rejected = log.events(named: "attempt_rejected").compactMap { $0["attempt"] as? Int }
        #expect(rejected.contains(attempt), "the stopped worker's late result must be rejected: \(log.events())")
        #expect(!log.events(named: "attempt_committed").contains { $0["attempt"] as? Int == attempt })
        #expect(eventually(within: .seconds(5)) { processIsGone(pid) })
    }

    @Test func failingTaskFailsTheJobNamingTaskAndCause() throws {
        let dir = try TemporaryDirectory()
        try ChecksumOracle.writeInput(dir.file("in.txt"), lines: 5_000, seed: 3)
        let result = try SpindleProcess.run(
            ["run", "checksum", "--input", dir.file("in.txt"), "--output", dir.file("out"), "--workers", "2", "--split-size", "16KiB",
             "--param", "fail-split=1", "--max-attempts", "3"],
            in: dir.path)
        #expect(result.exitCode == 1)
        #expect(result.stderr.contains("checksum task 1 (input in.txt bytes 16384-32768) failed 3 times"), "stderr: \(result.stderr)")
        #expect(result.stderr.contains("configured to fail"))
        #expect(!FileSystem.exists(dir.file("out/_SUCCESS")))
    }
}
