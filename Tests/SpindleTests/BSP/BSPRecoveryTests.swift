import Foundation
import SpindlePosix
import Testing

/// Checkpoint / replay of BSP jobs: a worker is SIGKILLed at a chosen superstep and the job still ends with
/// the result of a failure-free run.
@Suite(.serialized) struct BSPRecoveryTests {
    private struct Run {
        let dir: TemporaryDirectory
        let log: EventLogReader
        let result: ProcessResult
        let files: [String]
    }

    private func superstep(of event: [String: Any]) -> Int? {
        guard let task = event["task"] as? String, task.hasPrefix("superstep ") else { return nil }
        return Int(task.dropFirst("superstep ".count).prefix { $0.isNumber })
    }

    private func started(_ step: Int) -> (EventLogReader) -> Bool {
        { log in log.events(named: "attempt_started").contains { superstep(of: $0) == step } }
    }

    private func checkpointed(_ step: Int) -> (EventLogReader) -> Bool {
        { log in log.events(named: "checkpoint").contains { $0["superstep"] as? Int == step } }
    }

    /// Runs `job` with 3 workers and 6 partitions on a graph with a long chain (many supersteps), waits until
    /// `condition` holds on the event log, SIGKILLs the worker of the newest attempt, and waits for the end.
    private func runAndKill(
        job: String = "slowbspcomponents", checkpointEvery: Int, extra: [String] = ["--param", "delay=200ms"],
        when condition: (EventLogReader) -> Bool
    ) throws -> Run {
        let dir = try TemporaryDirectory()
        let files = [
            try GraphFixtures.write(
                GraphFixtures.snapText(GraphFixtures.rmat(scale: 7, edgeFactor: 4, seed: 11), title: "rmat"), to: dir.file("g/a.txt")),
            try GraphFixtures.write(GraphFixtures.snapText(BSPFixtures.chain(length: 24, seed: 5), title: "chain"), to: dir.file("g/b.txt")),
        ]
        let log = EventLogReader(path: dir.file("events.jsonl"))
        let coordinator = try TestJobsBinary.start(
            [
                "run", job, "--input", dir.file("g"), "--output", dir.file("out"), "--workers", "3", "--partitions", "6",
                "--checkpoint-every", "\(checkpointEvery)", "--heartbeat-timeout", "1s", "--event-log", dir.file("events.jsonl"),
            ] + extra,
            in: dir.path, name: "coordinator")
        #expect(eventually(within: .seconds(60)) { condition(log) }, "the kill condition never held: \(log.events().suffix(5))")
        let newest = try #require(log.events(named: "attempt_started").last)
        let victim = try #require(newest["worker"] as? Int)
        sendSignal(Signal.kill, to: try #require(log.workerPIDs()[victim]))
        let result = try coordinator.finish(timeout: .seconds(120))
        return Run(dir: dir, log: log, result: result, files: files)
    }

    private func expectFailureFreeComponents(_ run: Run) throws {
        #expect(run.result.exitCode == 0, "stderr: \(run.result.stderr)")
        let expected = PregelOracle.connectedComponents(try OracleGraph(contentsOf: run.files))
        #expect(try PregelOutput.labels(JobOutput(directory: run.dir.file("out")).lines()) == expected)
        #expect(try JobOutput(directory: run.dir.file("out")).counters()["bsp.rollbacks"] == 1)
    }

    private func rollbackTarget(_ run: Run) -> Int? {
        run.log.events(named: "rollback").first?["to_superstep"] as? Int
    }

    /// Supersteps started after the rollback.
    private func replayedSupersteps(_ run: Run) -> [Int] {
        let events = run.log.events()
        guard let rollback = events.firstIndex(where: { $0["event"] as? String == "rollback" }) else { return [] }
        return events[rollback...].filter { $0["event"] as? String == "attempt_started" }.compactMap(superstep(of:))
    }

    @Test func killRightAfterACheckpointResumesFromItWithTheSameOutput() throws {
        let run = try runAndKill(checkpointEvery: 2) { log in checkpointed(3)(log) && started(4)(log) }
        try expectFailureFreeComponents(run)
        #expect(rollbackTarget(run) == 3)
        #expect(!replayedSupersteps(run).isEmpty)
        #expect(replayedSupersteps(run).allSatisfy { $0 >= 4 }, "supersteps up to the checkpoint must not run again: \(replayedSupersteps(run))")
    }

    @Test func withCheckpointsOffAKillRestartsFromSuperstepZeroWithTheSameOutput() throws {
        let run = try runAndKill(checkpointEvery: 0, when: started(2))
        try expectFailureFreeComponents(run)
        #expect(rollbackTarget(run) == -1)
        #expect(replayedSupersteps(run).min() == 0)
    }

    @Test func masterComputeGlobalsAndAggregatesSurviveARollback() throws {
        let run = try runAndKill(job: "bspmaster", checkpointEvery: 3, extra: ["--param", "delay=300ms"]) { log in
            checkpointed(2)(log) && started(4)(log)
        }
        #expect(run.result.exitCode == 0, "stderr: \(run.result.stderr)")
        #expect(rollbackTarget(run) == 2)
        let lines = try JobOutput(directory: run.dir.file("out")).lines().sorted()
        #expect(lines == (0..<6).map { "\($0)\t28.0\t6.0\t0" })
        let success = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: run.dir.file("out/_SUCCESS")))) as! [String: Any]
        #expect(success["aggregators"] as? [String: Double] == ["one": 6, "smallest": 0, "largest": 5])
    }
}
