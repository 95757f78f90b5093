import Foundation
import SpindleCore
import SpindlePosix
import Testing

/// A resumed coordinator reuses the map outputs that remote workers kept through its outage (`--coordinator-grace`):
/// the maps of a worker that rejoins are not run again, those of a worker that died with the coordinator are.
@Suite(.serialized) struct MapOutputReuseTests {
    private let secret = ["SPINDLE_SECRET": "map output reuse secret"]

    private func coordinatorArguments(_ dir: TemporaryDirectory, listen: String, eventLog: String, extra: [String] = []) -> [String] {
        ["run", "crashtest", "--input", dir.file("in"), "--output", dir.file("out"), "--listen", listen, "--expect-workers", "2",
         "--split-size", "16KiB", "--reducers", "4", "--no-speculation", "--event-log", dir.file(eventLog)] + KilledWordCount.slow + extra
    }

    @Test func mapsOfARejoinedWorkerAreNotRunAgainAndThoseOfADeadOneAre() throws {
        let dir = try TemporaryDirectory()
        let files = try TextFixtures.write(into: dir.file("in"), seed: 31)
        let first = EventLogReader(path: dir.file("events-1.jsonl"))
        let coordinator = try TestJobsBinary.start(
            coordinatorArguments(dir, listen: "127.0.0.1:0", eventLog: "events-1.jsonl"), environment: secret, in: dir.path, name: "coordinator-1")
        #expect(eventually(within: .seconds(20)) { first.listenAddress() != nil })
        let address = try #require(first.listenAddress())
        let survivor = try TestJobsBinary.start(
            ["worker", "--coordinator", address, "--coordinator-grace", "60s"], environment: secret, in: dir.path, name: "survivor")
        let casualty = try TestJobsBinary.start(
            ["worker", "--coordinator", address, "--coordinator-grace", "60s"], environment: secret, in: dir.path, name: "casualty")
        // Between the maps and the reduces: every map committed, no reduce yet (each reduce waits 300 ms).
        #expect(eventually(within: .seconds(90)) { first.events(named: "stage_completed").contains { $0["stage"] as? String == "map" } })
        try coordinator.process.signal(Signal.kill)
        try casualty.process.signal(Signal.kill)
        _ = try coordinator.finish(timeout: .seconds(10))
        _ = try casualty.finish(timeout: .seconds(10))
        #expect(first.committedTasks(prefix: "reduce task").isEmpty, "a reduce committed before the kill; the moment was missed")

        // Which maps each worker's committed output holds, by the killed run's worker ids.
        let pids = first.workerPIDs()
        let survivorID = try #require(pids.first { $0.value == survivor.process.pid }?.key)
        var mapsBy: [Bool: Set<String>] = [:]
        for event in first.events(named: "attempt_committed") {
            guard let task = event["task"] as? String, task.hasPrefix("map task"), let worker = event["worker"] as? Int else { continue }
            mapsBy[worker == survivorID, default: []].insert(task)
        }
        let kept = mapsBy[true] ?? [], lost = mapsBy[false] ?? []
        #expect(!kept.isEmpty && !lost.isEmpty, "both workers ran maps")

        let second = EventLogReader(path: dir.file("events-2.jsonl"))
        let resumed = try TestJobsBinary.start(
            coordinatorArguments(dir, listen: address, eventLog: "events-2.jsonl", extra: ["--resume"]), environment: secret, in: dir.path,
            name: "coordinator-2")
        let fresh = try TestJobsBinary.start(["worker", "--coordinator", address], environment: secret, in: dir.path, name: "fresh")
        let result = try resumed.finish(timeout: .seconds(120))
        #expect(result.exitCode == 0, "stderr: \(result.stderr)")
        #expect(try JobOutput(directory: dir.file("out")).lines().sorted() == (try MapReduceOracle.wordCount(files, lowercase: false)).sorted())

        let restored = Set(second.events(named: "task_restored").compactMap { $0["task"] as? String }.filter { $0.hasPrefix("map task") })
        #expect(restored == kept, "the rejoined worker's maps are reused, and only those")
        let rerun = second.startedTasks(prefix: "map task")
        #expect(rerun.isDisjoint(with: kept), "a map whose output the rejoined worker still served ran again")
        #expect(rerun == lost, "every map of the worker that died runs again")
        #expect(second.events(named: "worker_rejoined").count == 1)
        #expect(result.stdout.contains("reusing \(kept.count) of") || result.stderr.contains("reusing \(kept.count) of"))
        for worker in [survivor, fresh] {
            let end = try worker.finish(timeout: .seconds(20))
            #expect(end.exitCode == 0, "stderr: \(end.stderr)")
        }
    }
}
