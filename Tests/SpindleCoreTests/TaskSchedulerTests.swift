import Testing

@testable import SpindleCore

@Suite struct TaskSchedulerTests {
    private func at(_ ms: UInt64) -> Timestamp { Timestamp(nanoseconds: ms * 1_000_000) }
    private let w1 = WorkerID(1), w2 = WorkerID(2), w3 = WorkerID(3)

    private func settings(maxAttempts: Int = 4, speculation: Bool = false) -> SchedulerSettings {
        var s = SchedulerSettings()
        s.maxAttempts = maxAttempts
        s.speculation = speculation
        return s
    }

    @Test func idleWorkersPullTasksInOrderAndStageCompletesOnce() {
        var s = TaskScheduler(settings: settings())
        _ = s.addStage(taskCount: 3, locationBound: false)
        s.workerJoined(w1)
        s.workerJoined(w2)
        let first = assignments(s.assignIdleWorkers(now: at(0)))
        #expect(first.map(\.1.index) == [0, 1])
        #expect(first.map(\.2) == [w1, w2])
        let done = s.attemptSucceeded(first[0].0, now: at(10))
        #expect(done == [.commit(attempt: first[0].0, task: TaskID(stage: 0, index: 0), worker: w1)])
        let next = assignments(s.assignIdleWorkers(now: at(10)))
        #expect(next.map(\.1.index) == [2])
        #expect(next.map(\.2) == [w1])
        _ = s.attemptSucceeded(first[1].0, now: at(20))
        let last = s.attemptSucceeded(next[0].0, now: at(30))
        #expect(last.contains(.stageCompleted(stage: 0)))
        #expect(s.assignIdleWorkers(now: at(40)).isEmpty)
    }

    @Test func laterStageWaitsForEarlierStage() {
        var s = TaskScheduler(settings: settings())
        _ = s.addStage(taskCount: 1, locationBound: true)
        _ = s.addStage(taskCount: 2, locationBound: false)
        s.workerJoined(w1)
        s.workerJoined(w2)
        let a = assignments(s.assignIdleWorkers(now: at(0)))
        #expect(a.count == 1)
        #expect(a[0].1 == TaskID(stage: 0, index: 0))
        _ = s.attemptSucceeded(a[0].0, now: at(5))
        let b = assignments(s.assignIdleWorkers(now: at(5)))
        #expect(b.map(\.1) == [TaskID(stage: 1, index: 0), TaskID(stage: 1, index: 1)])
    }

    @Test func lostWorkersRunningTaskIsRequeuedAndCounted() {
        var s = TaskScheduler(settings: settings())
        _ = s.addStage(taskCount: 1, locationBound: false)
        s.workerJoined(w1)
        s.workerJoined(w2)
        let a = assignments(s.assignIdleWorkers(now: at(0)))
        #expect(a[0].2 == w1)
        #expect(s.workerLost(w1, cause: "killed by signal 9").isEmpty)
        #expect(s.failures(of: TaskID(stage: 0, index: 0)) == 1)
        let b = assignments(s.assignIdleWorkers(now: at(1)))
        #expect(b.count == 1)
        #expect(b[0].2 == w2)
        #expect(b[0].0 != a[0].0)
    }

    @Test func lateResultFromLostWorkerIsRejected() {
        var s = TaskScheduler(settings: settings())
        _ = s.addStage(taskCount: 1, locationBound: false)
        s.workerJoined(w1)
        s.workerJoined(w2)
        let a = assignments(s.assignIdleWorkers(now: at(0)))
        _ = s.workerLost(w1, cause: "heartbeat timeout")
        let b = assignments(s.assignIdleWorkers(now: at(1)))
        let late = s.attemptSucceeded(a[0].0, now: at(2))
        guard case .reject(let rejected, _) = late.first else {
            Issue.record("expected a rejection, got \(late)")
            return
        }
        #expect(rejected == a[0].0)
        #expect(s.attemptSucceeded(b[0].0, now: at(3)).contains(.stageCompleted(stage: 0)))
    }

    @Test func taskFailingMaxAttemptsFailsTheJobWithLastCause() {
        var s = TaskScheduler(settings: settings(maxAttempts: 3))
        _ = s.addStage(taskCount: 2, locationBound: false)
        s.workerJoined(w1)
        var last: [SchedulerDirective] = []
        var seen = 0
        while !s.hasFailed {
            guard let (attempt, task, _) = assignments(s.assignIdleWorkers(now: at(0))).first else { break }
            if task.index == 0 {
                seen += 1
                last = s.attemptFailed(attempt, cause: "boom \(seen)")
            } else {
                _ = s.attemptSucceeded(attempt, now: at(1))
            }
        }
        #expect(seen == 3)
        #expect(last == [.jobFailed(task: TaskID(stage: 0, index: 0), attempts: 3, lastCause: "boom 3")])
        #expect(s.assignIdleWorkers(now: at(2)).isEmpty)
    }

    @Test func blamelessFailureDoesNotCountTowardsMaxAttempts() {
        var s = TaskScheduler(settings: settings(maxAttempts: 1))
        _ = s.addStage(taskCount: 1, locationBound: false)
        s.workerJoined(w1)
        for _ in 0..<5 {
            let a = assignments(s.assignIdleWorkers(now: at(0)))
            #expect(s.attemptFailed(a[0].0, cause: "fetch failed", counts: false).isEmpty)
        }
        #expect(!s.hasFailed)
    }

    @Test func completedLocationBoundOutputOfLostWorkerRunsAgainAndBlocksNextStage() {
        var s = TaskScheduler(settings: settings())
        _ = s.addStage(taskCount: 2, locationBound: true)
        _ = s.addStage(taskCount: 1, locationBound: false)
        s.workerJoined(w1)
        s.workerJoined(w2)
        let maps = assignments(s.assignIdleWorkers(now: at(0)))
        _ = s.attemptSucceeded(maps[0].0, now: at(1))
        let completed = s.attemptSucceeded(maps[1].0, now: at(1))
        #expect(completed.contains(.stageCompleted(stage: 0)))
        let reduce = assignments(s.assignIdleWorkers(now: at(2)))
        #expect(reduce.count == 1)
        #expect(reduce[0].2 == w1)
        let lost = s.workerLost(w2, cause: "killed")
        #expect(lost == [.outputLost(task: TaskID(stage: 0, index: 1), worker: w2)])
        #expect(!s.isComplete(stage: 0))
        // The reducer cannot fetch the lost output: blameless, and it must wait for the map to rerun.
        #expect(s.attemptFailed(reduce[0].0, cause: "fetch failed", counts: false).isEmpty)
        let rerun = assignments(s.assignIdleWorkers(now: at(3)))
        #expect(rerun.map(\.1) == [TaskID(stage: 0, index: 1)])
        let recommit = s.attemptSucceeded(rerun[0].0, now: at(4))
        #expect(!recommit.contains(.stageCompleted(stage: 0)))
        #expect(s.isComplete(stage: 0))
        let again = assignments(s.assignIdleWorkers(now: at(5)))
        #expect(again.map(\.1) == [TaskID(stage: 1, index: 0)])
    }

    @Test func commitResetsTheFailureCountSoRepeatedOutputLossNeverFailsTheJob() {
        var s = TaskScheduler(settings: settings(maxAttempts: 2))
        _ = s.addStage(taskCount: 1, locationBound: true)
        _ = s.addStage(taskCount: 1, locationBound: false)
        let task = TaskID(stage: 0, index: 0)
        var next: UInt32 = 1
        for _ in 0..<5 {
            let worker = WorkerID(next)
            next += 1
            s.workerJoined(worker)
            // One failure, then a success, then the worker holding the output dies.
            let a = assignments(s.assignIdleWorkers(now: at(0)))
            #expect(a.map(\.1) == [task])
            #expect(s.attemptFailed(a[0].0, cause: "flaky").isEmpty)
            let b = assignments(s.assignIdleWorkers(now: at(0)))
            _ = s.attemptSucceeded(b[0].0, now: at(1))
            #expect(s.failures(of: task) == 0)
            #expect(s.workerLost(worker, cause: "gone") == [.outputLost(task: task, worker: worker)])
        }
        #expect(!s.hasFailed)
    }

    @Test func placedTasksRunOnlyOnTheirWorker() {
        var s = TaskScheduler(settings: settings(speculation: true))
        _ = s.addStage(taskCount: 3, locationBound: false, placement: [w2, w2, w1])
        s.workerJoined(w1)
        s.workerJoined(w2)
        s.workerJoined(w3)
        // w1 is asked first and finds work; so does w2 although a lower-numbered worker found nothing.
        let a = assignments(s.assignIdleWorkers(now: at(0)))
        #expect(a.map { "\($0.1.index)@\($0.2.rawValue)" } == ["2@1", "0@2"])
        // w3 stays idle: nothing is placed on it, and placed stages are never speculated.
        #expect(assignments(s.assignIdleWorkers(now: at(100_000))).isEmpty)
        _ = s.attemptSucceeded(a[1].0, now: at(1))
        #expect(assignments(s.assignIdleWorkers(now: at(2))).map { "\($0.1.index)@\($0.2.rawValue)" } == ["1@2"])
    }

    @Test func idleWorkerWithNothingPlacedOnItDoesNotStopOthersFromGettingWork() {
        var s = TaskScheduler(settings: settings())
        _ = s.addStage(taskCount: 2, locationBound: false, placement: [w2, w3])
        s.workerJoined(w1)
        s.workerJoined(w2)
        s.workerJoined(w3)
        #expect(assignments(s.assignIdleWorkers(now: at(0))).map(\.2) == [w2, w3])
    }

    @Test func abandonedStageCancelsAttemptsRejectsResultsAndUnblocksLaterStages() {
        var s = TaskScheduler(settings: settings())
        let first = s.addStage(taskCount: 2, locationBound: false)
        s.workerJoined(w1)
        s.workerJoined(w2)
        let a = assignments(s.assignIdleWorkers(now: at(0)))
        let cancels = s.abandonStage(first)
        #expect(cancels == [.cancel(attempt: a[0].0, worker: w1), .cancel(attempt: a[1].0, worker: w2)])
        guard case .reject = s.attemptSucceeded(a[0].0, now: at(1)).first else {
            Issue.record("a result of an abandoned stage must be rejected")
            return
        }
        _ = s.attemptFailed(a[1].0, cause: "cancelled")
        let next = s.addStage(taskCount: 1, locationBound: false)
        let b = assignments(s.assignIdleWorkers(now: at(2)))
        #expect(b.map(\.1) == [TaskID(stage: next, index: 0)])
        #expect(s.isComplete(stage: first))
    }

    @Test func releasedStageOutputLossIsHarmless() {
        var s = TaskScheduler(settings: settings())
        _ = s.addStage(taskCount: 1, locationBound: true)
        s.workerJoined(w1)
        s.workerJoined(w2)
        let a = assignments(s.assignIdleWorkers(now: at(0)))
        _ = s.attemptSucceeded(a[0].0, now: at(1))
        s.releaseStage(0)
        #expect(s.workerLost(a[0].2, cause: "gone").isEmpty)
        #expect(s.isComplete(stage: 0))
    }

    @Test func fetchFailureNamingLostOutputRequeuesThatMap() {
        var s = TaskScheduler(settings: settings())
        _ = s.addStage(taskCount: 1, locationBound: true)
        _ = s.addStage(taskCount: 1, locationBound: false)
        s.workerJoined(w1)
        let m = assignments(s.assignIdleWorkers(now: at(0)))
        _ = s.attemptSucceeded(m[0].0, now: at(1))
        let r = assignments(s.assignIdleWorkers(now: at(2)))
        let d = s.attemptFailed(r[0].0, cause: "corrupt block", counts: false, lostOutputs: [m[0].1])
        #expect(d == [.outputLost(task: m[0].1, worker: w1)])
        #expect(assignments(s.assignIdleWorkers(now: at(3))).map(\.1) == [m[0].1])
    }

    @Test func stragglerGetsOneBackupAndExactlyOneAttemptCommits() {
        var config = settings(speculation: true)
        config.speculationMinimumAge = .milliseconds(100)
        var s = TaskScheduler(settings: config)
        _ = s.addStage(taskCount: 2, locationBound: false)
        s.workerJoined(w1)
        s.workerJoined(w2)
        let a = assignments(s.assignIdleWorkers(now: at(0)))
        _ = s.attemptSucceeded(a[0].0, now: at(50))
        // Too young for a backup at 60 ms (median 50 ms × 1.5 = 75 ms, minimum age 100 ms).
        #expect(s.assignIdleWorkers(now: at(60)).isEmpty)
        let backup = s.assignIdleWorkers(now: at(200))
        #expect(backup == [.assign(attempt: AttemptID(3), task: a[1].1, worker: w1, speculative: true)])
        // Only one backup per stage here (cap 10% of 2 tasks, at least 1).
        let win = s.attemptSucceeded(AttemptID(3), now: at(210))
        #expect(win.contains(.commit(attempt: AttemptID(3), task: a[1].1, worker: w1)))
        #expect(win.contains(.cancel(attempt: a[1].0, worker: w2)))
        let loser = s.attemptSucceeded(a[1].0, now: at(220))
        guard case .reject = loser.first else {
            Issue.record("the slower attempt must be rejected, got \(loser)")
            return
        }
    }

    @Test func noBackupWhenSpeculationIsOff() {
        var s = TaskScheduler(settings: settings(speculation: false))
        _ = s.addStage(taskCount: 1, locationBound: false)
        s.workerJoined(w1)
        s.workerJoined(w2)
        _ = s.assignIdleWorkers(now: at(0))
        #expect(s.assignIdleWorkers(now: at(100_000)).isEmpty)
    }

    @Test func workerJoiningLaterIsUsed() {
        var s = TaskScheduler(settings: settings())
        _ = s.addStage(taskCount: 2, locationBound: false)
        s.workerJoined(w1)
        _ = s.assignIdleWorkers(now: at(0))
        s.workerJoined(w3)
        let a = assignments(s.assignIdleWorkers(now: at(1)))
        #expect(a.map(\.2) == [w3])
    }

    @Test func settingsValidationNamesTheField() {
        var config = SchedulerSettings()
        config.maxAttempts = 0
        #expect(throws: SettingsError.self) { try config.validate() }
        do {
            try config.validate()
        } catch {
            #expect(error.field == "maxAttempts")
        }
    }
}
