import Foundation
import SpindlePosix
import Testing

/// Hosts without a shared file system: the coordinator and three workers in network namespaces (``NetBed``),
/// each worker in a mount namespace of its own where the input directory and the output's parent are empty
/// tmpfs mounts (w1 finds decoy files of the inputs' names, w3 a decoy `OUTPUT/_temporary`). Every worker must
/// find out by checking that it shares nothing, read its splits from the coordinator and ship its part files
/// back: the output equals the sequential reference, `_SUCCESS` is on the coordinator's view, and no worker
/// wrote a file in its own view of the output directory (the bed's check). A graph job that checkpoints keeps its
/// checkpoints on the workers without being told (`--checkpoint-store auto`), and recovers a lost worker's
/// partitions from the copies the others kept.
@Suite(.serialized, .enabled(if: NetBed.available, "\(NetBed.unavailableReason ?? "")")) struct SharedNothingClusterTests {
    @Test func wordCountOnHostsThatShareNoFilesIsExact() throws {
        let dir = try TemporaryDirectory()
        let input = try NetBed.writeText(into: dir.file("in"), files: 3, lines: 6_000, seed: 23)
        let outcome = try NetBed.run(
            in: dir, privateFiles: [dir.file("in")], binary: SpindleProcess.executable,
            job: ["wordcount", "--input", dir.file("in"), "--split-size", "128KiB", "--reducers", "6"])
        #expect(outcome.exitCode == 0, "\(outcome.raw)")
        #expect(outcome.problems == [], "\(outcome.raw)")
        let expected = try MapReduceOracle.wordCount(input, lowercase: false).sorted()
        #expect(try JobOutput(directory: outcome.output).lines().sorted() == expected)
        #expect(FileManager.default.fileExists(atPath: outcome.output + "/_SUCCESS"))
        // Every worker ran tasks (so every one of them shipped).
        let committers = Set(outcome.events.events(named: "attempt_committed").compactMap { $0["worker"] as? Int })
        #expect(committers.count == 3, "\(committers)")
    }

    @Test func pageRankOnHostsThatShareNoFilesIsExact() throws {
        let dir = try TemporaryDirectory()
        let text = GraphFixtures.snapText(GraphFixtures.rmat(scale: 9, edgeFactor: 8, seed: 31), title: "shared nothing")
        let path = try GraphFixtures.write(text, to: dir.file("g/g.txt"))
        let outcome = try NetBed.run(
            in: dir, privateFiles: [dir.file("g")], binary: SpindleProcess.executable,
            job: ["pagerank", "--input", dir.file("g"), "--split-size", "32KiB", "--partitions", "6", "--checkpoint-every", "0"])
        #expect(outcome.exitCode == 0, "\(outcome.raw)")
        #expect(outcome.problems == [], "\(outcome.raw)")
        let actual = try PregelOutput.numbers(JobOutput(directory: outcome.output).lines())
        #expect(PregelOutput.rankMismatches(expected: PregelOracle.pagerank(try OracleGraph(contentsOf: path)), actual: actual) == [])
        #expect(FileManager.default.fileExists(atPath: outcome.output + "/_SUCCESS"))
    }

    /// PageRank with checkpoints on hosts that share no files, with no flag about storage: the coordinator finds
    /// that no worker sees the output and keeps checkpoints on the workers; w1 is cut off once a checkpoint has
    /// committed, and the partitions it owned are restored from the copies other workers kept of them.
    @Test func pageRankWithCheckpointsOnHostsThatShareNoFilesRecoversALostWorkerFromTheCopies() throws {
        let dir = try TemporaryDirectory()
        let outcome = try NetBed.runPageRank(in: dir, seed: 41, title: "shared nothing, checkpoints", fault: "partition:w1", trigger: "checkpoint", expectLost: 1, privateFiles: true)
        let events = outcome.events
        // Decided by checking: no worker saw the coordinator's token, so the checkpoints went to the workers.
        let store = try #require(events.events(named: "checkpoint_store").first)
        #expect(store["store"] as? String == "workers" && store["setting"] as? String == "auto", "\(store)")
        #expect((store["workers_without_output"] as? [Int])?.count == 3, "\(store)")
        #expect(events.events(named: "worker_storage").allSatisfy { $0["sees_output"] as? Bool == false })
        // The loss came after a checkpoint kept by two workers per partition.
        let lost = try #require(events.events(named: "worker_lost").first?["worker"] as? Int)
        #expect(lost == outcome.worker(on: "w1"))
        let rollback = try #require(events.events(named: "rollback").first, "\(outcome.raw)")
        let to = try #require(rollback["to_superstep"] as? Int)
        #expect(to >= 1 && rollback["store"] as? String == "workers", "\(rollback)")
        let checkpoint = try #require(events.events(named: "checkpoint").first { $0["superstep"] as? Int == to })
        let holders = try #require(checkpoint["holders"] as? [[Int]])
        #expect(checkpoint["store"] as? String == "workers" && holders.allSatisfy { Set($0).count == 2 }, "\(checkpoint)")
        // Every partition w1 wrote was restored from the copy another worker kept.
        let restored = rollback["mode"] as? String == "confined" ? (rollback["partitions"] as? [Int] ?? []) : Array(0..<holders.count)
        let from = try #require(rollback["restore_from"] as? [Int], "\(rollback)")
        let written = holders.indices.filter { holders[$0].first == lost }
        #expect(!written.isEmpty && written.allSatisfy(restored.contains), "w1 wrote partitions \(written); restored \(restored)")
        for (p, holder) in zip(restored, from) where holders[p].first == lost {
            #expect(holder == holders[p][1] && holder != lost, "partition \(p) was restored from worker \(holder), its copies: \(holders[p])")
        }
        #expect(events.events(named: "checkpoint_corrupt").isEmpty)
    }
}
