import Foundation
import SpindleCore
import SpindlePosix
import Testing

/// A PageRank run with checkpoints whose coordinator is SIGKILLed at a chosen superstep, then resumed: the
/// result equals a failure-free run, and no superstep up to the newest committed checkpoint runs again.
@Suite(.serialized) struct PageRankResumeTests {
    private func superstep(of event: [String: Any]) -> Int? {
        guard let task = event["task"] as? String, task.hasPrefix("superstep ") else { return nil }
        return Int(task.dropFirst("superstep ".count).prefix { $0.isNumber })
    }

    private func arguments(_ dir: TemporaryDirectory, eventLog: String, extra: [String] = []) -> [String] {
        ["run", "slowpagerank", "--input", dir.file("g"), "--output", dir.file("out"), "--workers", "3", "--partitions", "6",
         "--checkpoint-every", "4", "--param", "delay=100ms", "--event-log", dir.file(eventLog)] + extra
    }

    @Test(arguments: [2, 9, 14]) func killedAtASuperstepResumesFromTheNewestCheckpoint(killAt: Int) throws {
        let dir = try TemporaryDirectory()
        let path = try GraphFixtures.write(GraphFixtures.snapText(GraphFixtures.rmat(scale: 8, edgeFactor: 8, seed: 31), title: "resume"), to: dir.file("g/g.txt"))
        let killedLog = EventLogReader(path: dir.file("events-1.jsonl"))
        let coordinator = try TestJobsBinary.start(arguments(dir, eventLog: "events-1.jsonl"), in: dir.path, name: "coordinator-1")
        #expect(eventually(within: .seconds(90)) { killedLog.events(named: "attempt_started").contains { superstep(of: $0) == killAt } })
        try? coordinator.process.signal(Signal.kill)
        _ = try coordinator.finish(timeout: .seconds(20))
        #expect(FileSystem.exists(dir.file("out/_temporary/journal")))
        let checkpoints = killedLog.events(named: "checkpoint").compactMap { $0["superstep"] as? Int }

        let log = EventLogReader(path: dir.file("events-2.jsonl"))
        let result = try TestJobsBinary.run(arguments(dir, eventLog: "events-2.jsonl", extra: ["--resume"]), in: dir.path)
        #expect(result.exitCode == 0, "stderr: \(result.stderr)")
        let ranks = try PregelOutput.numbers(JobOutput(directory: dir.file("out")).lines())
        #expect(PregelOutput.rankMismatches(expected: PregelOracle.pagerank(try OracleGraph(contentsOf: path)), actual: ranks) == [])
        #expect(!FileSystem.exists(dir.file("out/_temporary")))

        let resumed = try #require(log.events(named: "job_resumed").first)
        let newest = checkpoints.max()
        #expect(resumed["checkpoint"] as? Int == newest)
        let started = log.events(named: "attempt_started").compactMap(superstep(of:))
        #expect(started.min() == (newest.map { $0 + 1 } ?? 0), "the resumed run starts after the newest checkpoint")
        // The epoch went up: every rollback of the resumed run is under a higher epoch than the killed run's.
        let oldEpoch = killedLog.events(named: "superstep").compactMap { $0["epoch"] as? Int }.max() ?? 0
        #expect(log.events(named: "superstep").allSatisfy { ($0["epoch"] as? Int ?? 0) > oldEpoch })
    }

    /// The killed run's workers all saw the output, so its checkpoints went there (`auto`), and the journal says so:
    /// a resume asking for another store is refused, and one whose workers cannot see the output fails saying why
    /// rather than taking `auto`'s other choice, which would not find the checkpoints.
    @Test func aResumeKeepsTheCheckpointStoreTheKilledRunChose() throws {
        let dir = try TemporaryDirectory()
        _ = try GraphFixtures.write(GraphFixtures.snapText(GraphFixtures.rmat(scale: 8, edgeFactor: 8, seed: 37), title: "store"), to: dir.file("g/g.txt"))
        let killedLog = EventLogReader(path: dir.file("events-1.jsonl"))
        let coordinator = try TestJobsBinary.start(arguments(dir, eventLog: "events-1.jsonl"), in: dir.path, name: "coordinator-1")
        #expect(eventually(within: .seconds(90)) { killedLog.events(named: "attempt_started").contains { superstep(of: $0) == 5 } })
        try? coordinator.process.signal(Signal.kill)
        _ = try coordinator.finish(timeout: .seconds(20))
        #expect(killedLog.events(named: "checkpoint_store").first?["store"] as? String == "output")

        let refused = try TestJobsBinary.run(arguments(dir, eventLog: "events-2.jsonl", extra: ["--resume", "--checkpoint-store", "workers"]), in: dir.path)
        #expect(refused.exitCode == 2, "stderr: \(refused.stderr)")
        #expect(refused.stderr.contains("it kept its checkpoints with --checkpoint-store output, not workers"), "stderr: \(refused.stderr)")

        let blind = try TestJobsBinary.run(
            arguments(dir, eventLog: "events-3.jsonl", extra: ["--resume"]), environment: ["SPINDLE_TEST_STORAGE": "no-output"], in: dir.path)
        #expect(blind.exitCode != 0, "stderr: \(blind.stderr)")
        #expect(blind.stderr.contains("no live worker can own partitions"), "stderr: \(blind.stderr)")
        #expect(blind.stderr.contains("as the run it resumes did"), "stderr: \(blind.stderr)")
        #expect(EventLogReader(path: dir.file("events-3.jsonl")).events(named: "checkpoint_store").first?["store"] as? String == "output")
    }
}
