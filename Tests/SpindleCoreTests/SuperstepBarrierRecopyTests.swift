import Testing

@testable import SpindleCore

/// Checkpoints kept by workers after a loss (`--checkpoint-store workers`): every partition left with a single copy
/// of the newest restorable checkpoint is copied again, at the first barrier where the job goes on without writing a
/// checkpoint, from its surviving holder to another owner, so that a second loss is recoverable too. Pure
/// decisions of the barrier: which partitions, from whom, to whom, and what a copy that does not match costs.
@Suite struct SuperstepBarrierRecopyTests {
    private let w1 = WorkerID(1), w2 = WorkerID(2), w3 = WorkerID(3), w4 = WorkerID(4)

    private func harness(
        checkpointEvery: Int = 2, recovery: RecoveryMode = .full, workers: [WorkerID]? = nil, partitions: Int = 6
    ) -> BarrierHarness {
        BarrierHarness(
            partitions: partitions, checkpointEvery: checkpointEvery, maxSupersteps: 8, workers: workers ?? [w1, w2, w3], recovery: recovery,
            checkpointStore: .workers)
    }

    private func isRecopy(_ role: StageRole?) -> Bool {
        if case .recopy? = role { return true }
        return false
    }

    /// Runs stages until a recopy stage is in flight (or the job ends); its placement.
    private func runUntilRecopy(_ h: inout BarrierHarness) -> [WorkerID]? {
        for _ in 0..<40 where !isRecopy(h.currentRole) && !h.finished && h.failure == nil { h.runStage() }
        return isRecopy(h.currentRole) ? h.stages.last?.placement : nil
    }

    @Test func partitionsLeftWithOneCopyAreCopiedAgainToAnotherOwnerAtTheNextBarrier() {
        var h = harness()
        h.run(until: 4)
        // Checkpoint 3: partition p written by owner p % 3, copied to the next owner.
        #expect(h.barrier.replicated[3]?.holders == [[w1, w2], [w2, w3], [w3, w1], [w1, w2], [w2, w3], [w3, w1]])
        h.lose(w2)
        // w2's partitions 1 and 4 moved to w1 and w3; partitions 0, 1, 3, 4 have one copy left.
        #expect(h.barrier.owners == [w1, w1, w3, w1, w3, w3])
        let plan = h.barrier.recopyPlan()
        #expect(plan?.checkpoint == 3 && plan?.partitions == [0, 1, 3, 4])
        // To the owner when it holds no copy (1: w1), else the next owner after the holder (0, 3: w3; 4: w1).
        #expect(plan?.targets == [w3, w1, w3, w1])
        let placement = runUntilRecopy(&h)
        #expect(placement == [w3, w1, w3, w1])
        guard case .recopy(checkpoint: 3, superstep: 4, let superstepStage)? = h.currentRole else {
            Issue.record("expected the re-copy of checkpoint 3 after superstep 4, got \(String(describing: h.currentRole))")
            return
        }
        #expect(h.stages.last?.name == "checkpoint 3 re-copy")
        h.runStage()
        #expect(h.barrier.replicated[3]?.holders == [[w1, w3], [w3, w1], [w3, w1], [w1, w3], [w3, w1], [w3, w1]])
        let recopied = BarrierEvent.checkpointRecopied(superstep: 3, partitions: [0, 1, 3, 4], holders: [[w1, w3], [w3, w1], [w1, w3], [w3, w1]])
        #expect(h.events.contains(recopied))
        #expect(h.currentRole == .superstep(5, inbox: .previousStage(superstepStage), writesCheckpoint: true))
        #expect(h.barrier.recopyPlan() == nil)
    }

    @Test func aSecondLossAfterTheCopyIsRecoveredFromTheCheckpoint() {
        var h = harness()
        h.run(until: 4)
        h.lose(w2)
        _ = runUntilRecopy(&h)
        h.runStage()
        // Superstep 5 is in flight: losing w3 now would have lost both copies of partitions 1 and 4 without the copy.
        let directives = h.lose(w3)
        #expect(directives.contains(.rollback(epoch: 2, to: 3, lost: w3)))
        #expect(!h.events.contains { if case .checkpointCorrupt = $0 { true } else { false } })
        h.runToEnd()
        #expect(h.finished && h.failure == nil)
    }

    @Test func withoutTheCopyTheSameSecondLossFallsBackToSuperstepZero() {
        var h = harness()
        h.run(until: 4)
        h.lose(w2)
        // The second loss comes before the first barrier after the first one: no copy was made yet.
        let directives = h.lose(w3)
        #expect(directives.contains(.rollback(epoch: 2, to: nil, lost: w3)))
    }

    @Test func aCopyThatDoesNotMatchKeepsTheSingleCopyAndTheJobGoesOn() {
        var h = harness()
        h.run(until: 4)
        h.lose(w2)
        h.mismatchedCopies = [1]
        _ = runUntilRecopy(&h)
        h.runStage()
        #expect(h.barrier.replicated[3]?.holders[1] == [w3])
        #expect(h.barrier.replicated[3]?.holders[0] == [w1, w3])
        #expect(h.events.contains { if case .checkpointNotRecopied(3, let cause) = $0 { cause.contains("partition 1") } else { false } })
        h.runToEnd()
        #expect(h.finished && h.failure == nil)
    }

    @Test func noCopyIsMadeWhenTheNextSuperstepWritesACheckpointOfItsOwn() {
        var h = harness(checkpointEvery: 1)
        h.run(until: 4)
        h.lose(w2)
        h.runToEnd()
        #expect(h.finished && h.failure == nil)
        #expect(!h.stages.contains { isRecopy($0.role) })
        // The checkpoints written after the loss have two copies each.
        #expect(h.barrier.replicated[h.barrier.checkpoints.last!]?.holders.allSatisfy { $0.count == 2 } == true)
    }

    @Test func aSingleOwnerLeftHasNowhereToCopyTo() {
        var h = harness(workers: [w1, w2])
        h.run(until: 4)
        h.lose(w2)
        #expect(h.barrier.recopyPlan() == nil)
        h.runToEnd()
        #expect(h.finished && h.failure == nil)
        #expect(!h.stages.contains { isRecopy($0.role) })
    }

    @Test func aLossDuringTheCopyIsAConfinedRecoveryUpToTheSuperstepBeforeIt() {
        var h = harness(recovery: .confined, workers: [w1, w2, w3, w4], partitions: 8)
        h.run(until: 4)
        let first = h.lose(w2)
        #expect(first.contains(.recoverConfined(epoch: 1, to: 3, lost: w2, partitions: [1, 5], rejoin: 4)))
        #expect(runUntilRecopy(&h) != nil)
        // w4 holds no partition's last copy; superstep 4 completed everywhere, so its partitions replay up to it and
        // every partition rejoins at 5.
        let second = h.lose(w4)
        #expect(second.contains { if case .recoverConfined(2, 3, w4, _, 5) = $0 { true } else { false } }, "\(second)")
        h.runToEnd()
        #expect(h.finished && h.failure == nil)
    }

    @Test func losingTheOnlyCopyBeforeItIsCopiedAgainFallsBack() {
        var h = harness()
        h.run(until: 4)
        h.lose(w2)
        #expect(runUntilRecopy(&h) != nil)
        // w3 held the only copy of partitions 1 and 4 while they were being copied.
        let directives = h.lose(w3)
        #expect(directives.contains(.rollback(epoch: 2, to: nil, lost: w3)))
        h.runToEnd()
        #expect(h.finished && h.failure == nil)
    }

    @Test func losingTheLastCopyWhileCopyingGivesUpTheCopyAndGoesOn() {
        var h = harness()
        h.run(until: 4)
        // w2 is excluded: its partitions move away, but it stays alive and keeps its copies.
        h.live = [w1, w3]
        h.feed(.workerExcluded(w2, healthyWorkers: h.live))
        h.run(until: 4)
        h.lose(w3)
        // Partitions 1 and 4 are left with w2's copy only, and w1 (the only owner) copies them from it.
        let placement = runUntilRecopy(&h)
        #expect(h.barrier.recopyPlan()?.partitions == [1, 4])
        #expect(placement == [w1, w1])
        let directives = h.feed(.workerLost(w2, liveWorkers: h.live))
        #expect(directives.contains { if case .abandonStage = $0 { true } else { false } })
        #expect(h.events.contains { if case .checkpointNotRecopied(3, let cause) = $0 { cause.contains("last copy of partition 1") } else { false } })
        guard case .superstep(5, _, _)? = h.currentRole else {
            Issue.record("expected superstep 5 after the abandoned copy, got \(String(describing: h.currentRole))")
            return
        }
        h.runToEnd()
        #expect(h.finished && h.failure == nil)
    }
}
