import Foundation
import SpindleCore
import SpindlePosix
import Testing

/// The aggregates and master globals of every superstep survive a coordinator restart: a PageRank whose vertices
/// read an aggregate (the dangling mass) and whose master compute reads another (the change, against a tolerance)
/// is killed, resumed, and loses a worker in the resumed run (a confined recovery, which feeds the recovering
/// partitions the recorded aggregates); every superstep's aggregates and the output are bitwise those of a
/// failure-free run.
@Suite(.serialized) struct SuperstepResumeMasterTests {
    private func arguments(_ dir: TemporaryDirectory, eventLog: String, extra: [String] = []) -> [String] {
        ["run", "slowpagerank", "--input", dir.file("g"), "--output", dir.file("out"), "--workers", "3", "--partitions", "6",
         "--checkpoint-every", "4", "--recovery", "confined", "--param", "delay=100ms",
         "--param", "tolerance=1e-9", "--event-log", dir.file(eventLog)] + extra
    }

    private func graph(_ dir: TemporaryDirectory) throws {
        _ = try GraphFixtures.write(GraphFixtures.snapText(GraphFixtures.rmat(scale: 8, edgeFactor: 8, seed: 41), title: "aggregates"), to: dir.file("g/g.txt"))
    }

    private func superstep(of event: [String: Any]) -> Int? {
        guard let task = event["task"] as? String, task.hasPrefix("superstep ") else { return nil }
        return Int(task.dropFirst("superstep ".count).prefix { $0.isNumber })
    }

    /// Superstep → its aggregates as the `superstep` events give them (every completion of it must agree).
    private func aggregates(_ log: EventLogReader) -> [Int: [String: Double]] {
        var result: [Int: [String: Double]] = [:]
        for event in log.events(named: "superstep") {
            guard let s = event["superstep"] as? Int else { continue }
            var values: [String: Double] = [:]
            for (key, value) in event where key.hasPrefix("aggregate.") { values[key] = value as? Double }
            if let earlier = result[s] { #expect(earlier == values, "superstep \(s) completed twice with other aggregates") }
            result[s] = values
        }
        return result
    }

    @Test func aResumedRunAndAConfinedRecoveryInItSeeTheAggregatesOfTheFirstRun() throws {
        let clean = try TemporaryDirectory()
        try graph(clean)
        let cleanLog = EventLogReader(path: clean.file("events.jsonl"))
        let reference = try TestJobsBinary.run(arguments(clean, eventLog: "events.jsonl"), in: clean.path)
        #expect(reference.exitCode == 0, "stderr: \(reference.stderr)")
        let expected = try JobOutput(directory: clean.file("out")).lines().sorted()

        let dir = try TemporaryDirectory()
        try graph(dir)
        let killedLog = EventLogReader(path: dir.file("events-1.jsonl"))
        let coordinator = try TestJobsBinary.start(arguments(dir, eventLog: "events-1.jsonl"), in: dir.path, name: "coordinator-1")
        #expect(eventually(within: .seconds(90)) { killedLog.events(named: "attempt_started").contains { superstep(of: $0) == 9 } })
        try? coordinator.process.signal(Signal.kill)
        _ = try coordinator.finish(timeout: .seconds(20))

        let log = EventLogReader(path: dir.file("events-2.jsonl"))
        let resumed = try TestJobsBinary.start(arguments(dir, eventLog: "events-2.jsonl", extra: ["--resume"]), in: dir.path, name: "coordinator-2")
        // In the resumed run: after the checkpoint of superstep 11, a worker dies at superstep 13.
        #expect(
            eventually(within: .seconds(120)) {
                log.events(named: "checkpoint").contains { $0["superstep"] as? Int == 11 }
                    && log.events(named: "attempt_started").contains { superstep(of: $0) == 13 }
            }, "the resumed run never reached superstep 13")
        let newest = try #require(log.events(named: "attempt_started").last)
        let victim = try #require(newest["worker"] as? Int)
        sendSignal(Signal.kill, to: try #require(log.workerPIDs()[victim]))
        let result = try resumed.finish(timeout: .seconds(180))
        #expect(result.exitCode == 0, "stderr: \(result.stderr)")
        #expect(try JobOutput(directory: dir.file("out")).lines().sorted() == expected, "the output differs from a failure-free run")

        #expect(log.events(named: "rollback").contains { $0["mode"] as? String == "confined" }, "the resumed run did no confined recovery")
        #expect(log.events(named: "master_differs").isEmpty)
        let want = aggregates(cleanLog)
        for (name, seen) in [("killed", aggregates(killedLog)), ("resumed", aggregates(log))] {
            #expect(!seen.isEmpty)
            for (s, values) in seen { #expect(values == want[s], "superstep \(s) of the \(name) run saw other aggregates") }
        }
    }
}
