/// Which workers failed which tasks, and which workers are excluded for the rest of the job, as Spark's
/// `excludeOnFailure`: a worker on which `threshold` distinct tasks failed that then committed on another
/// worker is excluded (a full scratch disk, a broken library: the task was fine, the worker was not). A task
/// that fails everywhere excludes no one; it fails the job through ``SchedulerSettings/maxAttempts`` instead.
///
/// Part of the ``TaskScheduler``'s state: pure, no I/O.
struct WorkerExclusion: Sendable {
    /// Distinct tasks failed elsewhere-committed after which a worker is excluded; 0 never excludes.
    let threshold: Int
    /// Workers excluded for the rest of the job.
    private(set) var excluded: Set<WorkerID> = []
    /// Workers on which each not yet committed task failed (failures that count only).
    private var failedOn: [TaskID: Set<WorkerID>] = [:]
    /// Per worker, the distinct tasks that failed on it and then committed on another worker.
    private var strikes: [WorkerID: Set<TaskID>] = [:]

    init(threshold: Int) { self.threshold = threshold }

    /// Whether `worker` is excluded.
    func isExcluded(_ worker: WorkerID) -> Bool { excluded.contains(worker) }

    /// Whether an attempt of `task` failed on `worker` since the task last committed.
    func hasFailed(_ task: TaskID, on worker: WorkerID) -> Bool { failedOn[task]?.contains(worker) ?? false }

    /// Whether `task` failed on any worker since it last committed.
    func hasFailures(_ task: TaskID) -> Bool { failedOn[task] != nil }

    /// An attempt of `task` failed on `worker` through its own fault.
    mutating func failed(_ task: TaskID, on worker: WorkerID) {
        failedOn[task, default: []].insert(worker)
    }

    /// `task` committed on `worker`: every other worker it failed on gets a strike. Returns the workers
    /// excluded by this commit, in id order, each with the tasks that count against it.
    mutating func committed(_ task: TaskID, on worker: WorkerID) -> [(worker: WorkerID, tasks: [TaskID])] {
        guard let failures = failedOn.removeValue(forKey: task) else { return [] }
        var newlyExcluded: [(worker: WorkerID, tasks: [TaskID])] = []
        for other in failures.sorted() where other != worker {
            strikes[other, default: []].insert(task)
            let count = strikes[other]!.count
            if threshold > 0, count >= threshold, !excluded.contains(other) {
                excluded.insert(other)
                newlyExcluded.append((other, strikes[other]!.sorted()))
            }
        }
        return newlyExcluded
    }

    /// `worker` left the job: it no longer counts as one a failed task may avoid.
    mutating func forget(_ worker: WorkerID) {
        for task in Array(failedOn.keys) {
            failedOn[task]?.remove(worker)
            if failedOn[task]?.isEmpty == true { failedOn[task] = nil }
        }
        strikes[worker] = nil
    }
}
