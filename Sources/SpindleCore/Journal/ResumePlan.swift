/// What a resumed coordinator takes over from a journal: the plan, the next epoch, the committed MapReduce
/// tasks and map outputs, the barrier inputs to replay, the newest committed checkpoint, and whether the job
/// had committed. Built by replaying the records in order; pure.
package struct ResumePlan: Sendable, Equatable {
    package var plan: JobPlan
    /// The epoch the resumed coordinator runs under: one above every epoch in the journal.
    package var epoch: Int
    /// The lowest worker id the resumed coordinator may hand out: above every id in the journal, so that no
    /// new member is taken for an old one.
    package var firstWorkerID: UInt32
    /// The committed map tasks and reduce tasks by index (the last commit of each wins).
    package var committedMaps: [Int: CommittedTaskRecord] = [:]
    package var committedReduces: [Int: CommittedTaskRecord] = [:]
    /// Where committed map outputs were served, by map index.
    package var mapOutputs: [Int: MapOutputRecord] = [:]
    /// Every barrier input, in order.
    package var barrierInputs: [BarrierInput] = []
    /// The newest committed checkpoint and the newest completed superstep.
    package var newestCheckpoint: CheckpointManifest?
    package var lastSuperstep: Int?
    /// The aggregates and master globals after each completed superstep (the newest record of each wins): a resumed
    /// run that computes a superstep again takes these, so it sees exactly what the interrupted run saw.
    package var masters: [Int: SuperstepLog.Master] = [:]
    /// Whether the job committed its output (only `_temporary` may be left to remove).
    package var jobCommitted = false
    /// The store the interrupted run decided at its start (``JournalRecord/checkpointStoreChosen(_:)``), if it got
    /// that far.
    package var chosenCheckpointStore: CheckpointStoreMode?

    /// Where the interrupted run kept its checkpoints: the store it decided, else the one its plan fixed, else nil
    /// (it never started, or its journal predates the record: ``CheckpointStoreMode/output``, the default then,
    /// unless the resumed run says otherwise).
    package var checkpointStore: CheckpointStoreMode? { chosenCheckpointStore ?? plan.checkpointStore?.fixed }

    /// Replays `records`.
    /// - Throws: ``JournalReplayError`` when the first record is not the plan or a later one contradicts it.
    package init(records: [JournalRecord]) throws(JournalReplayError) {
        guard case .planned(let plan)? = records.first else { throw JournalReplayError("its first record is not the job's plan") }
        self.plan = plan
        var epoch = 0
        var maxWorker: UInt32 = 0
        for (position, record) in records.enumerated().dropFirst() {
            switch record {
            case .planned:
                throw JournalReplayError("record \(position + 1) plans the job a second time")
            case .epoch(let e):
                guard e >= 0, e < Self.maxEpoch else { throw JournalReplayError("record \(position + 1) names epoch \(e), outside 0..<\(Self.maxEpoch)") }
                epoch = max(epoch, e)
            case .taskCommitted(let task):
                let limit = task.kind == .map ? plan.splits : plan.reducers
                guard task.index >= 0, task.index < limit else {
                    throw JournalReplayError("record \(position + 1) commits \(task.kind) task \(task.index), but the plan has \(limit)")
                }
                maxWorker = max(maxWorker, task.worker.rawValue)
                if task.kind == .map { committedMaps[task.index] = task } else { committedReduces[task.index] = task }
            case .mapOutput(let output):
                guard output.index >= 0, output.index < plan.splits, output.sizes.count == plan.reducers else {
                    throw JournalReplayError("record \(position + 1) places map output \(output.index) that does not fit the plan")
                }
                maxWorker = max(maxWorker, output.worker.rawValue)
                mapOutputs[output.index] = output
            case .barrier(let input):
                maxWorker = max(maxWorker, Self.highestWorker(in: input))
                barrierInputs.append(input)
            case .superstepCompleted(let s, let aggregates, let globals):
                lastSuperstep = s
                masters[s] = SuperstepLog.Master(aggregates: aggregates, globals: globals)
            case .checkpointCommitted(let manifest):
                newestCheckpoint = manifest
            case .jobCommitted:
                jobCommitted = true
            case .checkpointStoreChosen(let mode):
                guard chosenCheckpointStore == nil || chosenCheckpointStore == mode else {
                    throw JournalReplayError("record \(position + 1) changes the checkpoint store to \(mode.rawValue) after the job started")
                }
                chosenCheckpointStore = mode
            }
        }
        guard maxWorker < Self.maxWorkerID else { throw JournalReplayError("it names worker \(maxWorker), above \(Self.maxWorkerID)") }
        self.epoch = epoch + 1
        firstWorkerID = maxWorker + 1
    }

    /// Epochs stay below this, so that every epoch's attempt ids (``JournalRecord/firstAttempt(epoch:)``) fit.
    package static let maxEpoch = 1 << 30
    /// Worker ids stay below this, so that a resumed run has ids left to hand out.
    package static let maxWorkerID: UInt32 = 1 << 31

    private static func highestWorker(in input: BarrierInput) -> UInt32 {
        switch input {
        case .taskCommitted(_, _, let worker, _): return worker.rawValue
        case .stageCompleted(_, let live): return live.map(\.rawValue).max() ?? 0
        case .workerLost(let worker, let live), .workerExcluded(let worker, let live): return max(worker.rawValue, live.map(\.rawValue).max() ?? 0)
        default: return 0
        }
    }
}
