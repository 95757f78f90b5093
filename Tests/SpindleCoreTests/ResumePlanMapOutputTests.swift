@testable import SpindleCore
import Testing

/// Matching what a worker rejoining a resumed coordinator still serves against the journal's committed map outputs.
@Suite struct ResumePlanMapOutputTests {
    let address = HostPort(host: "10.0.0.7", port: 40_001)

    func output(_ index: Int, attempt: UInt64, host: String = "10.0.0.7", port: UInt16 = 40_001) -> MapOutputRecord {
        MapOutputRecord(index: index, attempt: AttemptID(attempt), worker: WorkerID(2), host: host, port: port, sizes: [10, 0, 7, index])
    }

    func commit(_ index: Int, attempt: UInt64) -> JournalRecord {
        .taskCommitted(CommittedTaskRecord(kind: .map, index: index, attempt: AttemptID(attempt), worker: WorkerID(2), files: [], counters: []))
    }

    func served(_ record: MapOutputRecord) -> ServedOutput { ServedOutput(attempt: record.attempt, sizes: record.sizes) }

    @Test func committedOutputsServedAtTheirAddressWithTheirSizesAreReused() throws {
        let a = output(0, attempt: 5), b = output(2, attempt: 9)
        let resume = try ResumePlan(records: [.planned(JournalCodecTests.plan), .epoch(0), .mapOutput(a), commit(0, attempt: 5), .mapOutput(b), commit(2, attempt: 9)])
        #expect(resume.reusableMapOutputs(served: [served(a), served(b)], at: address) == [0: a, 2: b])
    }

    @Test func anOutputWhoseCommitIsNotJournaledIsNotReused() throws {
        let a = output(0, attempt: 5)
        let resume = try ResumePlan(records: [.planned(JournalCodecTests.plan), .epoch(0), .mapOutput(a)])
        #expect(resume.reusableMapOutputs(served: [served(a)], at: address).isEmpty)
    }

    @Test func anOlderAttemptThanTheCommittedOneIsNotReused() throws {
        let old = output(1, attempt: 5), new = output(1, attempt: 8)
        let resume = try ResumePlan(records: [.planned(JournalCodecTests.plan), .epoch(0), .mapOutput(old), commit(1, attempt: 5), .mapOutput(new), commit(1, attempt: 8)])
        #expect(resume.reusableMapOutputs(served: [served(old)], at: address).isEmpty)
        #expect(resume.reusableMapOutputs(served: [served(new)], at: address) == [1: new])
    }

    @Test func otherSizesOrAnotherAddressAreNotReused() throws {
        let a = output(0, attempt: 5)
        let resume = try ResumePlan(records: [.planned(JournalCodecTests.plan), .epoch(0), .mapOutput(a), commit(0, attempt: 5)])
        #expect(resume.reusableMapOutputs(served: [ServedOutput(attempt: a.attempt, sizes: [10, 0, 7, 1])], at: address).isEmpty)
        #expect(resume.reusableMapOutputs(served: [served(a)], at: HostPort(host: "10.0.0.8", port: 40_001)).isEmpty)
        #expect(resume.reusableMapOutputs(served: [served(a)], at: HostPort(host: "10.0.0.7", port: 40_002)).isEmpty)
        #expect(resume.reusableMapOutputs(served: [ServedOutput(attempt: AttemptID(6), sizes: a.sizes)], at: address).isEmpty)
    }

    @Test func aRegistrationsServedOutputsAreChecked() {
        #expect(ServedOutput.problem(with: [ServedOutput(attempt: AttemptID(1), sizes: [1, 2])]) == nil)
        #expect(ServedOutput.problem(with: [ServedOutput(attempt: AttemptID(1), sizes: []), ServedOutput(attempt: AttemptID(1), sizes: [])]) != nil)
        #expect(ServedOutput.problem(with: [ServedOutput(attempt: AttemptID(1), sizes: [-1])]) != nil)
        #expect(ServedOutput.problem(with: [ServedOutput(attempt: AttemptID(1), sizes: Array(repeating: 0, count: ServedOutput.maxPartitions + 1))]) != nil)
        #expect(ServedOutput.problem(with: (0...UInt64(ServedOutput.maxCount)).map { ServedOutput(attempt: AttemptID($0), sizes: []) }) != nil)
    }

    @Test func aJournalWithAnEpochOrWorkerBeyondItsLimitsIsRefused() {
        #expect(throws: JournalReplayError.self) { try ResumePlan(records: [.planned(JournalCodecTests.plan), .epoch(Int.max)]) }
        #expect(throws: JournalReplayError.self) { try ResumePlan(records: [.planned(JournalCodecTests.plan), .epoch(-1)]) }
        let far = CommittedTaskRecord(kind: .reduce, index: 0, attempt: AttemptID(1), worker: WorkerID(UInt32.max), files: [], counters: [])
        #expect(throws: JournalReplayError.self) { try ResumePlan(records: [.planned(JournalCodecTests.plan), .taskCommitted(far)]) }
    }
}
