import Foundation
import SpindlePosix
import Testing

/// Checkpoint / replay: a worker is SIGKILLed (or SIGSTOPped) at a chosen superstep and the job still ends
/// with the result of a failure-free run.
@Suite(.serialized) struct PregelRecoveryTests {
    struct Run {
        let dir: TemporaryDirectory
        let log: EventLogReader
        let result: ProcessResult
        let killedAfterEvent: Int
        let graph: OracleGraph
    }

    private func superstep(of event: [String: Any]) -> Int? {
        guard let task = event["task"] as? String, task.hasPrefix("superstep ") else { return nil }
        return Int(task.dropFirst("superstep ".count).prefix { $0.isNumber })
    }

    /// Runs `job` with 3 workers, waits until `condition` holds on the event log, sends `signal` (SIGKILL by
    /// default) to the worker of the newest attempt, and waits for the job to end.
    func runAndKill(
        job: String = "slowpagerank", checkpointEvery: Int, extra: [String] = [], graphText: String? = nil, signal: Int32 = Signal.kill,
        beforeKill: (TemporaryDirectory, EventLogReader) throws -> Void = { _, _ in },
        when condition: (EventLogReader) -> Bool
    ) throws -> Run {
        let dir = try TemporaryDirectory()
        let text = graphText ?? GraphFixtures.snapText(GraphFixtures.rmat(scale: 8, edgeFactor: 8, seed: 77), title: "recovery")
        let path = try GraphFixtures.write(text, to: dir.file("g/g.txt"))
        let log = EventLogReader(path: dir.file("events.jsonl"))
        let coordinator = try TestJobsBinary.start(
            [
                "run", job, "--input", dir.file("g"), "--output", dir.file("out"), "--workers", "3", "--partitions", "6",
                "--checkpoint-every", "\(checkpointEvery)", "--heartbeat-timeout", "1s", "--event-log", dir.file("events.jsonl"),
            ] + extra,
            in: dir.path, name: "coordinator")
        #expect(eventually(within: .seconds(60)) { condition(log) }, "the kill condition never held: \(log.events().suffix(5))")
        try beforeKill(dir, log)
        let newest = try #require(log.events(named: "attempt_started").last)
        let victim = try #require(newest["worker"] as? Int)
        let killedAfter = log.events().count
        sendSignal(signal, to: try #require(log.workerPIDs()[victim]))
        let result = try coordinator.finish(timeout: .seconds(120))
        return Run(dir: dir, log: log, result: result, killedAfterEvent: killedAfter, graph: try OracleGraph(contentsOf: path))
    }

    func expectFailureFreePageRank(_ run: Run) throws {
        #expect(run.result.exitCode == 0, "stderr: \(run.result.stderr)")
        let actual = try PregelOutput.numbers(JobOutput(directory: run.dir.file("out")).lines())
        #expect(PregelOutput.rankMismatches(expected: PregelOracle.pagerank(run.graph), actual: actual) == [])
    }

    func rollbackTarget(_ run: Run) -> Int? {
        run.log.events(named: "rollback").first?["to_superstep"] as? Int
    }

    /// Supersteps started after the rollback.
    private func replayedSupersteps(_ run: Run) -> [Int] {
        let events = run.log.events()
        guard let rollback = events.firstIndex(where: { $0["event"] as? String == "rollback" }) else { return [] }
        return events[rollback...].filter { $0["event"] as? String == "attempt_started" }.compactMap(superstep(of:))
    }

    func started(_ step: Int) -> (EventLogReader) -> Bool {
        { log in log.events(named: "attempt_started").contains { superstep(of: $0) == step } }
    }

    @Test func killBeforeTheFirstCheckpointRestartsFromSuperstepZero() throws {
        let run = try runAndKill(checkpointEvery: 4, when: started(1))
        try expectFailureFreePageRank(run)
        #expect(rollbackTarget(run) == -1)
        #expect(replayedSupersteps(run).min() == 0)
    }

    @Test func killRightAfterACheckpointResumesFromIt() throws {
        let run = try runAndKill(checkpointEvery: 4) { log in
            log.events(named: "checkpoint").contains { $0["superstep"] as? Int == 3 } && started(4)(log)
        }
        try expectFailureFreePageRank(run)
        #expect(rollbackTarget(run) == 3)
        #expect(replayedSupersteps(run).allSatisfy { $0 >= 4 }, "supersteps up to the checkpoint must not run again: \(replayedSupersteps(run))")
        #expect(!replayedSupersteps(run).isEmpty)
    }

    @Test func killWhileACheckpointIsWrittenFallsBackToThePreviousOne() throws {
        let run = try runAndKill(checkpointEvery: 4, when: started(7))
        try expectFailureFreePageRank(run)
        #expect(rollbackTarget(run) == 3)
        #expect(replayedSupersteps(run).allSatisfy { $0 >= 4 })
    }

    @Test func aWorkerStoppedMidSuperstepIsDeclaredDeadAndTheOthersFinishFromTheCheckpoint() throws {
        // The survivors' tasks may be fetching (or have fetched ahead) from the stopped worker: they must not
        // wait for it beyond the rollback.
        let started = MonotonicClock.nanoseconds()
        let run = try runAndKill(checkpointEvery: 4, signal: Signal.stop) { log in
            log.events(named: "checkpoint").contains { $0["superstep"] as? Int == 3 } && self.started(5)(log)
        }
        let seconds = Double(MonotonicClock.nanoseconds() - started) / 1e9
        try expectFailureFreePageRank(run)
        #expect(
            (run.log.events(named: "worker_lost").first?["cause"] as? String)?.contains("no heartbeat") == true,
            "\(run.log.events(named: "worker_lost"))")
        #expect(rollbackTarget(run) == 3)
        #expect(replayedSupersteps(run).allSatisfy { $0 >= 4 })
        #expect(seconds < 60, "the job took \(seconds) s after a worker stopped")
    }

    @Test func corruptedCheckpointIsDetectedAndTheOneBeforeItIsUsed() throws {
        let run = try runAndKill(
            checkpointEvery: 2,
            beforeKill: { dir, _ in
                let path = dir.file("out/_temporary/checkpoints/superstep-3/state-0")
                var bytes = try FileSystem.readFile(path)
                bytes[bytes.count / 2] ^= 0x5A
                try Data(bytes).write(to: URL(fileURLWithPath: path))
            },
            when: { log in log.events(named: "checkpoint").contains { $0["superstep"] as? Int == 3 } && started(4)(log) })
        try expectFailureFreePageRank(run)
        #expect(run.log.events(named: "checkpoint_corrupt").first?["superstep"] as? Int == 3)
        #expect(rollbackTarget(run) == 1)
    }

    @Test func withCheckpointsOffAFailureRestartsFromSuperstepZeroAndSaysSo() throws {
        let run = try runAndKill(checkpointEvery: 0, when: started(2))
        try expectFailureFreePageRank(run)
        #expect(rollbackTarget(run) == -1)
        #expect(run.result.stderr.contains("restarting from superstep 0 on the survivors"), "stderr: \(run.result.stderr)")
        #expect(run.log.events(named: "checkpoint").isEmpty)
    }

    @Test func aggregatorsAndMasterComputeStateSurviveARollback() throws {
        let run = try runAndKill(
            job: "mastertest", checkpointEvery: 3, extra: ["--param", "delay=300ms"], graphText: GraphFixtures.handMadeText,
            when: { log in log.events(named: "checkpoint").contains { $0["superstep"] as? Int == 2 } && started(4)(log) })
        #expect(run.result.exitCode == 0, "stderr: \(run.result.stderr)")
        #expect(rollbackTarget(run) == 2)
        #expect(
            try PregelOutput.numbers(JobOutput(directory: run.dir.file("out")).lines())
                == Dictionary(uniqueKeysWithValues: run.graph.vertices.map { ($0, 28.0) }))
        let success = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: run.dir.file("out/_SUCCESS")))) as! [String: Any]
        #expect((success["aggregators"] as! [String: Double])["one"] == Double(run.graph.vertices.count))
    }
}
