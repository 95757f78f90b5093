import Testing

@testable import SpindleCore

/// The barrier's decisions when a partition's owner dies: rollback target, epoch, new owners, damaged
/// checkpoints, and the reports it must ignore.
@Suite struct SuperstepBarrierRecoveryTests {
    private let w1 = WorkerID(1), w2 = WorkerID(2), w3 = WorkerID(3)

    @Test func lossDuringACheckpointingSuperstepRollsBackToThePreviousCheckpoint() {
        var h = BarrierHarness(partitions: 6, checkpointEvery: 2, maxSupersteps: 8, workers: [w1, w2, w3])
        h.run(until: 5)
        #expect(h.currentRole == .superstep(5, inbox: .previousStage(6), writesCheckpoint: true))
        h.commit(0)
        let inFlight = h.barrier.currentStage
        let directives = h.lose(w2)
        let restored = h.manifests[3]!
        #expect(restored.aggregates == [6] && restored.globals == [Pair("last", 3)])
        #expect(
            directives == [
                .abandonStage(inFlight), .verifyCheckpoint(superstep: 3), .rollback(epoch: 1, to: 3, lost: w2),
                .addStage(
                    stage: inFlight + 1, name: "prepare", role: .prepare(restore: restored), taskCount: 6, locationBound: false,
                    placement: [w1, w1, w3, w1, w3, w3]),
            ])
        #expect(h.barrier.epoch == 1)
        #expect(h.barrier.aggregates == [6] && h.barrier.globals == ["last": 3], "aggregates and globals come back from the manifest")
        h.runStage()
        #expect(h.currentRole == .superstep(4, inbox: .checkpoint(superstep: 3), writesCheckpoint: false))
        h.runToEnd()
        #expect(h.failure == nil)
        #expect(h.finished)
        #expect(h.barrier.stop == SuperstepBarrier.Stop(reason: .maxSupersteps, superstep: 7))
        #expect(h.barrier.checkpoints == [5, 7])
        #expect(h.barrier.counters.rollbacks == 1)
        #expect(h.events.contains(.superstep(5, active: 12, messages: 18, epoch: 1, aggregates: [6])))
    }

    @Test func ownersOfTheLostWorkerMoveEvenlyToTheSurvivors() {
        var h = BarrierHarness(partitions: 8, workers: [w1, w2, w3])
        h.run(until: 1)
        #expect(h.barrier.owners == [w1, w2, w3, w1, w2, w3, w1, w2])
        h.lose(w2)
        let counts = Dictionary(grouping: h.barrier.owners, by: { $0 }).mapValues(\.count)
        #expect(counts == [w1: 4, w3: 4])
        #expect(
            h.barrier.owners.enumerated().allSatisfy { p, owner in p % 3 == 1 || owner == [w1, w2, w3][p % 3] }, "survivors keep their own partitions"
        )
    }

    @Test func lossWithoutCheckpointRestartsFromSuperstepZero() {
        var h = BarrierHarness(partitions: 4)
        h.run(until: 2)
        let directives = h.lose(w1)
        #expect(directives.contains(.rollback(epoch: 1, to: nil, lost: w1)))
        #expect(!directives.contains { if case .verifyCheckpoint = $0 { true } else { false } })
        #expect(h.barrier.aggregates == [0] && h.barrier.globals.isEmpty, "back to the identities and no globals")
        #expect(h.barrier.owners == [w2, w2, w2, w2])
        h.runStage()
        #expect(h.currentRole == .superstep(0, inbox: .none, writesCheckpoint: false))
        h.runToEnd(limit: 3)
        #expect(h.barrier.counters.supersteps == 2 + 3, "the supersteps before the loss count, and their replays")
    }

    @Test func corruptNewestCheckpointFallsBackToTheOlderOne() {
        var h = BarrierHarness(partitions: 2, checkpointEvery: 2)
        h.run(until: 4)
        h.corrupt = [3]
        let directives = h.lose(w2)
        #expect(
            Array(directives.prefix(6)) == [
                .abandonStage(h.barrier.currentStage - 1), .verifyCheckpoint(superstep: 3),
                .record(.checkpointCorrupt(superstep: 3, cause: "damaged")), .discardCheckpoint(superstep: 3),
                .verifyCheckpoint(superstep: 1), .rollback(epoch: 1, to: 1, lost: w2),
            ])
        #expect(h.barrier.checkpoints == [1])
        h.runStage()
        #expect(h.currentRole == .superstep(2, inbox: .checkpoint(superstep: 1), writesCheckpoint: false))
    }

    @Test func everyCheckpointCorruptFallsBackToSuperstepZero() {
        var h = BarrierHarness(partitions: 2, checkpointEvery: 2)
        h.run(until: 4)
        h.corrupt = [1, 3]
        let directives = h.lose(w1)
        #expect(directives.filter { if case .record(.checkpointCorrupt) = $0 { true } else { false } }.count == 2)
        #expect(directives.contains(.rollback(epoch: 1, to: nil, lost: w1)))
        #expect(h.barrier.checkpoints.isEmpty)
        h.runStage()
        #expect(h.currentRole == .superstep(0, inbox: .none, writesCheckpoint: false))
    }

    @Test func losingEveryWorkerFailsTheJob() {
        var h = BarrierHarness(workers: [w1])
        h.run(until: 1)
        h.lose(w1)
        #expect(h.failure == "every worker was lost; no partition can be placed")
        #expect(h.feed(.stageCompleted(h.barrier.currentStage, liveWorkers: [])).isEmpty, "a failed barrier takes no more input")
    }

    @Test func aLoadStageWithNoLiveWorkerFailsTheJob() {
        var h = BarrierHarness(splits: 1)
        h.feed(.start)
        h.commit(0)
        h.feed(.stageCompleted(0, liveWorkers: []))
        #expect(h.failure == "every worker was lost; no partition can be placed")
    }

    @Test func memberCountChangedAfterRecoveryFailsTheJob() {
        var h = BarrierHarness(partitions: 2)
        h.run(until: 1)
        h.lose(w2)
        h.membersPerPartition = 4
        h.runStage()
        #expect(h.failure == "the job has 8 vertices after recovery but had 10 before")
    }

    @Test func reportsOfAnAbandonedStageAreIgnored() {
        var h = BarrierHarness(partitions: 2, workers: [w1, w2, w3])
        h.run(until: 2)
        let abandoned = h.barrier.currentStage
        h.commit(0)
        h.lose(w2)
        let before = h.barrier
        let late = PartitionReport(partitionSizes: [1, 1], members: 99, activeMembers: 99, messagesSent: 99, aggregates: [7])
        #expect(h.feed(.taskCommitted(TaskID(stage: abandoned, index: 0), attempt: AttemptID(999), worker: w1, report: late)).isEmpty)
        #expect(h.feed(.stageCompleted(abandoned, liveWorkers: h.live)).isEmpty)
        #expect(h.barrier.committedTasks(of: abandoned).allSatisfy { $0 == nil })
        #expect(h.barrier.counters == before.counters)
        h.runToEnd()
        #expect(h.failure == nil && h.finished)
        #expect(h.barrier.counters.messages == 2 * 6 + 30 * 6, "only committed supersteps of live stages count")
    }

    @Test func lossOfAWorkerOwningNoPartitionChangesNothing() {
        var h = BarrierHarness(partitions: 2, workers: [w1, w2, w3])
        h.run(until: 1)
        #expect(h.lose(w3).isEmpty)
        #expect(h.barrier.epoch == 0)
    }

    @Test func lossWhileMasterComputeIsPendingDiscardsItsResult() {
        var barrier = BarrierHarness(partitions: 1, workers: [w1, w2]).barrier
        _ = barrier.handle(.start)
        _ = barrier.handle(
            .taskCommitted(TaskID(stage: 0, index: 0), attempt: AttemptID(1), worker: w1, report: PartitionReport(partitionSizes: [0])))
        _ = barrier.handle(.stageCompleted(0, liveWorkers: [w1, w2]))
        _ = barrier.handle(.taskCommitted(TaskID(stage: 1, index: 0), attempt: AttemptID(2), worker: w1, report: PartitionReport(members: 3)))
        _ = barrier.handle(.stageCompleted(1, liveWorkers: [w1, w2]))
        let report = PartitionReport(partitionSizes: [0], members: 3, activeMembers: 1, messagesSent: 1, aggregates: [1])
        _ = barrier.handle(.taskCommitted(TaskID(stage: 2, index: 0), attempt: AttemptID(3), worker: w1, report: report))
        let asked = barrier.handle(.stageCompleted(2, liveWorkers: [w1, w2]))
        #expect(asked.count == 1)
        let lost = barrier.handle(.workerLost(w1, liveWorkers: [w2]))
        #expect(lost.contains(.rollback(epoch: 1, to: nil, lost: w1)))
        #expect(barrier.handle(.masterCompleted(MasterResult(aggregates: [1], globals: ["x": 1], halt: true))).isEmpty)
        #expect(barrier.globals.isEmpty && barrier.stop == nil)
    }

    @Test func replayingTheInputsRebuildsTheSameDecisions() {
        var h = BarrierHarness(partitions: 4, checkpointEvery: 2, maxSupersteps: 7, workers: [w1, w2, w3])
        h.run(until: 4)
        h.lose(w2)
        h.runToEnd()
        var replay = BarrierHarness(partitions: 4, checkpointEvery: 2, maxSupersteps: 7, workers: [w1, w2, w3]).barrier
        let directives = h.inputs.flatMap { replay.handle($0) }
        #expect(directives == h.directives)
        #expect(replay.owners == h.barrier.owners && replay.epoch == h.barrier.epoch && replay.checkpoints == h.barrier.checkpoints)
    }

    @Test func checkRejectsReportsThatDoNotFitTheirStage() {
        var h = BarrierHarness(partitions: 2)
        h.run(until: 0)
        let superstep = TaskID(stage: h.barrier.currentStage, index: 0)
        let good = PartitionReport(partitionSizes: [1, 2], members: 3, activeMembers: 1, aggregates: [0])
        #expect(h.barrier.check(good, of: superstep, describedAs: "s") == .accepted)
        var wrong = good
        wrong.partitionSizes = [1]
        #expect(
            h.barrier.check(wrong, of: superstep, describedAs: "superstep 0 of partition 0")
                == .rejected(reason: "it reported 1 partition sizes for superstep 0 of partition 0, expected 2"))
        wrong = good
        wrong.aggregates = [.nan]
        #expect(h.barrier.check(wrong, of: superstep, describedAs: "s") != .accepted)
        wrong = good
        wrong.activeMembers = 4
        #expect(h.barrier.check(wrong, of: superstep, describedAs: "s") == .rejected(reason: "it reported 4 active of 3 vertices"))
        wrong = good
        wrong.messagesSent = -1
        #expect(h.barrier.check(wrong, of: superstep, describedAs: "s") != .accepted)
        let prepare = TaskID(stage: 1, index: 0)
        #expect(
            h.barrier.check(PartitionReport(members: 1, aggregates: [1]), of: prepare, describedAs: "p")
                == .rejected(reason: "it reported aggregator values for p, which has none"))
        #expect(h.barrier.check(PartitionReport(members: 1), of: prepare, describedAs: "p") == .accepted)
    }
}
