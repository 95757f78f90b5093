import Testing

@testable import SpindleCore

/// The barrier's decisions with checkpoints kept by workers (`--checkpoint-store workers`): a checkpoint commits
/// only when every partition's copy on a second worker matches its original, a loss restores from the surviving
/// copies without reading a file, and losing both copies falls back to an older checkpoint or superstep 0.
@Suite struct SuperstepBarrierReplicationTests {
    private let w1 = WorkerID(1), w2 = WorkerID(2), w3 = WorkerID(3), w4 = WorkerID(4)

    private func harness(workers: [WorkerID], partitions: Int = 6, recovery: RecoveryMode = .full, maxSupersteps: Int = 8) -> BarrierHarness {
        BarrierHarness(
            partitions: partitions, checkpointEvery: 2, maxSupersteps: maxSupersteps, workers: workers, recovery: recovery,
            checkpointStore: .workers)
    }

    /// Whether the coordinator was ever asked to touch a checkpoint file.
    private func touchedFiles(_ h: BarrierHarness) -> Bool {
        h.directives.contains {
            switch $0 {
            case .createCheckpointDirectory, .writeManifest, .verifyCheckpoint: true
            default: false
            }
        }
    }

    @Test func aCheckpointCommitsWhenEveryCopyOnTheNextWorkerMatches() {
        var h = harness(workers: [w1, w2, w3])
        h.run(until: 2)
        let replicate = h.stages.first { if case .replicate = $0.role { true } else { false } }
        let superstep1 = h.stages.first { $0.role == .superstep(1, inbox: .previousStage(2), writesCheckpoint: true) }!
        #expect(replicate?.role == .replicate(1, superstepStage: superstep1.stage))
        #expect(replicate?.placement == [w2, w3, w1, w2, w3, w1], "each partition's copy goes to the owner after its writer")
        #expect(h.barrier.checkpoints == [1])
        #expect(h.barrier.replicated[1]?.holders == [[w1, w2], [w2, w3], [w3, w1], [w1, w2], [w2, w3], [w3, w1]])
        #expect(h.directives.contains { if case .commitReplicatedCheckpoint(let m, _) = $0 { m.superstep == 1 } else { false } })
        #expect(h.currentRole == .superstep(2, inbox: .previousStage(superstep1.stage), writesCheckpoint: false))
        #expect(!touchedFiles(h))
    }

    @Test func aCopyThatDoesNotMatchLeavesTheCheckpointUncommittedAndTheJobGoesOn() {
        var h = harness(workers: [w1, w2, w3])
        h.mismatchedCopies = [4]
        h.runToEnd()
        #expect(h.finished && h.failure == nil)
        #expect(h.barrier.checkpoints.isEmpty)
        #expect(h.events.contains { if case .checkpointNotCommitted(1, let cause) = $0 { cause.contains("partition 4") } else { false } })
    }

    @Test func aSingleLossRestoresFromTheSurvivingCopiesWithoutReadingAFile() {
        var h = harness(workers: [w1, w2, w3])
        h.run(until: 4)
        let directives = h.lose(w2)
        #expect(directives.contains(.rollback(epoch: 1, to: 3, lost: w2)))
        #expect(h.barrier.replicated[3]?.holders.allSatisfy { !$0.contains(w2) && !$0.isEmpty } == true)
        #expect(h.barrier.replicated[3]?.firstLostPartition == nil)
        h.runToEnd()
        #expect(h.finished && h.failure == nil)
        #expect(!touchedFiles(h))
    }

    @Test func losingBothCopiesFallsBackToSuperstepZeroAndSaysWhy() {
        var h = harness(workers: [w1, w2, w3, w4], partitions: 8)
        h.run(until: 4)
        h.lose(w1)
        // Before any new checkpoint commits, the worker holding the other copies of w1's partitions dies too.
        let directives = h.lose(w2)
        #expect(directives.contains(.rollback(epoch: 2, to: nil, lost: w2)))
        let causes = h.events.compactMap { if case .checkpointCorrupt(let s, let cause) = $0 { (s, cause) } else { nil } }
        #expect(causes.map(\.0) == [3, 1])
        #expect(causes.allSatisfy { $0.1.contains("both copies of partition 0 were on lost workers") })
        h.runToEnd()
        #expect(h.finished && h.failure == nil)
    }

    @Test func confinedRecoveryRestoresTheLostPartitionsFromTheirCopies() {
        var h = harness(workers: [w1, w2, w3], recovery: .confined)
        h.run(until: 4)
        let directives = h.lose(w2)
        #expect(directives.contains(.recoverConfined(epoch: 1, to: 3, lost: w2, partitions: [1, 4], rejoin: 4)))
        h.runToEnd()
        #expect(h.finished && h.failure == nil)
        #expect(!touchedFiles(h))
    }

    @Test func aLossWhileCopyingRollsBackToTheCommittedCheckpoint() {
        var h = harness(workers: [w1, w2, w3])
        h.run(until: 4)
        h.runStage()  // superstep 4
        h.runStage()  // superstep 5 writes checkpoint 5: its copy stage is in flight
        guard case .replicate(5, _)? = h.currentRole else {
            Issue.record("expected the copy stage of checkpoint 5, got \(String(describing: h.currentRole))")
            return
        }
        let directives = h.lose(w3)
        #expect(directives.contains(.rollback(epoch: 1, to: 3, lost: w3)))
        #expect(h.barrier.pendingReplication == nil)
        h.runToEnd()
        #expect(h.finished && h.failure == nil)
        #expect(h.barrier.checkpoints == [5, 7])
    }

    @Test func onlyTheLastTwoCheckpointsAreKept() {
        var h = harness(workers: [w1, w2, w3])
        h.runToEnd()
        #expect(h.barrier.checkpoints == [5, 7])
        #expect(Set(h.barrier.replicated.keys) == [5, 7])
        #expect(h.directives.contains(.pruneCheckpoint(superstep: 1)) && h.directives.contains(.pruneCheckpoint(superstep: 3)))
    }

    @Test func aResumeWhoseOldWorkersAreAllGoneRestartsFromSuperstepZero() {
        var h = harness(workers: [w1, w2, w3])
        h.run(until: 4)
        h.live = [w4]
        h.lose(w1)
        h.lose(w2)
        let directives = h.lose(w3)
        #expect(directives.contains(.rollback(epoch: 3, to: nil, lost: w3)))
        #expect(h.barrier.checkpoints.isEmpty)
    }

    @Test func reportsWithoutTheirCopyAreRejected() {
        var h = harness(workers: [w1, w2])
        h.run(until: 1)
        let stage = h.barrier.currentStage
        let task = TaskID(stage: stage, index: 0)
        let missing = PartitionReport(partitionSizes: Array(repeating: 8, count: 6), members: 5, activeMembers: 1, aggregates: [1])
        #expect(h.barrier.check(missing, of: task, describedAs: "superstep 1") != .accepted)
        var withCopy = missing
        withCopy.checkpoint = BarrierHarness.copy(0)
        #expect(h.barrier.check(withCopy, of: task, describedAs: "superstep 1") == .accepted)
        h.runStage()
        let copyTask = TaskID(stage: h.barrier.currentStage, index: 0)
        #expect(h.barrier.check(PartitionReport(), of: copyTask, describedAs: "copy") != .accepted)
        #expect(h.barrier.check(PartitionReport(checkpoint: BarrierHarness.copy(0)), of: copyTask, describedAs: "copy") == .accepted)
    }
}
