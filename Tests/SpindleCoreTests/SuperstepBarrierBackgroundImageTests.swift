import Testing

@testable import SpindleCore

/// Graph images written in the background: prepare tasks report them pending, later superstep (or replay) reports
/// say they are intact, and the barrier releases the load stage, and has recovering partitions read their images,
/// only once every partition's image was reported intact, whatever the stage or epoch that reported it.
@Suite struct SuperstepBarrierBackgroundImageTests {
    private let w1 = WorkerID(1), w2 = WorkerID(2), w3 = WorkerID(3)

    private func harness(recovery: RecoveryMode = .confined, written: [Int: Int]) -> BarrierHarness {
        var h = BarrierHarness(partitions: 6, checkpointEvery: 4, maxSupersteps: 10, workers: [w1, w2, w3], recovery: recovery)
        h.keepsImages = true
        h.imagesWritten = written
        return h
    }

    private func releases(_ directives: [BarrierDirective]) -> Int {
        directives.filter { $0 == .releaseStage(SuperstepBarrier.loadStage) }.count
    }

    /// Runs stages up to the first superstep or replay (through any load and prepare stage).
    private func runToComputation(_ h: inout BarrierHarness) {
        while h.failure == nil, !h.finished {
            switch h.currentRole {
            case .superstep?, .replay?: return
            default: h.runStage()
            }
        }
    }

    private func prepared(_ h: BarrierHarness) -> [BarrierEvent] {
        h.events.filter { if case .partitionsPrepared = $0 { true } else { false } }
    }

    @Test func theLoadStageIsReleasedOnceTheLastImageIsReportedIntactInASuperstep() {
        var h = harness(written: [0: 0, 1: 0, 2: 0, 3: 0, 4: 2, 5: 2])
        h.run(until: 0)
        #expect(prepared(h) == [.partitionsPrepared(epoch: 0, fromImage: [], fromLoad: [0, 1, 2, 3, 4, 5], held: [])])
        #expect(!h.barrier.graphImages && releases(h.directives) == 0, "every image is pending after the prepare")
        h.run(until: 2)
        #expect(h.barrier.intactGraphImages == [0, 1, 2, 3])
        #expect(!h.barrier.graphImages && releases(h.directives) == 0, "partitions 4 and 5 are still being written")
        h.run(until: 3)
        #expect(h.barrier.graphImages && releases(h.directives) == 1)
        h.runToEnd()
        #expect(h.failure == nil && h.finished)
        #expect(releases(h.directives) == 2, "and the output stage's release")
    }

    @Test func aFailedBackgroundWriteKeepsTheLoadStage() {
        var h = harness(written: [0: 0, 1: 0, 2: 0, 3: 0, 4: 0, 5: 0])
        h.unwritableImages = [3]
        h.run(until: 8)
        #expect(!h.barrier.graphImages && releases(h.directives) == 0, "partition 3's image is not intact")
        #expect(h.barrier.intactGraphImages == [0, 1, 2, 4, 5])
    }

    @Test func aConfinedRecoveryBeforeEveryImageIsIntactRebuildsFromTheLoadOutputsThenReleases() {
        // Partitions 1 and 4 (on w2) are lost before their writes end.
        var h = harness(written: [0: 0, 1: 100, 2: 0, 3: 0, 4: 100, 5: 0])
        h.run(until: 6)
        #expect(!h.barrier.graphImages)
        h.imagesWritten = [0: 0, 1: 0, 2: 0, 3: 0, 4: 0, 5: 0]
        h.lose(w2)
        runToComputation(&h)  // the recovering partitions' prepare
        #expect(prepared(h).last == .partitionsPrepared(epoch: 1, fromImage: [], fromLoad: [1, 4], held: []))
        #expect(!h.barrier.graphImages, "their new images are pending")
        h.runStage()  // the replay of superstep 4 reports them intact
        #expect(h.barrier.graphImages && releases(h.directives) == 1)
        h.runToEnd()
        #expect(h.failure == nil && h.finished)
    }

    @Test func imagesReportedIntactInAnOlderEpochCountAfterARollback() {
        var h = harness(recovery: .full, written: [0: 0, 1: 0, 2: 0, 3: 0, 4: 0, 5: 3])
        h.run(until: 2)
        #expect(h.barrier.intactGraphImages == [0, 1, 2, 3, 4])
        h.lose(w2)
        runToComputation(&h)  // every partition prepared again: partition 5's image still pending
        #expect(prepared(h).last == .partitionsPrepared(epoch: 1, fromImage: [], fromLoad: [0, 1, 2, 3, 4, 5], held: []))
        #expect(!h.barrier.graphImages)
        h.imagesWritten = [5: 0]
        h.runStage()  // superstep 0 of epoch 1: only partition 5 reports its image
        #expect(h.barrier.graphImages && releases(h.directives) == 1)
        h.runToEnd()
        #expect(h.failure == nil && h.finished)
    }
}

@Suite struct SuperstepBarrierBackgroundImageCheckTests {
    @Test func aWrittenImageIsAcceptedFromASuperstepButNotAPendingOneOrFromTheOutput() {
        var h = BarrierHarness(partitions: 2, checkpointEvery: 4, maxSupersteps: 3)
        h.run(until: 1)
        let task = TaskID(stage: h.barrier.currentStage, index: 0)
        var report = h.report(h.currentRole!, index: 0)
        report.graphImage = GraphImageReport(source: .loadOutputs, intact: true)
        #expect(h.barrier.check(report, of: task, describedAs: "superstep 1 of partition 0") == .accepted)
        report.graphImage = GraphImageReport(source: .loadOutputs, intact: false, pending: true)
        #expect(h.barrier.check(report, of: task, describedAs: "superstep 1 of partition 0") != .accepted)
        h.runToEnd()
        let output = TaskID(stage: h.barrier.currentStage, index: 0)
        #expect(
            h.barrier.check(PartitionReport(graphImage: GraphImageReport(source: .loadOutputs, intact: true)), of: output, describedAs: "output")
                != .accepted)
    }
}
