/// Which workers failed which tasks, and which workers are excluded for the rest of the job, as Spark's
/// `excludeOnFailure`: a worker on which `threshold` distinct tasks failed that then committed on another
/// worker is excluded (a full scratch disk, a broken library: the task was fine, the worker was not). A task
/// that fails everywhere excludes no one; it fails the job through ``SchedulerSettings/maxAttempts`` instead.
///
/// A *placed* task (a BSP partition's task, pinned to the partition's owner) cannot run elsewhere to clear its
/// worker, and retries only on it: each of its failed attempts counts, once another task of the same stage has
/// committed on another healthy worker (the kind of work succeeds, this worker does not). A bug that fails every
/// partition commits nowhere (no strike); the scheduler never excludes the last healthy worker this way, so a bug
/// in one partition moves it from worker to worker and then fails the job through `maxAttempts` with its cause.
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
    /// Per stage of placed tasks, the failed placed attempts on each worker (their tasks) not yet counted.
    private var placedFailures: [Int: [WorkerID: [TaskID]]] = [:]
    /// Per worker, the failed placed attempts counted against it (their tasks).
    private var placedStrikes: [WorkerID: [TaskID]] = [:]

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
    /// `spare(w)` tells whether a healthy worker other than `w` is live (placed failures never exclude the last).
    mutating func committed(_ task: TaskID, on worker: WorkerID, spare: (WorkerID) -> Bool) -> [(worker: WorkerID, tasks: [TaskID])] {
        var newlyExcluded: [(worker: WorkerID, tasks: [TaskID])] = []
        for other in (failedOn.removeValue(forKey: task) ?? []).sorted() where other != worker {
            if let exclusion = strike(other, task) { newlyExcluded.append(exclusion) }
        }
        if let placed = placedFailures[task.stage], !excluded.contains(worker) {
            for (other, tasks) in placed.sorted(by: { $0.key < $1.key }) where other != worker && spare(other) {
                placedFailures[task.stage]?[other] = nil
                placedStrikes[other, default: []] += tasks
                if let exclusion = strike(other, nil) { newlyExcluded.append(exclusion) }
            }
        }
        return newlyExcluded
    }

    /// A placed attempt of `task` failed on `worker` through its own fault. When another task of its stage has
    /// committed on another healthy worker while a healthy worker other than `worker` is live
    /// (`confirmed`) the failure is a strike at once; otherwise it may become one at the next such commit.
    /// Returns the exclusion this caused, if any.
    mutating func placedFailed(_ task: TaskID, on worker: WorkerID, confirmed: Bool) -> (worker: WorkerID, tasks: [TaskID])? {
        guard confirmed else {
            placedFailures[task.stage, default: [:]][worker, default: []].append(task)
            return nil
        }
        placedStrikes[worker, default: []].append(task)
        return strike(worker, nil)
    }

    /// A stage of placed tasks ended (completed or abandoned): its failures that no commit confirmed are dropped.
    mutating func stageEnded(_ stage: Int) { placedFailures[stage] = nil }

    /// Counts `task` (nil: a placed attempt already in `placedStrikes`) against `worker`; returns the exclusion
    /// when the strikes reach the threshold.
    private mutating func strike(_ worker: WorkerID, _ task: TaskID?) -> (worker: WorkerID, tasks: [TaskID])? {
        if let task { strikes[worker, default: []].insert(task) }
        let placed = placedStrikes[worker] ?? []
        let count = (strikes[worker]?.count ?? 0) + placed.count
        guard threshold > 0, count >= threshold, !excluded.contains(worker) else { return nil }
        excluded.insert(worker)
        return (worker, Set(placed).union(strikes[worker] ?? []).sorted())
    }

    /// `worker` left the job: it no longer counts as one a failed task may avoid.
    mutating func forget(_ worker: WorkerID) {
        for task in Array(failedOn.keys) {
            failedOn[task]?.remove(worker)
            if failedOn[task]?.isEmpty == true { failedOn[task] = nil }
        }
        strikes[worker] = nil
        placedStrikes[worker] = nil
        for stage in Array(placedFailures.keys) { placedFailures[stage]?[worker] = nil }
    }
}
