/// The scheduler's bookkeeping per task, stage and attempt (held only in ``TaskScheduler``'s private stored properties).
extension TaskScheduler {
    struct TaskState: Sendable {
        var committed: (attempt: AttemptID, worker: WorkerID)?
        var live: [AttemptID] = []
        var failures = 0
        var lastCause = ""
        var queued = true
    }

    struct StageState: Sendable {
        var tasks: [TaskState]
        var locationBound: Bool
        var released = false
        var committedCount = 0
        var completionReported = false
        var pending: TaskQueue
        /// Run times of the stage's committed attempts, for the straggler threshold.
        var finishedDurations = RunningMedian<Duration>()
        var speculativeLaunched = 0
        /// Task i runs only on placement[i] (a BSP partition's owner), when set.
        var placement: [WorkerID]?
        /// Abandoned (a BSP rollback): no new attempts, results rejected, never blocks later stages.
        var abandoned = false
    }

    struct AttemptState: Sendable {
        var task: TaskID
        var worker: WorkerID
        var started: Timestamp
        var speculative: Bool
        var cancelled = false
    }
}
