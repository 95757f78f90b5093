/// Which workers failed which tasks, and which workers are excluded for the rest of the job, as Spark's
/// `excludeOnFailure`: a worker on which `threshold` distinct tasks failed that then committed on another
/// worker is excluded (a full scratch disk, a broken library: the task was fine, the worker was not). A task
/// that fails everywhere excludes no one; it fails the job through ``SchedulerSettings/maxAttempts`` instead.
///
/// A *placed* task (a BSP partition's task, pinned to the partition's owner) cannot run elsewhere to clear its
/// worker, so its failure counts once another task of the same stage has committed on another worker: the kind
/// of work succeeds, this worker does not. A bug in one partition fails only that partition's task (one strike:
/// the job fails through `maxAttempts`); a bug that fails every partition commits nowhere (no strike).
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
    /// Per stage of placed tasks, the placed tasks that failed on each worker and have no strike yet.
    private var placedFailures: [Int: [WorkerID: Set<TaskID>]] = [:]

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

    /// `task` committed on `worker`: every other worker it failed on gets a strike, and so does every other
    /// worker a placed task of the same stage failed on. Returns the workers excluded by this commit, in id order,
    /// each with the tasks that count against it.
    mutating func committed(_ task: TaskID, on worker: WorkerID) -> [(worker: WorkerID, tasks: [TaskID])] {
        var newlyExcluded: [(worker: WorkerID, tasks: [TaskID])] = []
        for other in (failedOn.removeValue(forKey: task) ?? []).sorted() where other != worker {
            if let exclusion = strike(other, task) { newlyExcluded.append(exclusion) }
        }
        if let placed = placedFailures[task.stage] {
            for (other, tasks) in placed.sorted(by: { $0.key < $1.key }) where other != worker {
                placedFailures[task.stage]?[other] = nil
                for failed in tasks.sorted() {
                    if let exclusion = strike(other, failed) { newlyExcluded.append(exclusion) }
                }
            }
        }
        return newlyExcluded
    }

    /// A placed attempt of `task` failed on `worker` through its own fault. When another task of its stage has
    /// committed on another worker (`committedElsewhere`) the failure is a strike at once; otherwise it becomes
    /// one at the next such commit. Returns the exclusion this caused, if any.
    mutating func placedFailed(_ task: TaskID, on worker: WorkerID, committedElsewhere: Bool) -> (worker: WorkerID, tasks: [TaskID])? {
        guard committedElsewhere else {
            placedFailures[task.stage, default: [:]][worker, default: []].insert(task)
            return nil
        }
        return strike(worker, task)
    }

    /// A stage of placed tasks ended (completed or abandoned): its failures that no commit confirmed are dropped.
    mutating func stageEnded(_ stage: Int) { placedFailures[stage] = nil }

    /// Counts `task` against `worker`; returns the exclusion when this strike reaches the threshold.
    private mutating func strike(_ worker: WorkerID, _ task: TaskID) -> (worker: WorkerID, tasks: [TaskID])? {
        strikes[worker, default: []].insert(task)
        let tasks = strikes[worker]!
        guard threshold > 0, tasks.count >= threshold, !excluded.contains(worker) else { return nil }
        excluded.insert(worker)
        return (worker, tasks.sorted())
    }

    /// `worker` left the job: it no longer counts as one a failed task may avoid.
    mutating func forget(_ worker: WorkerID) {
        for task in Array(failedOn.keys) {
            failedOn[task]?.remove(worker)
            if failedOn[task]?.isEmpty == true { failedOn[task] = nil }
        }
        strikes[worker] = nil
        for stage in Array(placedFailures.keys) { placedFailures[stage]?[worker] = nil }
    }
}
