import Foundation
import SpindlePosix
import Testing

/// Checkpoints kept by workers (`--checkpoint-store workers`), with real worker processes on loopback: each
/// checkpoint lives in two workers' scratch directories and never under the output directory, and a worker
/// SIGKILLed after a checkpoint leaves the job with exactly the output of a failure-free run.
@Suite(.serialized) struct WorkerCheckpointStoreTests {
    struct Run {
        let dir: TemporaryDirectory
        let log: EventLogReader
        let result: ProcessResult
        let lines: [String]
        /// Per partition, the scratch directories holding its files of the checked checkpoint.
        let copies: [Int: Int]
        let outputCheckpointsSeen: Bool
    }

    private static func graph(_ dir: TemporaryDirectory) throws {
        _ = try GraphFixtures.write(
            GraphFixtures.snapText(GraphFixtures.rmat(scale: 7, edgeFactor: 4, seed: 11), title: "rmat"), to: dir.file("g/a.txt"))
        _ = try GraphFixtures.write(GraphFixtures.snapText(BSPFixtures.chain(length: 30, seed: 5), title: "chain"), to: dir.file("g/b.txt"))
    }

    private static func checkpointed(_ s: Int, thenStarted t: Int) -> (EventLogReader) -> Bool {
        { log in
            log.events(named: "checkpoint").contains { $0["superstep"] as? Int == s }
                && log.events(named: "attempt_started").contains { ($0["task"] as? String)?.hasPrefix("superstep \(t) ") == true }
        }
    }

    /// How many workers' scratch directories under `scratch` hold partition p's files of the checkpoint of `s`.
    private static func copies(of s: Int, partitions: Int, scratch: String) -> [Int: Int] {
        let workers = ((try? FileSystem.listDirectory(scratch)) ?? []).filter { $0.hasPrefix("spindle-worker-") }
        var counts: [Int: Int] = [:]
        for p in 0..<partitions {
            counts[p] =
                workers.filter { w in
                    let dir = "\(scratch)/\(w)/checkpoints/superstep-\(s)"
                    return FileSystem.exists("\(dir)/state-\(p).spx") && FileSystem.exists("\(dir)/messages-\(p)")
                }.count
        }
        return counts
    }

    /// Runs `job` with `workers` workers, 6 partitions and checkpoints every 4 supersteps kept by workers. When
    /// `kill` holds on the event log, counts the copies of checkpoint `checked` and SIGKILLs the workers `victims`
    /// picks (from the newest attempt's worker and the `checkpoint` event of `checked`).
    private func run(
        _ job: String, workers: Int = 3, recovery: String = "full", checked: Int = 3, kill: ((EventLogReader) -> Bool)? = nil,
        victims: (_ newest: Int, _ holders: [[Int]]) -> [Int] = { newest, _ in [newest] }, then: ((EventLogReader) throws -> Void)? = nil
    ) throws -> Run {
        let dir = try TemporaryDirectory()
        try Self.graph(dir)
        let scratch = dir.file("scratch")
        try FileSystem.createDirectory(scratch, intermediate: true)
        let log = EventLogReader(path: dir.file("events.jsonl"))
        let coordinator = try TestJobsBinary.start(
            [
                "run", job, "--input", dir.file("g"), "--output", dir.file("out"), "--workers", "\(workers)", "--partitions", "6",
                "--checkpoint-every", "4", "--checkpoint-store", "workers", "--recovery", recovery, "--heartbeat-timeout", "3s",
                "--event-log", dir.file("events.jsonl"), "--param", "delay=150ms",
            ],
            environment: ["TMPDIR": scratch], in: dir.path, name: "coordinator")
        var copies: [Int: Int] = [:]
        var seen = false
        if let kill {
            #expect(eventually(within: .seconds(90)) { kill(log) }, "the kill condition never held: \(log.events().suffix(5))")
            copies = Self.copies(of: checked, partitions: 6, scratch: scratch)
            seen = FileSystem.exists(dir.file("out/_temporary/checkpoints"))
            let newest = try #require(log.events(named: "attempt_started").last?["worker"] as? Int)
            let event = try #require(log.events(named: "checkpoint").first { $0["superstep"] as? Int == checked })
            let holders = try #require(event["holders"] as? [[Int]])
            for victim in victims(newest, holders) { sendSignal(Signal.kill, to: try #require(log.workerPIDs()[victim])) }
            try then?(log)
        }
        let result = try coordinator.finish(timeout: .seconds(180))
        #expect(result.exitCode == 0, "stderr: \(result.stderr)")
        let lines = result.exitCode == 0 ? try JobOutput(directory: dir.file("out")).lines().sorted() : []
        return Run(dir: dir, log: log, result: result, lines: lines, copies: copies, outputCheckpointsSeen: seen)
    }

    /// Each partition's checkpoint was on two workers and never under the output directory; the holders named in
    /// the event log are two distinct workers per partition.
    private func expectKeptByTwoWorkers(_ run: Run) {
        #expect(run.copies == Dictionary(uniqueKeysWithValues: (0..<6).map { ($0, 2) }), "copies per partition: \(run.copies)")
        #expect(!run.outputCheckpointsSeen, "a checkpoint directory appeared under the output directory")
        for event in run.log.events(named: "checkpoint") {
            let holders = event["holders"] as? [[Int]] ?? []
            #expect(holders.count == 6 && holders.allSatisfy { Set($0).count == 2 }, "\(event)")
        }
    }

    @Test func pageRankRecoversFromTheSurvivingCopiesWithTheSameOutput() throws {
        let clean = try run("slowpagerank")
        let killed = try run("slowpagerank", kill: Self.checkpointed(3, thenStarted: 5))
        #expect(killed.lines == clean.lines && !clean.lines.isEmpty, "the output differs from a failure-free run")
        expectKeptByTwoWorkers(killed)
        #expect(killed.log.events(named: "rollback").first?["to_superstep"] as? Int == 3)
        #expect(killed.log.events(named: "checkpoint_corrupt").isEmpty)
    }

    @Test func aBSPJobRecoversFromTheSurvivingCopiesWithTheSameOutput() throws {
        let clean = try run("slowbspcomponents")
        let killed = try run("slowbspcomponents", kill: Self.checkpointed(3, thenStarted: 5))
        #expect(killed.lines == clean.lines && !clean.lines.isEmpty, "the output differs from a failure-free run")
        expectKeptByTwoWorkers(killed)
        #expect(killed.log.events(named: "rollback").first?["to_superstep"] as? Int == 3)
    }

    @Test func confinedRecoveryRestoresTheLostPartitionsFromTheirCopies() throws {
        let clean = try run("slowpagerank", recovery: "confined")
        let killed = try run("slowpagerank", recovery: "confined", kill: Self.checkpointed(3, thenStarted: 5))
        #expect(killed.lines == clean.lines && !clean.lines.isEmpty, "the output differs from a failure-free run")
        expectKeptByTwoWorkers(killed)
        let rollback = try #require(killed.log.events(named: "rollback").first)
        #expect(rollback["mode"] as? String == "confined" && rollback["to_superstep"] as? Int == 3, "\(rollback)")
    }

    @Test func losingBothCopiesFallsBackToSuperstepZeroAndSaysWhy() throws {
        let clean = try run("slowpagerank", workers: 4)
        // The newest attempt's worker and the worker holding the other copy of its partitions.
        let killed = try run("slowpagerank", workers: 4, kill: Self.checkpointed(3, thenStarted: 5)) { newest, holders in
            [newest, holders.first { $0.first == newest }?.last].compactMap { $0 }
        }
        #expect(killed.lines == clean.lines && !clean.lines.isEmpty, "the output differs from a failure-free run")
        #expect(killed.log.events(named: "worker_lost").count == 2)
        #expect(killed.log.events(named: "rollback").last?["to_superstep"] as? Int == -1)
        #expect(killed.result.stderr.contains("were on lost workers"), "stderr: \(killed.result.stderr)")
    }

    /// After the first loss the partitions left with one copy are copied to another worker, so that killing the
    /// worker holding that copy, too, still recovers from the checkpoint instead of superstep 0.
    @Test func aSecondLossAfterTheCopyIsMadeAgainRecoversFromTheCheckpoint() throws {
        let clean = try run("slowpagerank")
        let killed = try run("slowpagerank", kill: Self.checkpointed(3, thenStarted: 5), then: { log in
            #expect(eventually(within: .seconds(60)) { !log.events(named: "checkpoint_recopied").isEmpty }, "\(log.events().suffix(5))")
            let recopied = try #require(log.events(named: "checkpoint_recopied").first)
            // The worker that kept the only copy of the first re-copied partition before it was copied again.
            let survivor = try #require((recopied["holders"] as? [[Int]])?.first?.first)
            sendSignal(Signal.kill, to: try #require(log.workerPIDs()[survivor]))
        })
        #expect(killed.lines == clean.lines && !clean.lines.isEmpty, "the output differs from a failure-free run")
        #expect(killed.log.events(named: "worker_lost").count == 2)
        let rollbacks = killed.log.events(named: "rollback").map { $0["to_superstep"] as? Int ?? -2 }
        #expect(rollbacks.count == 2 && rollbacks.allSatisfy { $0 >= 3 }, "rollbacks to \(rollbacks)")
        #expect(killed.log.events(named: "checkpoint_corrupt").isEmpty)
    }
}
