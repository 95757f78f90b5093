import Foundation
import SpindleCore
import SpindlePosix
import Testing

/// MapReduce under failures: crashing and stalling tasks, killed workers, exactly-once commits.
@Suite(.serialized) struct FaultToleranceTests {
    private let secret = ["SPINDLE_SECRET": "fault tolerance secret"]

    @Test func crashingAndStallingTasksWithWorkersRestartedStillGiveExactOutput() throws {
        let dir = try TemporaryDirectory()
        let files = try TextFixtures.write(into: dir.file("in"), seed: 99)
        let log = EventLogReader(path: dir.file("events.jsonl"))
        try FileSystem.createDirectory(dir.file("crashes"), intermediate: true)
        // Every crash loses the map outputs its worker held (they live on its local disk, as in Hadoop), so
        // the number of crashes is bounded (tickets) for the job to converge; which tasks crash is random.
        let coordinator = try TestJobsBinary.start(
            ["run", "crashtest", "--input", dir.file("in"), "--output", dir.file("out"), "--listen", "127.0.0.1:0", "--expect-workers", "3",
             "--split-size", "16KiB", "--reducers", "4", "--heartbeat-timeout", "1s", "--max-attempts", "8", "--speculation-after", "500ms",
             "--param", "crash-rate=0.3", "--param", "stall-rate=0.2", "--param", "stall=2s", "--param", "max-crashes=6",
             "--param", "crash-dir=\(dir.file("crashes"))", "--event-log", dir.file("events.jsonl")],
            environment: secret, in: dir.path, name: "coordinator")
        #expect(eventually(within: .seconds(20)) { log.listenAddress() != nil })
        let address = try #require(log.listenAddress())
        // Keep three workers alive, starting a new one whenever one dies (as the MIT lab's crash test does).
        var workers: [SpindleProcess] = []
        var started = 0
        var coordinatorStatus: SpindlePosix.ExitStatus?
        let deadline = MonotonicClock.nanoseconds() + 120_000_000_000
        while coordinatorStatus == nil && MonotonicClock.nanoseconds() < deadline {
            workers = try workers.filter { try $0.process.poll() == nil }
            while workers.count < 3 {
                workers.append(try TestJobsBinary.start(["worker", "--coordinator", address], environment: secret, in: dir.path, name: "worker-\(started)"))
                started += 1
            }
            coordinatorStatus = try coordinator.process.poll()
            MonotonicClock.sleep(.milliseconds(50))
        }
        #expect(coordinatorStatus == .exited(0), "job failed: \(log.events(named: "job_failed").first?["error"] ?? "-")")
        for w in workers { _ = try? w.finish(timeout: .seconds(10)) }
        let output = JobOutput(directory: dir.file("out"))
        #expect(output.succeeded)
        #expect(try output.lines().sorted() == (try MapReduceOracle.wordCount(files, lowercase: false)).sorted())
        #expect(started > 3, "no worker crashed; the test exercised nothing")
        #expect(try FileSystem.listDirectory(dir.file("crashes")).count >= 1)
        #expect(!log.events(named: "worker_lost").isEmpty)
    }

    @Test func workerKilledAfterItsMapsFinishedOnlyReRunsTheLostMaps() throws {
        let dir = try TemporaryDirectory()
        let files = try TextFixtures.write(into: dir.file("in"), seed: 5)
        let log = EventLogReader(path: dir.file("events.jsonl"))
        let coordinator = try TestJobsBinary.start(
            ["run", "crashtest", "--input", dir.file("in"), "--output", dir.file("out"), "--workers", "2", "--split-size", "8KiB",
             "--reducers", "4", "--no-speculation", "--param", "crash-rate=0", "--param", "stall-rate=0", "--param", "reduce-delay=2s",
             "--event-log", dir.file("events.jsonl")],
            in: dir.path, name: "coordinator")
        #expect(eventually(within: .seconds(60)) { log.events(named: "stage_completed").contains { $0["stage"] as? String == "map" } })
        let mapCommits = log.events(named: "attempt_committed").filter { ($0["task"] as? String)?.hasPrefix("map task") == true }
        let victim = try #require(mapCommits.first?["worker"] as? Int)
        let lostMaps = Set(mapCommits.filter { $0["worker"] as? Int == victim }.compactMap { $0["task"] as? String })
        let mapAttemptsBefore = log.events(named: "attempt_started").filter { $0["stage"] as? Int == 0 }.count
        sendSignal(Signal.kill, to: try #require(log.workerPIDs()[victim]))
        let result = try coordinator.finish()
        #expect(result.exitCode == 0, "stderr: \(result.stderr)")
        let output = JobOutput(directory: dir.file("out"))
        #expect(try output.lines().sorted() == (try MapReduceOracle.wordCount(files, lowercase: false)).sorted())
        let reran = log.events(named: "attempt_started").filter { $0["stage"] as? Int == 0 }.dropFirst(mapAttemptsBefore).compactMap { $0["task"] as? String }
        #expect(Set(reran) == lostMaps, "re-run maps \(reran.sorted()) should be exactly the lost ones \(lostMaps.sorted())")
        #expect(reran.count == lostMaps.count)
        #expect(Set(log.events(named: "output_lost").compactMap { $0["task"] as? String }) == lostMaps)
    }

    @Test func withoutFailuresEveryTaskRunsExactlyOnce() throws {
        let dir = try TemporaryDirectory()
        let files = try TextFixtures.write(into: dir.file("in"), seed: 8)
        try FileSystem.createDirectory(dir.file("markers"), intermediate: true)
        let result = try TestJobsBinary.run(
            ["run", "jobcount", "--input", dir.file("in"), "--output", dir.file("out"), "--workers", "2", "--split-size", "8KiB", "--reducers", "5",
             "--event-log", dir.file("events.jsonl"), "--param", "dir=\(dir.file("markers"))"],
            in: dir.path)
        #expect(result.exitCode == 0, "stderr: \(result.stderr)")
        let markers = try FileSystem.listDirectory(dir.file("markers"))
        let log = EventLogReader(path: dir.file("events.jsonl"))
        let mapTasks = try #require(log.events(named: "stage_added").first { $0["stage"] as? String == "map" }?["tasks"] as? Int)
        #expect(mapTasks > 3)
        #expect(markers.filter { $0.hasPrefix("map-") }.count == mapTasks)
        #expect(markers.filter { $0.hasPrefix("reduce-") }.count == 5)
        // No worker went away before the output was final, and the counters reached the event log.
        #expect(log.events(named: "worker_lost").isEmpty)
        #expect(log.events(named: "counters").first?["map.input.records"] as? Int == 4_000 + 60 + 3 + 250 + 1)
        #expect(try JobOutput(directory: dir.file("out")).lines().sorted() == (try MapReduceOracle.wordCount(files, lowercase: false)).sorted())
    }

    @Test func forcedSpeculationMayAddAttemptsButCommitsEachTaskOnce() throws {
        let dir = try TemporaryDirectory()
        let files = try TextFixtures.write(into: dir.file("in"), seed: 13)
        let result = try TestJobsBinary.run(
            ["run", "crashtest", "--input", dir.file("in"), "--output", dir.file("out"), "--workers", "3", "--split-size", "4KiB", "--reducers", "4",
             "--speculation-after", "0s", "--param", "crash-rate=0", "--param", "stall-rate=0.3", "--param", "stall=1s",
             "--event-log", dir.file("events.jsonl")],
            in: dir.path)
        #expect(result.exitCode == 0, "stderr: \(result.stderr)")
        let log = EventLogReader(path: dir.file("events.jsonl"))
        let tasks = log.events(named: "stage_added").compactMap { $0["tasks"] as? Int }.reduce(0, +)
        let committed = log.events(named: "attempt_committed")
        #expect(committed.count == tasks)
        #expect(Set(committed.compactMap { $0["task"] as? String }).count == tasks)
        #expect(log.events(named: "attempt_started").contains { $0["speculative"] as? Bool == true }, "no backup attempt was started")
        #expect(try JobOutput(directory: dir.file("out")).lines().sorted() == (try MapReduceOracle.wordCount(files, lowercase: false)).sorted())
        #expect(try JobOutput(directory: dir.file("out")).partFiles.count == 4)
    }

    @Test func mapAndReduceCallsRunInParallelInDifferentProcesses() throws {
        let dir = try TemporaryDirectory()
        _ = try TextFixtures.write(into: dir.file("in"), seed: 3)
        try FileSystem.createDirectory(dir.file("timing"), intermediate: true)
        let result = try TestJobsBinary.run(
            ["run", "timing", "--input", dir.file("in"), "--output", dir.file("out"), "--workers", "2", "--split-size", "16KiB", "--reducers", "2",
             "--no-speculation", "--param", "dir=\(dir.file("timing"))"],
            in: dir.path)
        #expect(result.exitCode == 0, "stderr: \(result.stderr)")
        for kind in ["map", "reduce"] {
            let records = try FileSystem.listDirectory(dir.file("timing")).filter { $0.hasPrefix(kind + "-") }.map { name -> (Int, Double, Double) in
                let f = try String(contentsOfFile: dir.file("timing/\(name)"), encoding: .utf8).split(separator: " ")
                return (Int(f[0])!, Double(f[1])!, Double(f[2].trimmingCharacters(in: .whitespacesAndNewlines))!)
            }
            let overlapping = records.contains { a in records.contains { b in a.0 != b.0 && a.1 < b.2 && b.1 < a.2 } }
            #expect(overlapping, "\(kind) calls never ran at the same time in two processes: \(records)")
        }
    }

    @Test func failingJobExitsOneNamingTaskInputAndCauseAndLeavesNoSuccess() throws {
        let dir = try TemporaryDirectory()
        _ = try TextFixtures.write(into: dir.file("in"), seed: 1)
        let result = try TestJobsBinary.run(
            ["run", "crashtest", "--input", dir.file("in/doc-0.txt"), "--output", dir.file("out"), "--workers", "2", "--max-attempts", "2",
             "--param", "crash-rate=1", "--param", "stall-rate=0"],
            in: dir.path)
        #expect(result.exitCode == 1)
        #expect(result.stderr.contains("map task 0 (input doc-0.txt bytes 0-"), "stderr: \(result.stderr)")
        #expect(result.stderr.contains("failed 2 times"), "stderr: \(result.stderr)")
        #expect(result.stderr.contains("exited with code 1"), "stderr: \(result.stderr)")
        #expect(!FileSystem.exists(dir.file("out/_SUCCESS")))
        #expect(!FileSystem.exists(dir.file("out/part-00000")))
    }
}
