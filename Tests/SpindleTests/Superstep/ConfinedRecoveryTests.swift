import Foundation
import SpindlePosix
import Testing

/// Confined recovery with real processes: 3 workers, one SIGKILLed at a chosen superstep; the job ends with
/// exactly the output of a failure-free run, and the event log shows that only the lost worker's partitions
/// computed the supersteps since the checkpoint again.
@Suite(.serialized) struct ConfinedRecoveryTests {
    struct Run {
        let dir: TemporaryDirectory
        let log: EventLogReader
        let result: ProcessResult
        let lines: [String]
    }

    /// A chain of 30 vertices (many supersteps for components and distances) and a small R-MAT graph.
    private static func graph(_ dir: TemporaryDirectory) throws {
        _ = try GraphFixtures.write(
            GraphFixtures.snapText(GraphFixtures.rmat(scale: 7, edgeFactor: 4, seed: 11), title: "rmat"), to: dir.file("g/a.txt"))
        _ = try GraphFixtures.write(GraphFixtures.snapText(BSPFixtures.chain(length: 30, seed: 5), title: "chain"), to: dir.file("g/b.txt"))
    }

    /// Runs `job` with 3 workers and 6 partitions; when `kill` is given, SIGKILLs the worker of the newest attempt
    /// once it holds on the event log.
    private func run(_ job: String, _ extra: [String], recovery: String = "confined", kill: ((EventLogReader) -> Bool)? = nil) throws -> Run {
        let dir = try TemporaryDirectory()
        try Self.graph(dir)
        let log = EventLogReader(path: dir.file("events.jsonl"))
        let coordinator = try TestJobsBinary.start(
            [
                "run", job, "--input", dir.file("g"), "--output", dir.file("out"), "--workers", "3", "--partitions", "6",
                "--checkpoint-every", "4", "--recovery", recovery, "--heartbeat-timeout", "1s", "--event-log", dir.file("events.jsonl"),
            ] + extra,
            in: dir.path, name: "coordinator")
        if let kill {
            #expect(eventually(within: .seconds(90)) { kill(log) }, "the kill condition never held: \(log.events().suffix(5))")
            let newest = try #require(log.events(named: "attempt_started").last)
            let victim = try #require(newest["worker"] as? Int)
            sendSignal(Signal.kill, to: try #require(log.workerPIDs()[victim]))
        }
        let result = try coordinator.finish(timeout: .seconds(180))
        #expect(result.exitCode == 0, "stderr: \(result.stderr)")
        let lines = result.exitCode == 0 ? try JobOutput(directory: dir.file("out")).lines().sorted() : []
        return Run(dir: dir, log: log, result: result, lines: lines)
    }

    /// (superstep, partition, replay) of a task's description ("superstep 5 of partition 3 (replay)").
    private static func task(_ event: [String: Any]) -> (superstep: Int, partition: Int, replay: Bool)? {
        guard let text = event["task"] as? String, text.hasPrefix("superstep ") else { return nil }
        let words = text.split(separator: " ")
        guard words.count >= 4, let s = Int(words[1]), let p = Int(words[4].prefix { $0.isNumber }) else { return nil }
        return (s, p, text.hasSuffix("(replay)"))
    }

    private static func checkpointed(_ s: Int, thenStarted t: Int) -> (EventLogReader) -> Bool {
        { log in
            log.events(named: "checkpoint").contains { $0["superstep"] as? Int == s }
                && log.events(named: "attempt_started").contains { task($0)?.superstep == t }
        }
    }

    /// Checks the output and that, after the confined rollback, only the recovering partitions computed the
    /// supersteps before the rejoin, each once per replay, with a `replayed` event per superstep.
    private func expectConfined(_ killed: Run, equals clean: Run) throws {
        #expect(killed.lines == clean.lines, "the output differs from a failure-free run")
        #expect(!clean.lines.isEmpty)
        let events = killed.log.events()
        let at = try #require(events.firstIndex { $0["event"] as? String == "rollback" }, "no rollback event")
        let rollback = events[at]
        #expect(rollback["mode"] as? String == "confined", "\(rollback)")
        let checkpoint = try #require(rollback["to_superstep"] as? Int)
        let rejoin = try #require(rollback["rejoin"] as? Int)
        let recovering = Set(try #require(rollback["partitions"] as? [Int]))
        #expect(recovering.count == 2, "the killed worker owned 2 of the 6 partitions: \(recovering)")
        let restarted = events[at...].filter { $0["event"] as? String == "attempt_started" }.compactMap(Self.task)
        let early = restarted.filter { $0.superstep < rejoin }
        #expect(early.allSatisfy { recovering.contains($0.partition) && $0.replay }, "a survivor's partition computed again: \(early)")
        #expect(Set(early.map(\.superstep)) == Set((checkpoint + 1)..<rejoin))
        let replayed = events[at...].filter { $0["event"] as? String == "replayed" }
        #expect(replayed.compactMap { $0["superstep"] as? Int } == Array((checkpoint + 1)..<rejoin))
        #expect(replayed.allSatisfy { $0["computed"] as? Int == 2 })
        #expect(events.filter { $0["event"] as? String == "rollback" }.count == 1)
    }

    @Test func pageRankRecoversOnlyTheLostPartitions() throws {
        let extra = ["--param", "delay=150ms"]
        let clean = try run("slowpagerank", extra)
        let killed = try run("slowpagerank", extra, kill: Self.checkpointed(7, thenStarted: 10))
        try expectConfined(killed, equals: clean)
    }

    @Test func connectedComponentsRecoverOnlyTheLostPartitions() throws {
        let extra = ["--param", "delay=150ms"]
        let clean = try run("slowcomponents", extra)
        let killed = try run("slowcomponents", extra, kill: Self.checkpointed(7, thenStarted: 9))
        try expectConfined(killed, equals: clean)
    }

    @Test func shortestPathsRecoverOnlyTheLostPartitions() throws {
        let source = BSPFixtures.chain(length: 30, seed: 5)[0].target
        let extra = ["--param", "delay=150ms", "--param", "source=\(source)", "--param", "undirected=true"]
        let clean = try run("slowsssp", extra)
        let killed = try run("slowsssp", extra, kill: Self.checkpointed(3, thenStarted: 6))
        try expectConfined(killed, equals: clean)
    }

    @Test func aBSPJobRecoversOnlyTheLostPartitions() throws {
        let extra = ["--param", "delay=100ms"]
        let clean = try run("slowbspcomponents", extra)
        let killed = try run("slowbspcomponents", extra, kill: Self.checkpointed(7, thenStarted: 9))
        try expectConfined(killed, equals: clean)
    }

    /// With no memory for the message logs, or too little for all of them, the outputs go to scratch files, and
    /// the recovery from them is as exact as from memory.
    @Test(arguments: ["0", "2KiB"]) func aSmallMessageLogBudgetRecoversFromTheSpilledLogs(budget: String) throws {
        let extra = ["--param", "delay=150ms", "--message-log-memory", budget]
        let clean = try run("slowpagerank", ["--param", "delay=150ms"])
        let killed = try run("slowpagerank", extra, kill: Self.checkpointed(7, thenStarted: 10))
        try expectConfined(killed, equals: clean)
    }

    @Test func fullRecoveryRollsBackEveryPartition() throws {
        let extra = ["--param", "delay=150ms"]
        let clean = try run("slowpagerank", extra, recovery: "full")
        let killed = try run("slowpagerank", extra, recovery: "full", kill: Self.checkpointed(3, thenStarted: 5))
        #expect(killed.lines == clean.lines)
        let rollback = try #require(killed.log.events(named: "rollback").first)
        #expect(rollback["mode"] as? String == "full")
        #expect(killed.log.events(named: "replayed").isEmpty)
    }
}
