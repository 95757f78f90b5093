import Testing

@testable import SpindleCore

/// An owner excluded by the scheduler (``BarrierInput/workerExcluded(_:healthyWorkers:)``) is treated for its
/// partitions as a lost one, though it lives on: they move to the healthy workers, are restored from the newest
/// checkpoint (confined or full, as configured) or rerun from superstep 0, and the worker is told to release them.
@Suite struct SuperstepBarrierExclusionTests {
    private let w1 = WorkerID(1), w2 = WorkerID(2), w3 = WorkerID(3)

    /// Excludes `worker`: it stays live (the harness's live workers are the healthy ones the shell passes).
    private func exclude(_ worker: WorkerID, _ h: inout BarrierHarness) -> [BarrierDirective] {
        h.live.removeAll { $0 == worker }
        return h.feed(.workerExcluded(worker, healthyWorkers: h.live))
    }

    @Test func excludedOwnerReleasesItsPartitionsWhichMoveAndRollBackToTheNewestCheckpoint() {
        var h = BarrierHarness(partitions: 6, checkpointEvery: 2, maxSupersteps: 8, workers: [w1, w2, w3])
        h.run(until: 4)
        let inFlight = h.barrier.currentStage
        let directives = exclude(w2, &h)
        let restored = h.manifests[3]!
        #expect(
            directives == [
                .releasePartitions([1, 4], worker: w2), .abandonStage(inFlight), .verifyCheckpoint(superstep: 3),
                .rollback(epoch: 1, to: 3, lost: w2),
                .addStage(
                    stage: inFlight + 1, name: "prepare", role: .prepare(restore: restored), taskCount: 6, locationBound: false,
                    placement: [w1, w1, w3, w1, w3, w3]),
            ])
        #expect(!h.barrier.owners.contains(w2))
        h.runToEnd()
        #expect(h.failure == nil && h.finished)
        #expect(h.stages.last.map { $0.placement?.contains(w2) } == false, "no stage after the exclusion is placed on it")
    }

    @Test func withoutACheckpointTheExcludedOwnersPartitionsRerunFromSuperstepZero() {
        var h = BarrierHarness(partitions: 4, workers: [w1, w2])
        h.run(until: 2)
        let directives = exclude(w1, &h)
        #expect(directives.first == .releasePartitions([0, 2], worker: w1))
        #expect(directives.contains(.rollback(epoch: 1, to: nil, lost: w1)))
        #expect(h.barrier.owners == [w2, w2, w2, w2])
        h.runStage()
        #expect(h.currentRole == .superstep(0, inbox: .none, writesCheckpoint: false))
    }

    @Test func withConfinedRecoveryOnlyTheExcludedOwnersPartitionsReplay() {
        var h = BarrierHarness(partitions: 6, checkpointEvery: 2, maxSupersteps: 8, workers: [w1, w2, w3], recovery: .confined)
        h.run(until: 5)
        let directives = exclude(w3, &h)
        #expect(directives.first == .releasePartitions([2, 5], worker: w3))
        #expect(directives.contains(.recoverConfined(epoch: 1, to: 3, lost: w3, partitions: [2, 5], rejoin: 5)))
        h.runToEnd()
        #expect(h.failure == nil && h.finished)
    }

    @Test func exclusionDuringTheLoadStageOnlyKeepsTheWorkerFromOwningPartitions() {
        var h = BarrierHarness(partitions: 4, workers: [w1, w2, w3])
        h.feed(.start)
        #expect(exclude(w2, &h).isEmpty, "no partition is placed yet")
        h.runStage()
        #expect(h.barrier.owners == [w1, w3, w1, w3])
    }

    @Test func excludingAWorkerOwningNothingChangesNothing() {
        var h = BarrierHarness(partitions: 2, workers: [w1, w2, w3])
        h.run(until: 1)
        #expect(h.barrier.owners == [w1, w2])
        #expect(exclude(w3, &h).isEmpty)
    }

    @Test func excludingTheLastHealthyOwnerFailsTheJobSayingSo() {
        var h = BarrierHarness(partitions: 2, workers: [w1])
        h.run(until: 1)
        _ = exclude(w1, &h)
        #expect(h.failure?.contains("every live worker is excluded") == true)
    }

    @Test func replayingTheJournaledInputsRebuildsTheSameOwners() {
        var h = BarrierHarness(partitions: 6, checkpointEvery: 2, maxSupersteps: 8, workers: [w1, w2, w3])
        h.run(until: 4)
        _ = exclude(w1, &h)
        h.runToEnd()
        var replayed = SuperstepBarrier(settings: h.barrier.settings, identities: [0])
        for input in h.inputs { _ = replayed.handle(input) }
        #expect(replayed.owners == h.barrier.owners && replayed.epoch == h.barrier.epoch && replayed.isOver)
    }
}
