/// One decision of the coordinator that matters for recovery, as the journal stores it (see ``JournalFraming``).
package enum JournalRecord: Sendable, Equatable {
    /// The job was planned: always the first record.
    case planned(JobPlan)
    /// A coordinator (the first, or one resuming the journal) took over under `epoch`: attempt ids start at
    /// ``JournalRecord/firstAttempt(epoch:)`` and worker ids above every id in the journal.
    case epoch(Int)
    /// A MapReduce task committed: which attempt, on which worker, the output files it made part of the job's
    /// (none for a map task) and its counters.
    case taskCommitted(CommittedTaskRecord)
    /// A map task's output is kept by `worker`, served at `host:port`, with `sizes` bytes per reduce partition.
    case mapOutput(MapOutputRecord)
    /// An input of the superstep barrier, in the order it was fed; replaying them rebuilds the barrier.
    case barrier(BarrierInput)
    /// A superstep completed with these folded aggregates and master globals (sorted by name).
    case superstepCompleted(superstep: Int, aggregates: [Double], globals: [Pair<String, Double>])
    /// A checkpoint's manifest was written: the checkpoint is committed.
    case checkpointCommitted(CheckpointManifest)
    /// Every output file is in place and `_SUCCESS` is being written.
    case jobCommitted
    /// A superstep job decided where it keeps its checkpoints, when it started (before its first stage); a resume
    /// keeps that store, since its barrier replays stages planned for it.
    case checkpointStoreChosen(CheckpointStoreMode)

    /// The first attempt id a coordinator of `epoch` hands out: epochs never share attempt ids, so a result or
    /// a temporary file of an earlier coordinator's attempt can never pass for a new one.
    package static func firstAttempt(epoch: Int) -> UInt64 { UInt64(max(0, epoch)) * 1_000_000_000 + 1 }
}
