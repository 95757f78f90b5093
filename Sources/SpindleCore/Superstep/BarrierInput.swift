/// An event the shell feeds a ``SuperstepBarrier``. Journaled in order, these inputs replay the barrier to the
/// same state: nothing else changes it.
package enum BarrierInput: Sendable, Equatable {
    /// The job starts: the barrier plans its load stage.
    case start
    /// The scheduler committed `attempt` of `task`, run by `worker`, which reported `report` (already checked
    /// with ``SuperstepBarrier/check(_:of:describedAs:)``).
    case taskCommitted(TaskID, attempt: AttemptID, worker: WorkerID, report: PartitionReport)
    /// Every task of `stage` has committed; `liveWorkers` are the workers alive now, in id order.
    case stageCompleted(Int, liveWorkers: [WorkerID])
    /// `worker` died (after the scheduler re-queued its work); `liveWorkers` are the survivors, in id order.
    case workerLost(WorkerID, liveWorkers: [WorkerID])
    /// The scheduler excluded `worker` for the rest of the job (``SchedulerDirective/workerExcluded(worker:failedTasks:)``):
    /// for its partitions it counts as lost, though it lives on; `healthyWorkers` are the live workers not excluded,
    /// in id order.
    case workerExcluded(WorkerID, healthyWorkers: [WorkerID])
    /// The answer to ``BarrierDirective/runMaster(_:)``.
    case masterCompleted(MasterResult)
    /// The answer to ``BarrierDirective/verifyCheckpoint(superstep:)``: every file of it is intact.
    case checkpointVerified(CheckpointManifest)
    /// The answer to ``BarrierDirective/verifyCheckpoint(superstep:)``: a file of it is missing or damaged.
    case checkpointCorrupt(superstep: Int, cause: String)
}
