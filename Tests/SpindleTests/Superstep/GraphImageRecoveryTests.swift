import Foundation
import SpindlePosix
import Testing

/// Graph images with real processes: 3 workers, one SIGKILLed after the first checkpoint. The lost worker's load
/// tasks do not run again; the partitions it owned are prepared from their images (confined and full recovery),
/// and the output is line for line that of a failure-free run. Damaged images fall back to the input.
@Suite(.serialized) struct GraphImageRecoveryTests {
    struct Run {
        let dir: TemporaryDirectory
        let log: EventLogReader
        let lines: [String]
    }

    /// Runs slow PageRank on a small R-MAT graph with 3 workers and 6 partitions; with `kill`, SIGKILLs the worker of
    /// the newest attempt once superstep 10 started after the checkpoint of 7, calling `beforeKill` first.
    private func run(recovery: String, kill: Bool, beforeKill: (TemporaryDirectory) throws -> Void = { _ in }) throws -> Run {
        let dir = try TemporaryDirectory()
        _ = try GraphFixtures.write(
            GraphFixtures.snapText(GraphFixtures.rmat(scale: 7, edgeFactor: 4, seed: 11), title: "rmat"), to: dir.file("g/a.txt"))
        let log = EventLogReader(path: dir.file("events.jsonl"))
        let coordinator = try TestJobsBinary.start(
            [
                "run", "slowpagerank", "--input", dir.file("g"), "--output", dir.file("out"), "--workers", "3", "--partitions", "6",
                "--split-size", "2KiB", "--checkpoint-every", "4", "--recovery", recovery, "--heartbeat-timeout", "1s",
                "--event-log", dir.file("events.jsonl"), "--param", "delay=150ms",
            ],
            in: dir.path, name: "coordinator")
        if kill {
            let ready = eventually(within: .seconds(90)) {
                log.events(named: "checkpoint").contains { $0["superstep"] as? Int == 7 }
                    && log.events(named: "attempt_started").contains { ($0["task"] as? String)?.hasPrefix("superstep 10 ") == true }
            }
            #expect(ready, "superstep 10 never started: \(log.events().suffix(5))")
            try beforeKill(dir)
            let newest = try #require(log.events(named: "attempt_started").last)
            let victim = try #require(newest["worker"] as? Int)
            sendSignal(Signal.kill, to: try #require(log.workerPIDs()[victim]))
        }
        let result = try coordinator.finish(timeout: .seconds(180))
        #expect(result.exitCode == 0, "stderr: \(result.stderr)")
        let lines = result.exitCode == 0 ? try JobOutput(directory: dir.file("out")).lines() : []
        return Run(dir: dir, log: log, lines: lines)
    }

    private static func ints(_ value: Any?) -> [Int] { (value as? [Any])?.compactMap { $0 as? Int } ?? [] }

    /// The events from the rollback on, and the first `prepared` event among them.
    private static func afterRollback(_ run: Run) throws -> (events: ArraySlice<[String: Any]>, prepared: [String: Any]) {
        let events = run.log.events()
        let at = try #require(events.firstIndex { $0["event"] as? String == "rollback" }, "no rollback")
        let prepared = try #require(events[at...].first { $0["event"] as? String == "prepared" }, "no prepare after the rollback")
        return (events[at...], prepared)
    }

    @Test(arguments: ["confined", "full"]) func theLostPartitionsAreReadFromTheirImagesAndNoLoadTaskRunsAgain(recovery: String) throws {
        let clean = try run(recovery: recovery, kill: false)
        let first = try #require(clean.log.events(named: "prepared").first)
        #expect(Self.ints(first["from_load"]) == Array(0..<6), "the first prepare builds every partition and writes its image")
        let killed = try run(recovery: recovery, kill: true)
        #expect(killed.lines == clean.lines, "the output differs from a failure-free run")
        #expect(!clean.lines.isEmpty)
        let (events, prepared) = try Self.afterRollback(killed)
        let loads = events.filter { $0["event"] as? String == "attempt_started" && ($0["task"] as? String)?.hasPrefix("load task") == true }
        #expect(loads.isEmpty, "a load task ran again: \(loads)")
        let fromImage = Self.ints(prepared["from_image"])
        #expect(fromImage.count == 2, "the killed worker owned 2 of the 6 partitions: \(prepared)")
        #expect(Self.ints(prepared["from_load"]).isEmpty)
        if recovery == "confined" {
            #expect(fromImage == Self.ints(events.first?["partitions"]), "the recovering partitions are the ones read back")
        } else {
            #expect(Self.ints(prepared["held"]).count == 4, "the survivors keep their graphs")
        }
        #expect(killed.log.events(named: "graph_image_corrupt").isEmpty)
    }

    @Test func aDamagedImageFallsBackToTheInput() throws {
        let clean = try run(recovery: "confined", kill: false)
        let killed = try run(recovery: "confined", kill: true) { dir in
            // Flip one byte in the middle of every partition's image.
            for p in 0..<6 {
                let path = dir.file("out/_temporary/checkpoints/graph/partition-\(p)")
                var bytes = try #require(FileManager.default.contents(atPath: path), "no graph image at \(path)")
                bytes[bytes.count / 2] ^= 0x5A
                try bytes.write(to: URL(fileURLWithPath: path))
            }
        }
        #expect(killed.lines == clean.lines, "the output differs from a failure-free run")
        let (events, prepared) = try Self.afterRollback(killed)
        let recovering = Self.ints(events.first?["partitions"])
        #expect(recovering.count == 2)
        #expect(Self.ints(prepared["from_load"]) == recovering, "the recovering partitions were rebuilt from the input: \(prepared)")
        let damaged = killed.log.events(named: "graph_image_corrupt")
        #expect(damaged.compactMap { $0["partition"] as? Int }.sorted() == recovering)
        #expect(damaged.allSatisfy { ($0["cause"] as? String)?.contains("checksum") == true }, "\(damaged)")
    }
}
