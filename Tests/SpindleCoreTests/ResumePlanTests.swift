@testable import SpindleCore
import Testing

/// Replaying a journal into what a resumed coordinator takes over, and refusing a resume that does not fit.
@Suite struct ResumePlanTests {
    let w1 = WorkerID(1), w2 = WorkerID(2), w3 = WorkerID(3)
    var plan: JobPlan { JournalCodecTests.plan }

    @Test func theBarrierReplayedFromAJournalTakesTheSameDecisions() throws {
        var h = BarrierHarness(partitions: 4, checkpointEvery: 2, maxSupersteps: 9, workers: [w1, w2, w3])
        h.run(until: 5)
        h.lose(w2)
        h.run(until: 7)
        let bytes = JournalCodecTests.journal([.planned(plan), .epoch(0)] + h.inputs.map { .barrier($0) })
        let resume = try ResumePlan(records: try JournalDecoder.decode(bytes).records)
        #expect(resume.barrierInputs == h.inputs)
        var replay = BarrierHarness(partitions: 4, checkpointEvery: 2, maxSupersteps: 9, workers: [w1, w2, w3]).barrier
        #expect(resume.barrierInputs.flatMap { replay.handle($0) } == h.directives)
        #expect(replay.checkpoints == h.barrier.checkpoints && replay.owners == h.barrier.owners && replay.aggregates == h.barrier.aggregates)
        #expect(resume.epoch == 1)
        #expect(resume.firstWorkerID == 4, "above every worker the journal names")
    }

    /// What a resumed coordinator does: every old owner is lost, and the barrier rolls back to the newest
    /// checkpoint under a higher epoch, placing the partitions on the new workers.
    @Test func losingTheOldOwnersAfterTheReplayRollsBackToTheNewestCheckpoint() throws {
        var h = BarrierHarness(partitions: 4, checkpointEvery: 3, maxSupersteps: 20, workers: [w1, w2])
        h.run(until: 8)
        var replay = BarrierHarness(partitions: 4, checkpointEvery: 3, maxSupersteps: 20, workers: [w1, w2]).barrier
        _ = h.inputs.flatMap { replay.handle($0) }
        let newest = try #require(replay.checkpoints.last)
        let fresh = [WorkerID(3), WorkerID(4)]
        let directives = replay.handle(.workerLost(w1, liveWorkers: fresh))
        #expect(directives.contains(.verifyCheckpoint(superstep: newest)))
        let manifest = try #require(h.manifests[newest])
        let after = replay.handle(.checkpointVerified(manifest))
        #expect(after.contains(.rollback(epoch: h.barrier.epoch + 1, to: newest, lost: w1)))
        #expect(replay.aggregates == manifest.aggregates)
        #expect(Set(replay.owners).isSubset(of: Set(fresh + [w2])))
    }

    @Test func theLastCommitOfATaskWinsAndEpochsAccumulate() throws {
        let first = CommittedTaskRecord(kind: .reduce, index: 1, attempt: AttemptID(3), worker: w1, files: [], counters: [])
        var second = first
        second.attempt = AttemptID(1_000_000_004)
        second.worker = WorkerID(9)
        let resume = try ResumePlan(records: [.planned(plan), .epoch(0), .taskCommitted(first), .epoch(1), .taskCommitted(second)])
        #expect(resume.committedReduces[1] == second)
        #expect(resume.epoch == 2)
        #expect(resume.firstWorkerID == 10)
        #expect(JournalRecord.firstAttempt(epoch: resume.epoch) > second.attempt.rawValue)
    }

    @Test func aJournalThatDoesNotStartWithThePlanIsRefused() {
        #expect(throws: JournalReplayError.self) { try ResumePlan(records: [.epoch(0)]) }
        #expect(throws: JournalReplayError.self) { try ResumePlan(records: []) }
    }

    @Test func aTaskOutsideThePlanIsRefused() {
        let task = CommittedTaskRecord(kind: .reduce, index: plan.reducers, attempt: AttemptID(1), worker: w1, files: [], counters: [])
        #expect(throws: JournalReplayError.self) { try ResumePlan(records: [.planned(plan), .taskCommitted(task)]) }
    }

    @Test func theSamePlanMayResume() {
        #expect(plan.refusal(toResumeAs: plan, explicit: ["reducers", "partitions", "split-size"]) == nil)
    }

    @Test func anotherJobIsRefusedByName() {
        var other = plan
        other.job = "pagerank"
        #expect(plan.refusal(toResumeAs: other, explicit: []) == "it belongs to job 'wordcount', not 'pagerank'")
    }

    @Test func aChangedParameterIsNamed() {
        var other = plan
        other.parameters = [Pair("a", "1"), Pair("b", "3")]
        #expect(plan.refusal(toResumeAs: other, explicit: []) == "it ran with parameter b=2, not b=3")
    }

    @Test func aChangedInputIsNamedWithWhatChanged() {
        var other = plan
        other.inputs[0].identity?.size = 999
        #expect(plan.refusal(toResumeAs: other, explicit: []) == "the input '/data/a.txt' changed since: its size went from 1000 to 999 bytes")
        other = plan
        other.inputs[0].identity?.modifiedSeconds += 1
        #expect(plan.refusal(toResumeAs: other, explicit: [])?.contains("it was modified") == true)
        other = plan
        other.inputs[0].identity?.inode = 78
        #expect(plan.refusal(toResumeAs: other, explicit: [])?.contains("replaced by another file") == true)
    }

    @Test func partitionCountsAreComparedOnlyWhenGivenExplicitly() {
        var other = plan
        other.reducers = 6
        #expect(plan.refusal(toResumeAs: other, explicit: []) == nil, "the resume adopts the journal's reducers")
        #expect(plan.refusal(toResumeAs: other, explicit: ["reducers"]) == "it ran with --reducers 4, not 6")
    }

    @Test func aDifferentCheckpointCadenceIsRefused() {
        var other = plan
        other.checkpointEvery = 5
        #expect(plan.refusal(toResumeAs: other, explicit: []) == "it ran with --checkpoint-every 10, not 5")
    }
}
