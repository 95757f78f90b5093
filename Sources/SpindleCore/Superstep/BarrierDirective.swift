/// A decision of the ``SuperstepBarrier`` for the shell to carry out, in the order given.
package enum BarrierDirective: Sendable, Equatable {
    /// Add a stage to the scheduler; the scheduler MUST give it index `stage`. With `placement`, task `i` runs
    /// only on `placement[i]` (its partition's owner).
    case addStage(stage: Int, name: String, role: StageRole, taskCount: Int, locationBound: Bool, placement: [WorkerID]?)
    /// Abandon `stage` (a rollback): its attempts are cancelled and their results rejected.
    case abandonStage(Int)
    /// The outputs of `stage` are no longer needed.
    case releaseStage(Int)
    /// Create the directory of the checkpoint of superstep `superstep` (before the stage that writes it); a
    /// failure fails the job.
    case createCheckpointDirectory(superstep: Int)
    /// Commit a checkpoint: every partition's files are written; write its manifest last.
    case writeManifest(CheckpointManifest)
    /// Commit a checkpoint kept by workers (``CheckpointStoreMode/workers``): every partition's copies on
    /// `holders[p]` (the writer first) match; journal it. No file is written.
    case commitReplicatedCheckpoint(CheckpointManifest, holders: [[WorkerID]])
    /// Delete the checkpoint of superstep `superstep`: two newer ones are committed. A failure fails the job.
    case pruneCheckpoint(superstep: Int)
    /// Delete the damaged checkpoint of superstep `superstep` if possible (the replay writes it again).
    case discardCheckpoint(superstep: Int)
    /// Check every file of the checkpoint of superstep `superstep`; answer with ``BarrierInput/checkpointVerified(_:)``
    /// or ``BarrierInput/checkpointCorrupt(superstep:cause:)``.
    case verifyCheckpoint(superstep: Int)
    /// Fold the superstep's aggregates, run master compute, answer with ``BarrierInput/masterCompleted(_:)``.
    case runMaster(MasterRequest)
    /// Every partition rolls back under epoch `epoch` to the checkpoint of superstep `to` (nil: to superstep 0)
    /// because `lost` died; the new prepare stage follows.
    case rollback(epoch: Int, to: Int?, lost: WorkerID)
    /// Confined recovery under epoch `epoch` because `lost` died: only `partitions` go back to the checkpoint of
    /// superstep `to` and replay the supersteps before `rejoin`, where the job continues as one; the new prepare
    /// stage of those partitions follows.
    case recoverConfined(epoch: Int, to: Int, lost: WorkerID, partitions: [Int], rejoin: Int)
    /// Tell `worker` (excluded, alive) to release what it holds of `partitions`, which have moved to other workers.
    case releasePartitions([Int], worker: WorkerID)
    /// Make the part file of `partition` written by `attempt` part of the job's output.
    case commitOutput(partition: Int, attempt: AttemptID)
    /// Record an event (event log, and console where it tells the user something).
    case record(BarrierEvent)
    /// The job's work is done: commit its output.
    case finish
    /// The job fails with `reason`, one sentence.
    case fail(String)
}

/// What the barrier records in the job's event log.
package enum BarrierEvent: Sendable, Equatable {
    /// Superstep `superstep` completed under `epoch` with `active` members still active and `messages` sent;
    /// `aggregates` are its folded values in aggregator order (event `superstep`).
    case superstep(Int, active: Int, messages: Int, epoch: Int, aggregates: [Double])
    /// The checkpoint of `superstep` committed (event `checkpoint`).
    case checkpoint(superstep: Int)
    /// The checkpoint of `superstep` was found damaged during recovery (event `checkpoint_corrupt`).
    case checkpointCorrupt(superstep: Int, cause: String)
    /// The checkpoint of `superstep` did not commit because of `cause` (workers mode: a copy is missing or does not
    /// match its original); the job goes on without it (event `checkpoint_failed`).
    case checkpointNotCommitted(superstep: Int, cause: String)
    /// Workers mode: `partitions` of the committed checkpoint of `superstep`, left with a single copy by a loss, were
    /// copied again; `holders` are their holders now, in the same order (event `checkpoint_recopied`).
    case checkpointRecopied(superstep: Int, partitions: [Int], holders: [[WorkerID]])
    /// Workers mode: a partition of the checkpoint of `superstep` could not be copied again for `cause`; it keeps its
    /// single copy and the job goes on (event `checkpoint_recopy_failed`).
    case checkpointNotRecopied(superstep: Int, cause: String)
    /// The recovering `partitions` replayed superstep `superstep` under `epoch` (event `replayed`); the other
    /// partitions did not compute it again.
    case replayed(Int, partitions: [Int], epoch: Int)
    /// A prepare stage completed under `epoch` for the job that keeps graph images (event `prepared`): the
    /// partitions whose graph was read back from its image, built from the load outputs, or kept from before.
    case partitionsPrepared(epoch: Int, fromImage: [Int], fromLoad: [Int], held: [Int])
    /// The graph image of `partition` was missing or damaged; the partition was rebuilt from the load outputs and
    /// its image written again (event `graph_image_corrupt`).
    case graphImageCorrupt(partition: Int, cause: String)
    /// The job stops after `superstep` for `reason`, with `active` members active and `messages` in flight
    /// (event `stopped`).
    case stopped(StopReason, superstep: Int, active: Int, messages: Int)
}
