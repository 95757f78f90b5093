import Testing

@testable import SpindleCore

/// Several attempts per worker (``SchedulerSettings/tasksPerWorker``) and the scheduler's cost at the scale of a
/// thousand workers and a hundred thousand tasks.
@Suite struct TaskSchedulerSlotsTests {
    private func at(_ ms: UInt64) -> Timestamp { Timestamp(nanoseconds: ms * 1_000_000) }
    private let w1 = WorkerID(1), w2 = WorkerID(2)

    private func scheduler(tasksPerWorker: Int, speculation: Bool = false) -> TaskScheduler {
        var settings = SchedulerSettings()
        settings.tasksPerWorker = tasksPerWorker
        settings.speculation = speculation
        return TaskScheduler(settings: settings)
    }

    @Test func workersFillTheirSlotsOneTaskPerWorkerPerRound() {
        var s = scheduler(tasksPerWorker: 3)
        _ = s.addStage(taskCount: 5, locationBound: false)
        s.workerJoined(w1)
        s.workerJoined(w2)
        let given = assignments(s.assignIdleWorkers(now: at(0)))
        #expect(given.map(\.task.index) == [0, 1, 2, 3, 4])
        #expect(given.map(\.worker) == [w1, w2, w1, w2, w1])
        #expect(s.runningAttempts(on: w1) == [given[0].attempt, given[2].attempt, given[4].attempt])
        #expect(s.runningAttempt(on: w1) == given[0].attempt)
    }

    @Test func aWorkerHoldsNoMoreThanItsSlotsAndGetsMoreAsAttemptsEnd() {
        var s = scheduler(tasksPerWorker: 2)
        _ = s.addStage(taskCount: 4, locationBound: false)
        s.workerJoined(w1)
        let first = assignments(s.assignIdleWorkers(now: at(0)))
        #expect(first.map(\.task.index) == [0, 1])
        #expect(s.assignIdleWorkers(now: at(1)).isEmpty)
        // Results may come in any order; each frees one slot.
        _ = s.attemptSucceeded(first[1].attempt, now: at(2))
        let second = assignments(s.assignIdleWorkers(now: at(2)))
        #expect(second.map(\.task.index) == [2])
        #expect(s.checkReport(of: first[0].attempt, from: w1) == .accepted)
        #expect(s.checkReport(of: first[1].attempt, from: w1) != .accepted)
    }

    @Test func aLostWorkersOldestAttemptCountsAndTheQueuedOnesDoNot() {
        var s = scheduler(tasksPerWorker: 3)
        _ = s.addStage(taskCount: 3, locationBound: false)
        s.workerJoined(w1)
        let given = assignments(s.assignIdleWorkers(now: at(0)))
        #expect(given.count == 3)
        _ = s.workerLost(w1, cause: "gone")
        #expect(s.failures(of: given[0].task) == 1)
        #expect(s.failures(of: given[1].task) == 0)
        #expect(s.failures(of: given[2].task) == 0)
        s.workerJoined(w2)
        // All three run again, the one that ran first first.
        #expect(assignments(s.assignIdleWorkers(now: at(1))).map(\.task.index).sorted() == [0, 1, 2])
    }

    @Test func aHeartbeatMayNameAnyHeldAttemptOrARecentlyReportedOne() {
        var s = scheduler(tasksPerWorker: 2)
        _ = s.addStage(taskCount: 3, locationBound: false)
        s.workerJoined(w1)
        let given = assignments(s.assignIdleWorkers(now: at(0)))
        #expect(s.checkHeartbeat(HeartbeatReport(runningAttempt: given[1].attempt, progress: 0.5), from: w1, recent: []) == .accepted)
        _ = s.attemptSucceeded(given[0].attempt, now: at(1))
        _ = s.attemptSucceeded(given[1].attempt, now: at(2))
        let stale = HeartbeatReport(runningAttempt: given[0].attempt, progress: 0.5)
        #expect(s.checkHeartbeat(stale, from: w1, recent: [given[0].attempt, given[1].attempt]) == .accepted)
        #expect(s.checkHeartbeat(stale, from: w1, recent: [given[1].attempt]) != .accepted)
    }

    @Test func tasksPerWorkerBelowOneIsRejectedNamingTheField() {
        var settings = SchedulerSettings()
        settings.tasksPerWorker = 0
        #expect(throws: SettingsError.self) { try settings.validate() }
    }

    /// A thousand workers with four slots each run a hundred thousand tasks, each committed exactly once, in
    /// well under a second of scheduler time (it was quadratic: every pop moved the whole pending array).
    @Test func aThousandWorkersRunAHundredThousandTasksEachCommittedOnce() {
        var s = scheduler(tasksPerWorker: 4, speculation: true)
        let tasks = 100_000
        _ = s.addStage(taskCount: tasks, locationBound: false)
        for w in 1...1000 { s.workerJoined(WorkerID(UInt32(w))) }
        var committed = [Int](repeating: 0, count: tasks)
        var now: UInt64 = 0
        var running = assignments(s.assignIdleWorkers(now: at(now)))
        var completed = false
        while !running.isEmpty {
            now += 1
            for a in running {
                for d in s.attemptSucceeded(a.attempt, now: at(now)) {
                    if case .commit(_, let task, _) = d { committed[task.index] += 1 }
                    if case .stageCompleted = d { completed = true }
                }
            }
            running = assignments(s.assignIdleWorkers(now: at(now)))
        }
        #expect(completed)
        #expect(committed.allSatisfy { $0 == 1 })
    }
}
