import Testing

@testable import SpindleCore

/// Graph images: once every partition's image is written, the load stage is released (a lost worker's load tasks
/// do not run again) and recovering partitions read their images; narrowed replays send only to the recovering
/// partitions, and a partition whose log they narrowed recovers again with the next lost owner.
@Suite struct SuperstepBarrierGraphImageTests {
    private let w1 = WorkerID(1), w2 = WorkerID(2), w3 = WorkerID(3)

    private func harness(recovery: RecoveryMode = .confined, images: Bool = true) -> BarrierHarness {
        var h = BarrierHarness(
            partitions: 6, checkpointEvery: 4, maxSupersteps: 10, workers: [w1, w2, w3], recovery: recovery)
        h.keepsImages = images
        return h
    }

    private func releases(_ directives: [BarrierDirective]) -> Int {
        directives.filter { $0 == .releaseStage(SuperstepBarrier.loadStage) }.count
    }

    private func prepared(_ h: BarrierHarness) -> [BarrierEvent] {
        h.events.filter { if case .partitionsPrepared = $0 { true } else { false } }
    }

    @Test func everyIntactImageReleasesTheLoadStageAfterTheFirstPrepare() {
        var h = harness()
        h.feed(.start)
        h.runStage()  // load
        #expect(releases(h.directives) == 0)
        h.runStage()  // prepare
        #expect(h.barrier.graphImages)
        #expect(releases(h.directives) == 1)
        #expect(prepared(h) == [.partitionsPrepared(epoch: 0, fromImage: [], fromLoad: [0, 1, 2, 3, 4, 5], held: [])])
    }

    @Test func aPartitionWithoutAnImageKeepsTheLoadStage() {
        var h = harness()
        h.unwritableImages = [3]
        h.run(until: 6)
        #expect(!h.barrier.graphImages)
        #expect(releases(h.directives) == 0, "the load outputs are still needed to rebuild partition 3")
    }

    @Test func aJobWithoutImagesReportsNothing() {
        var h = harness(images: false)
        h.run(until: 6)
        #expect(!h.barrier.graphImages && releases(h.directives) == 0 && prepared(h).isEmpty)
    }

    @Test func aConfinedRecoveryPreparesTheLostPartitionsFromTheirImagesWithoutALoadStage() {
        var h = harness()
        h.run(until: 6)
        let before = h.directives.count
        h.lose(w2)
        h.runStage()  // the recovering partitions' prepare
        #expect(prepared(h).last == .partitionsPrepared(epoch: 1, fromImage: [1, 4], fromLoad: [], held: []))
        h.runToEnd()
        #expect(h.failure == nil && h.finished)
        let added = h.directives[before...].compactMap { if case .addStage(_, _, let role, _, _, _) = $0 { role } else { nil } }
        #expect(!added.contains(.load), "no load stage after the loss")
        #expect(releases(Array(h.directives[before...])) == 1, "only the output stage's release")
    }

    @Test func aFullRollbackReadsTheLostPartitionsImagesAndKeepsTheOthersGraphs() {
        var h = harness(recovery: .full)
        h.run(until: 6)
        h.lose(w2)
        h.runStage()
        // The harness reports every partition as read back; the shell's programs report `held` for kept graphs.
        #expect(prepared(h).last == .partitionsPrepared(epoch: 1, fromImage: [0, 1, 2, 3, 4, 5], fromLoad: [], held: []))
        h.runToEnd()
        #expect(h.failure == nil && h.finished)
    }

    @Test func aDamagedImageIsRecordedAndTheRecoveryGoesOn() {
        var h = harness()
        h.damagedImages = [4]
        h.run(until: 6)
        h.lose(w2)
        h.runStage()
        #expect(h.events.contains(.graphImageCorrupt(partition: 4, cause: "graph image checksum mismatch")))
        #expect(prepared(h).last == .partitionsPrepared(epoch: 1, fromImage: [1], fromLoad: [4], held: []))
        h.runToEnd()
        #expect(h.failure == nil && h.finished)
    }

    @Test func replaysBeforeTheSuperstepAheadOfTheRejoinSendOnlyToTheRecoveringPartitions() {
        var h = harness()
        h.run(until: 7)
        h.lose(w2)
        h.runStage()  // prepare
        var targets: [Int: [Int]?] = [:]
        while case .replay(let s, _)? = h.currentRole {
            targets[s] = h.barrier.messageTargets(of: h.barrier.currentStage)
            h.runStage()
        }
        #expect(targets == [4: [1, 4], 5: [1, 4], 6: nil], "superstep 6's messages are read by every partition at the rejoin")
        #expect(h.barrier.messageTargets(of: h.barrier.currentStage) == nil)
        #expect(h.barrier.log.partial == [4: [1, 4], 5: [1, 4]])
    }

    @Test func partitionsWhoseLogsWereNarrowedRecoverAgainWithTheNextLostOwner() {
        var h = harness()
        h.run(until: 6)
        h.lose(w2)  // partitions 1 and 4 replay 4 (narrowed) and 5
        h.run(until: 7)
        #expect(h.barrier.owners == [w1, w1, w3, w1, w3, w3])
        let directives = h.lose(w3)
        let recovering = directives.compactMap { if case .recoverConfined(_, _, _, let p, _) = $0 { p } else { nil } }
        #expect(recovering == [[1, 2, 4, 5]], "partition 1's log of superstep 4 reaches only 1 and 4: it computes again")
        h.runToEnd()
        #expect(h.failure == nil && h.finished)
    }

    @Test func theNextCheckpointForgetsNarrowedLogs() {
        var h = harness()
        h.run(until: 6)
        h.lose(w2)
        h.run(until: 8)
        #expect(h.barrier.log.partial.isEmpty, "the checkpoint of superstep 7 replaces the logs before it")
    }
}
