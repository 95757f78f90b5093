/// A decision of the ``TaskScheduler`` for the runtime shell to carry out.
package enum SchedulerDirective: Equatable, Sendable {
    /// Send `task` to `worker` as a new attempt. `speculative` marks a backup of a straggler.
    case assign(attempt: AttemptID, task: TaskID, worker: WorkerID, speculative: Bool)
    /// Tell `worker` to abandon `attempt`; another attempt of its task has committed.
    case cancel(attempt: AttemptID, worker: WorkerID)
    /// Make the output of `attempt` visible: it is the one attempt of `task` that commits.
    case commit(attempt: AttemptID, task: TaskID, worker: WorkerID)
    /// Ignore a result of `attempt` (superseded, cancelled, or from a worker declared dead).
    case reject(attempt: AttemptID, reason: String)
    /// The committed output of `task`, held by `worker`, is lost; the task runs again.
    case outputLost(task: TaskID, worker: WorkerID)
    /// Every task of `stage` has committed (reported once per stage).
    case stageCompleted(stage: Int)
    /// `task` failed `attempts` times; the job fails with `lastCause`.
    case jobFailed(task: TaskID, attempts: Int, lastCause: String)
    /// `worker` is excluded for the rest of the job: `failedTasks` (distinct tasks that failed on it and then
    /// committed elsewhere) reached ``SchedulerSettings/excludeAfterFailedTasks``. It gets no new attempts;
    /// its committed outputs stay in use.
    case workerExcluded(worker: WorkerID, failedTasks: [TaskID])
    /// No worker that may run `task` is left (every live one is excluded): the job fails with `cause`.
    case noHealthyWorker(task: TaskID, cause: String)
    /// An attempt of `task` found its input unusable in a way every attempt would (a malformed record, an
    /// input file that changed): the job fails at once with `cause`, as bad input.
    case inputRejected(task: TaskID, cause: String)
}
