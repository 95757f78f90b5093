/// Hands tasks to idle workers, retries failures, re-runs lost work, launches backups for stragglers,
/// and lets exactly one attempt of each task commit.
///
/// A pure state machine: the runtime shell feeds it events (a worker joined or was lost, an attempt
/// finished or failed) with the current time and carries out the ``SchedulerDirective``s it returns.
/// Each worker holds up to ``SchedulerSettings/tasksPerWorker`` attempts at once (one by default) and is given
/// the next task when one ends, so faster workers do more. Events cost O(1) amortized in the number of tasks
/// (``TaskQueue``, ``WorkerSet``, ``RunningMedian``): one coordinator schedules tens of thousands per second.
///
/// A task fails the job after `maxAttempts` consecutive failed attempts (a commit resets the count). A failed
/// task runs again on a worker it has not failed on, when a healthy one is live; a worker whose failed tasks
/// then commit elsewhere is excluded (``WorkerExclusion``), and the job fails only when no healthy worker is left.
///
/// Tasks come in stages added in order. A task of stage `s` is only handed out while every task of every
/// earlier stage has committed output available. A *location-bound* stage (map output kept on the worker
/// that made it) loses a committed task's output when that worker is lost, until the stage is released.
package struct TaskScheduler: Sendable {
    package let settings: SchedulerSettings

    private var stages: [StageState] = []
    private var attempts: [AttemptID: AttemptState] = [:]
    /// Live workers and the attempts each one holds (oldest first; at most ``SchedulerSettings/tasksPerWorker``).
    private var workers: [WorkerID: [AttemptID]] = [:]
    /// Live workers holding fewer than ``SchedulerSettings/tasksPerWorker`` attempts, in ascending order.
    private var open = WorkerSet()
    private var nextAttempt: UInt64 = 1
    private var failedTask: TaskID?
    private var exclusion: WorkerExclusion

    /// - Parameter firstAttempt: the first attempt id handed out (a resumed coordinator starts above every id of
    ///   the run it resumes).
    package init(settings: SchedulerSettings = SchedulerSettings(), firstAttempt: UInt64 = 1) {
        self.settings = settings
        self.exclusion = WorkerExclusion(threshold: settings.excludeAfterFailedTasks)
        self.nextAttempt = max(1, firstAttempt)
    }

    // MARK: Queries

    /// Number of stages added so far.
    package var stageCount: Int { stages.count }
    /// Tasks of `stage` whose output is committed and available.
    package func committedCount(stage: Int) -> Int { stages[stage].committedCount }
    /// Tasks in `stage`.
    package func taskCount(stage: Int) -> Int { stages[stage].tasks.count }
    /// Whether every task of `stage` has committed output available (an abandoned stage counts as complete).
    package func isComplete(stage: Int) -> Bool {
        stages[stage].abandoned || stages[stage].committedCount == stages[stage].tasks.count
    }
    /// The live workers (excluded ones included: they still serve the outputs they committed).
    package var liveWorkers: [WorkerID] { workers.keys.sorted() }
    /// Whether `worker` is excluded for the rest of the job (it gets no new attempts but those placed on it).
    package func isExcluded(_ worker: WorkerID) -> Bool { exclusion.isExcluded(worker) }
    /// The live workers that are not excluded, in id order: those new partitions may be placed on.
    package var healthyWorkers: [WorkerID] { workers.keys.filter { !exclusion.isExcluded($0) }.sorted() }
    /// The id the next attempt will get: every attempt started so far has a smaller one.
    package var nextAttemptID: AttemptID { AttemptID(nextAttempt) }
    /// The oldest attempt `worker` holds (with one task per worker: the attempt it runs), if any.
    package func runningAttempt(on worker: WorkerID) -> AttemptID? { workers[worker]?.first }
    /// The attempts `worker` holds, oldest first (none for a worker that is not live).
    package func runningAttempts(on worker: WorkerID) -> [AttemptID] { workers[worker] ?? [] }
    /// Whether `worker` is live and holds `attempt`.
    package func holds(_ attempt: AttemptID, on worker: WorkerID) -> Bool { workers[worker]?.contains(attempt) ?? false }
    /// Failed attempts of `task` so far.
    package func failures(of task: TaskID) -> Int { stages[task.stage].tasks[task.index].failures }
    /// The task an attempt belongs to, while the attempt is live.
    package func task(of attempt: AttemptID) -> TaskID? { attempts[attempt]?.task }
    package var hasFailed: Bool { failedTask != nil }  // Whether the job has failed (a task reached `maxAttempts`).

    // MARK: Events

    /// Adds a stage of `taskCount` tasks and returns its index. Its tasks wait until earlier stages complete.
    /// With `placement`, task i is only ever given to `placement[i]` and never backed up speculatively.
    package mutating func addStage(taskCount: Int, locationBound: Bool, placement: [WorkerID]? = nil) -> Int {
        precondition(taskCount >= 0)
        precondition(placement == nil || placement!.count == taskCount, "one placement per task")
        var state = StageState(
            tasks: Array(repeating: TaskState(), count: taskCount), locationBound: locationBound,
            pending: TaskQueue(Array(0..<taskCount)))
        state.placement = placement
        stages.append(state)
        return stages.count - 1
    }

    /// Abandons a stage: its pending tasks are dropped, its live attempts cancelled (their results will be
    /// rejected), and it no longer holds back later stages. For rolling a BSP job back to a checkpoint.
    package mutating func abandonStage(_ stage: Int) -> [SchedulerDirective] {
        guard !stages[stage].abandoned else { return [] }
        stages[stage].abandoned = true
        stages[stage].released = true
        stages[stage].pending.removeAll()
        exclusion.stageEnded(stage)
        var directives: [SchedulerDirective] = []
        for (attempt, state) in attempts where state.task.stage == stage && !state.cancelled {
            attempts[attempt]?.cancelled = true
            directives.append(.cancel(attempt: attempt, worker: state.worker))
        }
        return directives.sorted { a, b in
            if case .cancel(let x, _) = a, case .cancel(let y, _) = b { return x < y }
            return false
        }
    }

    /// Counts `task` as committed by `attempt` on `worker` without running it: its output survives from the run a
    /// resumed coordinator continues. MUST be called before any attempt of the task starts, and only for tasks of
    /// stages whose output does not live on workers (not location-bound); a stage whose every task is restored
    /// never reports completion.
    package mutating func restoreCommitted(_ task: TaskID, attempt: AttemptID, worker: WorkerID) {
        guard stages[task.stage].tasks[task.index].committed == nil, stages[task.stage].tasks[task.index].live.isEmpty else { return }
        stages[task.stage].tasks[task.index].committed = (attempt, worker)
        if stages[task.stage].tasks[task.index].queued { stages[task.stage].pending.remove(task.index) }
        stages[task.stage].tasks[task.index].queued = false
        stages[task.stage].committedCount += 1
    }

    /// Declares that the outputs of `stage` are no longer needed, so losing them is harmless.
    package mutating func releaseStage(_ stage: Int) { stages[stage].released = true }

    /// A worker registered and is idle.
    package mutating func workerJoined(_ worker: WorkerID) {
        guard workers[worker] == nil else { return }
        workers[worker] = []
        open.insert(worker)
    }

    /// A worker died (timeout or closed connection). Its attempts fail with `cause`; the oldest (the one it was
    /// running) counts against its task, the others were queued behind it and do not. Committed outputs it held
    /// in unreleased location-bound stages are lost and re-queued.
    package mutating func workerLost(_ worker: WorkerID, cause: String) -> [SchedulerDirective] {
        guard let held = workers.removeValue(forKey: worker) else { return [] }
        open.remove(worker)
        exclusion.forget(worker)
        var directives: [SchedulerDirective] = []
        for (i, attempt) in held.enumerated() {
            directives += finishFailedAttempt(attempt, cause: cause, counts: i == 0)
        }
        for s in stages.indices where stages[s].locationBound && !stages[s].released {
            for i in stages[s].tasks.indices where stages[s].tasks[i].committed?.worker == worker {
                directives += loseOutput(TaskID(stage: s, index: i))
            }
        }
        return directives + failIfNoHealthyWorker()
    }

    /// An attempt reports success. The first success of a task commits; any other is rejected.
    package mutating func attemptSucceeded(_ attempt: AttemptID, now: Timestamp) -> [SchedulerDirective] {
        guard let state = attempts.removeValue(forKey: attempt) else {
            return [.reject(attempt: attempt, reason: "\(attempt) is not live (superseded or its worker was declared dead)")]
        }
        freeWorker(state.worker, attempt: attempt)
        let id = state.task
        removeLive(attempt, of: id)
        if state.cancelled || failedTask != nil {
            return [.reject(attempt: attempt, reason: "\(attempt) of \(id) was cancelled")]
        }
        if let committed = stages[id.stage].tasks[id.index].committed {
            return [.reject(attempt: attempt, reason: "\(id) already committed by \(committed.attempt)")]
        }
        var directives: [SchedulerDirective] = [.commit(attempt: attempt, task: id, worker: state.worker)]
        stages[id.stage].tasks[id.index].committed = (attempt, state.worker)
        if stages[id.stage].tasks[id.index].queued { stages[id.stage].pending.remove(id.index) }
        stages[id.stage].tasks[id.index].queued = false
        // The task has shown it can succeed: only consecutive failures count towards maxAttempts, so a task
        // whose output is lost again and again (its workers keep dying) is not failed for that.
        stages[id.stage].tasks[id.index].failures = 0
        stages[id.stage].committedCount += 1
        stages[id.stage].finishedDurations.insert(now.duration(since: state.started))
        for other in stages[id.stage].tasks[id.index].live {
            if let otherState = attempts[other], !otherState.cancelled {
                attempts[other]?.cancelled = true
                directives.append(.cancel(attempt: other, worker: otherState.worker))
            }
        }
        if isComplete(stage: id.stage) && !stages[id.stage].completionReported {
            stages[id.stage].completionReported = true
            directives.append(.stageCompleted(stage: id.stage))
        }
        // Before the stage's completion is acted on, so that an owner excluded now is not given the next stage.
        let healthy = healthyWorkers, live = workers
        let exclusions = exclusion.committed(id, on: state.worker) { w in healthy.contains { $0 != w } }.filter { live[$0.worker] != nil }
        if isComplete(stage: id.stage) { exclusion.stageEnded(id.stage) }
        let at = directives.firstIndex { if case .stageCompleted = $0 { return true } else { return false } } ?? directives.count
        directives.insert(contentsOf: exclusions.map { .workerExcluded(worker: $0.worker, failedTasks: $0.tasks) }, at: at)
        return directives + failIfNoHealthyWorker()
    }

    /// An attempt reports failure with `cause`. When `counts` is false (the task was blameless, e.g. its
    /// input could not be fetched) the failure does not count towards `maxAttempts`. `lostOutputs` names
    /// committed tasks whose output turned out to be unavailable or corrupt; they run again. When `fatal`
    /// (every attempt would fail the same way: bad input) the job fails at once with
    /// ``SchedulerDirective/inputRejected(task:cause:)``, unless the attempt was cancelled or its task
    /// committed meanwhile.
    package mutating func attemptFailed(
        _ attempt: AttemptID, cause: String, counts: Bool = true, lostOutputs: [TaskID] = [], fatal: Bool = false
    ) -> [SchedulerDirective] {
        guard let state = attempts[attempt] else {
            return [.reject(attempt: attempt, reason: "\(attempt) is not live (superseded or its worker was declared dead)")]
        }
        if fatal {
            return rejectInput(attempt, state: state, cause: cause)
        }
        var directives = finishFailedAttempt(attempt, cause: cause, counts: counts)
        // Out-of-range ids are skipped, never indexed (``checkLostOutputs(_:reportedBy:)`` rejects them first).
        for lost in lostOutputs where contains(lost) && stages[lost.stage].tasks[lost.index].committed != nil {
            directives += loseOutput(lost)
        }
        return directives + failIfNoHealthyWorker()
    }

    /// Hands pending work to workers with a free slot, one task per worker per round in ascending worker order,
    /// until no pending task fits a free slot; a worker that holds nothing and finds nothing pending gets a backup
    /// of a straggler. Costs O(workers given a task + workers with a free slot).
    package mutating func assignIdleWorkers(now: Timestamp) -> [SchedulerDirective] {
        guard failedTask == nil else { return [] }
        var directives: [SchedulerDirective] = []
        var round = open.elements
        while !round.isEmpty {
            var next: [WorkerID] = []
            for worker in round {
                if let task = takePendingTask(for: worker) {
                    directives.append(start(task, on: worker, now: now, speculative: false))
                    if workers[worker]!.count < settings.tasksPerWorker { next.append(worker) }
                } else if workers[worker]!.isEmpty, !exclusion.isExcluded(worker), let task = straggler(avoiding: worker, now: now) {
                    stages[task.stage].speculativeLaunched += 1
                    directives.append(start(task, on: worker, now: now, speculative: true))
                }
            }
            round = next
        }
        return directives
    }

    // MARK: Internals
    private mutating func start(_ task: TaskID, on worker: WorkerID, now: Timestamp, speculative: Bool) -> SchedulerDirective {
        let attempt = AttemptID(nextAttempt)
        nextAttempt += 1
        attempts[attempt] = AttemptState(task: task, worker: worker, started: now, speculative: speculative)
        workers[worker]!.append(attempt)
        if workers[worker]!.count >= settings.tasksPerWorker { open.remove(worker) }
        stages[task.stage].tasks[task.index].live.append(attempt)
        return .assign(attempt: attempt, task: task, worker: worker, speculative: speculative)
    }

    /// The first pending task `worker` may run, of the first stage whose predecessors are all complete. An
    /// excluded worker may run only tasks placed on it; a task avoids a worker it failed on while a healthy
    /// worker it has not failed on is live.
    private mutating func takePendingTask(for worker: WorkerID) -> TaskID? {
        let excluded = exclusion.isExcluded(worker)
        for s in stages.indices {
            let placement = stages[s].placement
            var queue = TaskQueue()  // moved out (no copy) while the predicate reads the scheduler's state
            swap(&queue, &stages[s].pending)
            let taken = queue.removeFirst { index in
                if let placement { return placement[index] == worker }
                return !excluded && !avoids(TaskID(stage: s, index: index), worker)
            }
            swap(&queue, &stages[s].pending)
            if let index = taken {
                stages[s].tasks[index].queued = false
                return TaskID(stage: s, index: index)
            }
            if !isComplete(stage: s) { return nil }
        }
        return nil
    }

    /// Whether `task` should wait for another worker than `worker`: it failed on `worker`, and a healthy live
    /// worker it has not failed on exists.
    private func avoids(_ task: TaskID, _ worker: WorkerID) -> Bool {
        guard exclusion.hasFailures(task), exclusion.hasFailed(task, on: worker) else { return false }
        return workers.keys.contains { other in
            other != worker && !exclusion.isExcluded(other) && !exclusion.hasFailed(task, on: other)
        }
    }

    /// Whether a live worker other than `worker` is not excluded.
    private func hasSpare(_ worker: WorkerID) -> Bool { workers.keys.contains { $0 != worker && !exclusion.isExcluded($0) } }
    /// Fails the job when workers are live but every one is excluded while a task waits that none of them may run.
    private mutating func failIfNoHealthyWorker() -> [SchedulerDirective] {
        guard failedTask == nil, !workers.isEmpty, workers.keys.allSatisfy({ exclusion.isExcluded($0) }),
            let s = stages.indices.first(where: { !isComplete(stage: $0) }), stages[s].placement == nil,
            let index = stages[s].tasks.indices.first(where: { stages[s].tasks[$0].committed == nil && stages[s].tasks[$0].live.isEmpty })
        else { return [] }
        let task = TaskID(stage: s, index: index)
        failedTask = task
        let names = workers.keys.sorted().map(\.description).joined(separator: ", ")
        return [.noHealthyWorker(task: task, cause: "every live worker (\(names)) is excluded after failing tasks that succeeded elsewhere")]
    }

    /// The longest-running single attempt of the active stage that qualifies for a backup, if any.
    private func straggler(avoiding worker: WorkerID, now: Timestamp) -> TaskID? {
        guard settings.speculation,
            let s = stages.indices.first(where: { !isComplete(stage: $0) }),
            stages[s].pending.isEmpty, stages[s].placement == nil
        else { return nil }
        let stage = stages[s]
        let cap = max(1, Int(settings.speculativeFraction * Double(stage.tasks.count)))
        guard stage.speculativeLaunched < cap else { return nil }
        var threshold = settings.speculationMinimumAge
        if let median = stage.finishedDurations.median {
            threshold = max(threshold, median.scaled(by: settings.speculationSlowdown))
        }
        var best: (task: TaskID, age: Duration)?
        for (_, state) in attempts where state.task.stage == s && !state.cancelled && state.worker != worker {
            let task = stages[s].tasks[state.task.index]
            guard task.committed == nil, task.live.count == 1 else { continue }
            let age = now.duration(since: state.started)
            if age >= threshold, age > best?.age ?? .zero - .nanoseconds(1) {
                best = (state.task, age)
            }
        }
        return best?.task
    }

    private mutating func finishFailedAttempt(_ attempt: AttemptID, cause: String, counts: Bool) -> [SchedulerDirective] {
        guard let state = attempts.removeValue(forKey: attempt) else { return [] }
        freeWorker(state.worker, attempt: attempt)
        let id = state.task
        removeLive(attempt, of: id)
        if state.cancelled || failedTask != nil || stages[id.stage].tasks[id.index].committed != nil { return [] }
        var directives: [SchedulerDirective] = []
        let placed = stages[id.stage].placement != nil
        if counts {
            // A lost worker's attempt counts against its task, not against the worker (it is gone).
            if workers[state.worker] != nil {
                if placed {
                    let elsewhere = stages[id.stage].tasks.contains { $0.committed.map { $0.worker != state.worker && !isExcluded($0.worker) } ?? false }
                    if let (worker, tasks) = exclusion.placedFailed(id, on: state.worker, confirmed: elsewhere && hasSpare(state.worker)) {
                        directives.append(.workerExcluded(worker: worker, failedTasks: tasks))
                    }
                } else {
                    exclusion.failed(id, on: state.worker)
                }
            }
            stages[id.stage].tasks[id.index].failures += 1
            stages[id.stage].tasks[id.index].lastCause = cause
            let failures = stages[id.stage].tasks[id.index].failures
            if failures >= settings.maxAttempts {
                failedTask = id
                return [.jobFailed(task: id, attempts: failures, lastCause: cause)]
            }
        }
        requeue(id, atBack: placed)  // A placed task waits behind its worker's other partitions' tasks.
        return directives
    }

    /// Ends a live attempt that found its input unusable, and with it the job.
    private mutating func rejectInput(_ attempt: AttemptID, state: AttemptState, cause: String) -> [SchedulerDirective] {
        attempts.removeValue(forKey: attempt)
        freeWorker(state.worker, attempt: attempt)
        let id = state.task
        removeLive(attempt, of: id)
        if state.cancelled || failedTask != nil || stages[id.stage].tasks[id.index].committed != nil { return [] }
        stages[id.stage].tasks[id.index].failures += 1
        stages[id.stage].tasks[id.index].lastCause = cause
        failedTask = id
        return [.inputRejected(task: id, cause: cause)]
    }

    private mutating func loseOutput(_ id: TaskID) -> [SchedulerDirective] {
        guard let committed = stages[id.stage].tasks[id.index].committed else { return [] }
        stages[id.stage].tasks[id.index].committed = nil
        stages[id.stage].committedCount -= 1
        requeue(id)
        return [.outputLost(task: id, worker: committed.worker)]
    }

    /// Puts a task at the front of its stage's queue (at the back with `atBack`) unless it is queued, running or
    /// committed.
    private mutating func requeue(_ id: TaskID, atBack: Bool = false) {
        let task = stages[id.stage].tasks[id.index]
        guard !task.queued, task.live.isEmpty, task.committed == nil else { return }
        stages[id.stage].tasks[id.index].queued = true
        if atBack { stages[id.stage].pending.pushBack(id.index) } else { stages[id.stage].pending.pushFront(id.index) }
    }

    private mutating func removeLive(_ attempt: AttemptID, of id: TaskID) {
        stages[id.stage].tasks[id.index].live.removeAll { $0 == attempt }
    }

    private mutating func freeWorker(_ worker: WorkerID, attempt: AttemptID) {
        guard let position = workers[worker]?.firstIndex(of: attempt) else { return }
        workers[worker]!.remove(at: position)
        if workers[worker]!.count < settings.tasksPerWorker { open.insert(worker) }
    }

}
