import Testing

@testable import SpindleCore

/// A failed task runs again on another worker; a worker whose failed tasks succeed elsewhere is excluded
/// (Spark's excludeOnFailure); the job fails only when no healthy worker is left.
@Suite struct TaskSchedulerExclusionTests {
    private func at(_ ms: UInt64) -> Timestamp { Timestamp(nanoseconds: ms * 1_000_000) }
    private let w1 = WorkerID(1), w2 = WorkerID(2), w3 = WorkerID(3)

    private func settings(maxAttempts: Int = 4, excludeAfter: Int = 2) -> SchedulerSettings {
        var s = SchedulerSettings()
        s.maxAttempts = maxAttempts
        s.speculation = false
        s.excludeAfterFailedTasks = excludeAfter
        return s
    }

    private func excluded(_ directives: [SchedulerDirective]) -> [WorkerID] {
        directives.compactMap {
            if case .workerExcluded(let w, _) = $0 { return w }
            return nil
        }
    }

    @Test func failedTaskRunsAgainOnAnotherWorkerNotOnTheOneThatFailedIt() {
        var s = TaskScheduler(settings: settings())
        _ = s.addStage(taskCount: 3, locationBound: false)
        s.workerJoined(w1)
        s.workerJoined(w2)
        let first = assignments(s.assignIdleWorkers(now: at(0)))
        #expect(first.map(\.worker) == [w1, w2])
        _ = s.attemptFailed(first[0].attempt, cause: "disk full")
        // w1 is idle at once and the failed task 0 is first in the queue, yet w1 takes task 2.
        let next = assignments(s.assignIdleWorkers(now: at(1)))
        #expect(next.map(\.task.index) == [2])
        #expect(next.map(\.worker) == [w1])
        _ = s.attemptSucceeded(first[1].attempt, now: at(2))
        let retry = assignments(s.assignIdleWorkers(now: at(2)))
        #expect(retry.map(\.task.index) == [0])
        #expect(retry.map(\.worker) == [w2])
    }

    @Test func failedTaskRunsAgainOnTheSameWorkerWhenItIsTheOnlyOne() {
        var s = TaskScheduler(settings: settings())
        _ = s.addStage(taskCount: 1, locationBound: false)
        s.workerJoined(w1)
        let first = assignments(s.assignIdleWorkers(now: at(0)))
        _ = s.attemptFailed(first[0].attempt, cause: "hiccup")
        let again = assignments(s.assignIdleWorkers(now: at(1)))
        #expect(again.map(\.worker) == [w1])
        #expect(again.map(\.task.index) == [0])
    }

    @Test func workerIsExcludedAfterTwoDistinctTasksFailOnItAndSucceedElsewhere() {
        var s = TaskScheduler(settings: settings())
        _ = s.addStage(taskCount: 3, locationBound: false)
        s.workerJoined(w1)
        s.workerJoined(w2)
        var a = assignments(s.assignIdleWorkers(now: at(0)))  // task 0 on w1, task 1 on w2
        _ = s.attemptFailed(a[0].attempt, cause: "no space left")
        a = assignments(s.assignIdleWorkers(now: at(1)))  // task 2 on w1
        #expect(a.map(\.task.index) == [2])
        _ = s.attemptFailed(a[0].attempt, cause: "no space left")
        #expect(s.assignIdleWorkers(now: at(2)).isEmpty, "w1 must not take task 0 or 2 again while w2 is healthy")
        var commits: [SchedulerDirective] = []
        // w2 runs task 1 (already), then 0 and 2: each failed task commits elsewhere.
        var running = s.runningAttempt(on: w2)
        while let attempt = running {
            commits += s.attemptSucceeded(attempt, now: at(3))
            running = assignments(s.assignIdleWorkers(now: at(3))).first { $0.worker == w2 }?.attempt
            if running == nil { running = s.runningAttempt(on: w2) }
        }
        #expect(excluded(commits) == [w1])
        #expect(commits.contains(.workerExcluded(worker: w1, failedTasks: [TaskID(stage: 0, index: 0), TaskID(stage: 0, index: 2)])))
        #expect(s.isExcluded(w1))
        #expect(!s.isExcluded(w2))
        #expect(s.isComplete(stage: 0))
        #expect(!s.hasFailed)
    }

    @Test func excludedWorkerGetsNoNewTasks() {
        var s = TaskScheduler(settings: settings(excludeAfter: 1))
        _ = s.addStage(taskCount: 3, locationBound: false)
        s.workerJoined(w1)
        s.workerJoined(w2)
        let a = assignments(s.assignIdleWorkers(now: at(0)))
        _ = s.attemptFailed(a[0].attempt, cause: "broken")
        _ = s.attemptSucceeded(a[1].attempt, now: at(1))
        let b = assignments(s.assignIdleWorkers(now: at(1)))  // w1 takes task 2, w2 takes task 0
        let onW2 = b.first { $0.worker == w2 }!
        #expect(onW2.task.index == 0)
        let commit = s.attemptSucceeded(onW2.attempt, now: at(2))
        #expect(excluded(commit) == [w1])
        let onW1 = b.first { $0.worker == w1 }!
        _ = s.attemptSucceeded(onW1.attempt, now: at(3))
        // A new stage: only w2 gets work.
        _ = s.addStage(taskCount: 2, locationBound: false)
        let c = assignments(s.assignIdleWorkers(now: at(4)))
        #expect(c.map(\.worker) == [w2])
    }

    @Test func taskThatFailsEverywhereExcludesNoOneAndFailsTheJobByMaxAttempts() {
        var s = TaskScheduler(settings: settings(maxAttempts: 3))
        _ = s.addStage(taskCount: 1, locationBound: false)
        for w in [w1, w2, w3] { s.workerJoined(w) }
        var last: [SchedulerDirective] = []
        var workersTried: [WorkerID] = []
        for _ in 0..<3 {
            guard let a = assignments(s.assignIdleWorkers(now: at(0))).first else { break }
            workersTried.append(a.worker)
            last = s.attemptFailed(a.attempt, cause: "bug")
        }
        #expect(workersTried == [w1, w2, w3], "each retry goes to a worker the task has not failed on")
        #expect(last == [.jobFailed(task: TaskID(stage: 0, index: 0), attempts: 3, lastCause: "bug")])
        #expect(![w1, w2, w3].contains { s.isExcluded($0) })
    }

    @Test func jobFailsWhenEveryLiveWorkerIsExcluded() {
        var s = TaskScheduler(settings: settings(excludeAfter: 1))
        _ = s.addStage(taskCount: 3, locationBound: false)
        s.workerJoined(w1)
        s.workerJoined(w2)
        let a = assignments(s.assignIdleWorkers(now: at(0)))  // task 0 on w1, task 1 on w2
        _ = s.attemptFailed(a[0].attempt, cause: "broken")
        _ = s.attemptFailed(a[1].attempt, cause: "broken too")
        let b = assignments(s.assignIdleWorkers(now: at(1)))  // task 1 on w1, task 0 on w2 (swapped)
        #expect(Set(b.map { "\($0.task.index)@\($0.worker)" }) == ["1@\(w1)", "0@\(w2)"])
        let first = s.attemptSucceeded(b[0].attempt, now: at(2))  // task 1 commits on w1: w2 is excluded
        #expect(excluded(first) == [w2])
        #expect(!s.hasFailed, "w1 is still healthy")
        let second = s.attemptSucceeded(b[1].attempt, now: at(3))  // task 0 commits on w2: w1 is excluded too
        #expect(excluded(second) == [w1])
        #expect(s.hasFailed)
        #expect(second.contains { if case .noHealthyWorker(TaskID(stage: 0, index: 2), _) = $0 { true } else { false } })
        #expect(s.assignIdleWorkers(now: at(4)).isEmpty)
    }

    @Test func lostWorkersFailureCountsAgainstTheTaskNotForExclusion() {
        var s = TaskScheduler(settings: settings(excludeAfter: 1))
        _ = s.addStage(taskCount: 2, locationBound: false)
        s.workerJoined(w1)
        s.workerJoined(w2)
        let a = assignments(s.assignIdleWorkers(now: at(0)))
        _ = s.workerLost(w1, cause: "partitioned")
        _ = s.attemptSucceeded(a[1].attempt, now: at(1))
        let b = assignments(s.assignIdleWorkers(now: at(1)))
        #expect(b.map(\.task.index) == [0])
        let commit = s.attemptSucceeded(b[0].attempt, now: at(2))
        #expect(excluded(commit).isEmpty)
        #expect(s.failures(of: TaskID(stage: 0, index: 0)) == 0)
    }

    @Test func placedTasksStillRunOnTheirExcludedOwner() {
        var s = TaskScheduler(settings: settings(excludeAfter: 1))
        _ = s.addStage(taskCount: 2, locationBound: false)
        s.workerJoined(w1)
        s.workerJoined(w2)
        let a = assignments(s.assignIdleWorkers(now: at(0)))
        _ = s.attemptFailed(a[0].attempt, cause: "broken")
        _ = s.attemptSucceeded(a[1].attempt, now: at(1))
        let b = assignments(s.assignIdleWorkers(now: at(1)))
        let onW2 = b.first { $0.worker == w2 }!
        #expect(excluded(s.attemptSucceeded(onW2.attempt, now: at(2))) == [w1])
        _ = s.addStage(taskCount: 2, locationBound: false, placement: [w1, w2])
        let c = assignments(s.assignIdleWorkers(now: at(3)))
        #expect(Set(c.map(\.worker)) == [w1, w2])
    }

    @Test func negativeExclusionThresholdIsRejectedNamingTheField() {
        var settings = SchedulerSettings()
        settings.excludeAfterFailedTasks = -1
        #expect(throws: SettingsError(field: "excludeAfterFailedTasks", message: "must not be negative, got -1")) { try settings.validate() }
    }
}

/// Placed tasks (a superstep job's partitions, pinned to their owners) cannot run elsewhere to clear their
/// worker: their failures count once another task of the stage commits on another worker.
@Suite struct TaskSchedulerPlacedExclusionTests {
    private func at(_ ms: UInt64) -> Timestamp { Timestamp(nanoseconds: ms * 1_000_000) }
    private let w1 = WorkerID(1), w2 = WorkerID(2)

    private func scheduler() -> TaskScheduler {
        var settings = SchedulerSettings()
        settings.speculation = false
        settings.maxAttempts = 4
        settings.excludeAfterFailedTasks = 2
        var s = TaskScheduler(settings: settings)
        _ = s.addStage(taskCount: 4, locationBound: false, placement: [w1, w2, w1, w2])
        s.workerJoined(w1)
        s.workerJoined(w2)
        return s
    }

    private func started(_ directives: [SchedulerDirective], on worker: WorkerID) -> (attempt: AttemptID, task: TaskID)? {
        for case .assign(let a, let t, let w, _) in directives where w == worker { return (a, t) }
        return nil
    }

    private func excluded(_ directives: [SchedulerDirective]) -> [WorkerID] {
        directives.compactMap { if case .workerExcluded(let w, _) = $0 { return w } else { return nil } }
    }

    @Test func ownerFailingTwoPartitionsThatOthersCompleteIsExcluded() throws {
        var s = scheduler()
        var d = s.assignIdleWorkers(now: at(0))
        let a1 = try #require(started(d, on: w1))
        let a2 = try #require(started(d, on: w2))
        #expect(excluded(s.attemptFailed(a1.attempt, cause: "no space left")).isEmpty, "nothing of the stage committed yet")
        // The failed task waits behind w1's other partition, which runs next.
        d = s.assignIdleWorkers(now: at(1))
        let b1 = try #require(started(d, on: w1))
        #expect(b1.task.index == 2)
        _ = s.attemptFailed(b1.attempt, cause: "no space left")
        let commit = s.attemptSucceeded(a2.attempt, now: at(2))
        #expect(excluded(commit) == [w1])
        #expect(s.isExcluded(w1) && s.healthyWorkers == [w2])
    }

    @Test func aFailureAfterAnotherWorkerCommittedCountsAtOnce() throws {
        var s = scheduler()
        var d = s.assignIdleWorkers(now: at(0))
        let a1 = try #require(started(d, on: w1))
        let a2 = try #require(started(d, on: w2))
        _ = s.attemptSucceeded(a2.attempt, now: at(1))
        #expect(excluded(s.attemptFailed(a1.attempt, cause: "disk")).isEmpty, "one strike of two")
        d = s.assignIdleWorkers(now: at(2))
        let b1 = try #require(started(d, on: w1))
        #expect(excluded(s.attemptFailed(b1.attempt, cause: "disk")) == [w1])
    }

    @Test func onePartitionFailingTwiceOnItsOwnerExcludesItWhileAHealthyWorkerIsLeft() throws {
        var s = scheduler()
        var d = s.assignIdleWorkers(now: at(0))
        _ = s.attemptSucceeded(try #require(started(d, on: w2)).attempt, now: at(1))
        var all: [SchedulerDirective] = []
        // w1's other partition (task 2) succeeds: only task 0 fails, twice.
        for i in 0..<3 {
            let a = try #require(started(d, on: w1))
            all += a.task.index == 0 ? s.attemptFailed(a.attempt, cause: "disk") : s.attemptSucceeded(a.attempt, now: at(2))
            d = s.assignIdleWorkers(now: at(UInt64(3 + i)))
        }
        #expect(excluded(all) == [w1])
    }

    @Test func theLastHealthyWorkerIsNotExcludedAndTheJobFailsWithTheCause() throws {
        var settings = SchedulerSettings()
        settings.speculation = false
        settings.maxAttempts = 3
        settings.excludeAfterFailedTasks = 2
        var s = TaskScheduler(settings: settings)
        _ = s.addStage(taskCount: 2, locationBound: false, placement: [w1, w2])
        s.workerJoined(w1)
        s.workerJoined(w2)
        var d = s.assignIdleWorkers(now: at(0))
        var all = s.attemptSucceeded(try #require(started(d, on: w1)).attempt, now: at(1))
        all += s.workerLost(w1, cause: "gone")
        for i in 0..<3 {
            let a = try #require(started(d, on: w2))
            all += s.attemptFailed(a.attempt, cause: "bug in partition 1")
            d = s.assignIdleWorkers(now: at(UInt64(2 + i)))
        }
        #expect(excluded(all).isEmpty)
        #expect(all.contains(.jobFailed(task: TaskID(stage: 0, index: 1), attempts: 3, lastCause: "bug in partition 1")))
    }

    @Test func failuresOfAStageWhereNothingCommitsExcludeNoOne() throws {
        var s = scheduler()
        var all: [SchedulerDirective] = []
        var d = s.assignIdleWorkers(now: at(0))
        for i in 0..<3 {
            for worker in [w1, w2] {
                if let a = started(d, on: worker) { all += s.attemptFailed(a.attempt, cause: "user code threw") }
            }
            d = s.assignIdleWorkers(now: at(UInt64(i + 1)))
        }
        #expect(excluded(all).isEmpty)
    }
}
