import Foundation
import SpindleCore
import SpindlePosix
import Testing

/// Remote workers outlive a short coordinator outage (`--coordinator-grace`): they keep retrying, rejoin the
/// resumed coordinator as new members, and the job ends with exact output.
@Suite(.serialized) struct CoordinatorGraceTests {
    private let secret = ["SPINDLE_SECRET": "coordinator grace secret"]

    private func coordinatorArguments(_ dir: TemporaryDirectory, listen: String, eventLog: String, expect: Int = 2, extra: [String] = []) -> [String] {
        ["run", "crashtest", "--input", dir.file("in"), "--output", dir.file("out"), "--listen", listen, "--expect-workers", "\(expect)",
         "--split-size", "16KiB", "--reducers", "4", "--no-speculation", "--event-log", dir.file(eventLog)] + KilledWordCount.slow + extra
    }

    @Test func remoteWorkersRejoinAResumedCoordinator() throws {
        let dir = try TemporaryDirectory()
        let files = try TextFixtures.write(into: dir.file("in"), seed: 21)
        let first = EventLogReader(path: dir.file("events-1.jsonl"))
        let coordinator = try TestJobsBinary.start(coordinatorArguments(dir, listen: "127.0.0.1:0", eventLog: "events-1.jsonl"), environment: secret, in: dir.path, name: "coordinator-1")
        #expect(eventually(within: .seconds(20)) { first.listenAddress() != nil })
        let address = try #require(first.listenAddress())
        let workers = try (0..<2).map { i in
            try TestJobsBinary.start(["worker", "--coordinator", address, "--coordinator-grace", "60s"], environment: secret, in: dir.path, name: "worker-\(i)")
        }
        #expect(eventually(within: .seconds(60)) { first.committedTasks(prefix: "map task").count >= 3 })
        try coordinator.process.signal(Signal.kill)
        _ = try coordinator.finish(timeout: .seconds(10))
        // The workers wait: a second passes, and they are still there.
        MonotonicClock.sleep(.seconds(1))
        for worker in workers { #expect(try worker.process.poll() == nil, "a remote worker exited during the grace") }

        let second = EventLogReader(path: dir.file("events-2.jsonl"))
        let resumed = try TestJobsBinary.start(
            coordinatorArguments(dir, listen: address, eventLog: "events-2.jsonl", extra: ["--resume"]), environment: secret, in: dir.path, name: "coordinator-2"
        ).finish(timeout: .seconds(120))
        #expect(resumed.exitCode == 0, "stderr: \(resumed.stderr)")
        let output = JobOutput(directory: dir.file("out"))
        #expect(try output.lines().sorted() == (try MapReduceOracle.wordCount(files, lowercase: false)).sorted())
        // They joined as new members: ids above every id of the killed run.
        let oldIDs = first.events(named: "worker_joined").compactMap { $0["worker"] as? Int }
        let newIDs = second.events(named: "worker_joined").compactMap { $0["worker"] as? Int }
        #expect(newIDs.count == 2 && newIDs.allSatisfy { $0 > (oldIDs.max() ?? 0) })
        for worker in workers {
            let result = try worker.finish(timeout: .seconds(20))
            #expect(result.exitCode == 0, "stderr: \(result.stderr)")
            #expect(result.stderr.contains("rejoined the coordinator at"))
        }
    }

    @Test func aWorkerGivesUpWhenTheGraceRunsOut() throws {
        let dir = try TemporaryDirectory()
        _ = try TextFixtures.write(into: dir.file("in"), seed: 22)
        let log = EventLogReader(path: dir.file("events-1.jsonl"))
        let coordinator = try TestJobsBinary.start(coordinatorArguments(dir, listen: "127.0.0.1:0", eventLog: "events-1.jsonl", expect: 1), environment: secret, in: dir.path, name: "coordinator")
        #expect(eventually(within: .seconds(20)) { log.listenAddress() != nil })
        let address = try #require(log.listenAddress())
        let worker = try TestJobsBinary.start(["worker", "--coordinator", address, "--coordinator-grace", "1s"], environment: secret, in: dir.path, name: "worker")
        #expect(eventually(within: .seconds(30)) { !log.events(named: "attempt_started").isEmpty })
        try coordinator.process.signal(Signal.kill)
        _ = try coordinator.finish(timeout: .seconds(10))
        let result = try worker.finish(timeout: .seconds(20))
        #expect(result.exitCode == 3)
        #expect(result.stderr.contains("the coordinator did not come back within 1s; exiting"), "stderr: \(result.stderr)")
    }
}
