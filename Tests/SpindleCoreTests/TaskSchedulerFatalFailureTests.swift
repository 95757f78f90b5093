import Testing

@testable import SpindleCore

/// A failure every attempt would repeat (bad input) fails the job at its first attempt, without retries.
@Suite struct TaskSchedulerFatalFailureTests {
    private func at(_ ms: UInt64) -> Timestamp { Timestamp(nanoseconds: ms * 1_000_000) }
    private let w1 = WorkerID(1), w2 = WorkerID(2)

    private func scheduler(maxAttempts: Int = 4, speculation: Bool = false) -> TaskScheduler {
        var settings = SchedulerSettings()
        settings.maxAttempts = maxAttempts
        settings.speculation = speculation
        return TaskScheduler(settings: settings)
    }

    @Test func aFatalFailureFailsTheJobAtTheFirstAttempt() {
        var s = scheduler(maxAttempts: 4)
        _ = s.addStage(taskCount: 2, locationBound: false)
        s.workerJoined(w1)
        let first = assignments(s.assignIdleWorkers(now: at(0)))
        let cause = "malformed edge at /data/g.txt:3: expected 2 or 3 fields, found 4"
        let directives = s.attemptFailed(first[0].attempt, cause: cause, fatal: true)
        #expect(directives == [.inputRejected(task: TaskID(stage: 0, index: 0), cause: cause)])
        #expect(s.hasFailed)
        #expect(s.failures(of: TaskID(stage: 0, index: 0)) == 1)
        // Nothing more is handed out, and later results are rejected.
        #expect(s.assignIdleWorkers(now: at(1)).isEmpty)
    }

    @Test func aNonFatalFailureIsStillRetriedUpToMaxAttempts() {
        var s = scheduler(maxAttempts: 3)
        _ = s.addStage(taskCount: 1, locationBound: false)
        s.workerJoined(w1)
        var last: [SchedulerDirective] = []
        for k in 0..<3 {
            let a = assignments(s.assignIdleWorkers(now: at(UInt64(k))))
            #expect(a.count == 1)
            last = s.attemptFailed(a[0].attempt, cause: "disk hiccup")
        }
        #expect(last == [.jobFailed(task: TaskID(stage: 0, index: 0), attempts: 3, lastCause: "disk hiccup")])
    }

    @Test func aFatalFailureOfACancelledAttemptIsIgnored() {
        var s = scheduler(speculation: true)
        _ = s.addStage(taskCount: 1, locationBound: false)
        s.workerJoined(w1)
        let original = assignments(s.assignIdleWorkers(now: at(0)))[0]
        s.workerJoined(w2)
        // A backup of the straggler on w2, long after the minimum age.
        let backup = assignments(s.assignIdleWorkers(now: at(600_000)))
        #expect(backup.count == 1)
        let commit = s.attemptSucceeded(backup[0].attempt, now: at(600_001))
        #expect(commit.contains(.cancel(attempt: original.attempt, worker: w1)))
        #expect(s.attemptFailed(original.attempt, cause: "'/in.txt' changed while the job ran", fatal: true).isEmpty)
        #expect(!s.hasFailed)
    }

    @Test func aFatalFailureOfAnAttemptNoLongerLiveIsRejected() {
        var s = scheduler()
        _ = s.addStage(taskCount: 1, locationBound: false)
        s.workerJoined(w1)
        let a = assignments(s.assignIdleWorkers(now: at(0)))[0]
        _ = s.workerLost(w1, cause: "its connection closed")
        let directives = s.attemptFailed(a.attempt, cause: "bad line", fatal: true)
        #expect(directives.count == 1)
        if case .reject = directives.first {} else { Issue.record("expected a reject, got \(directives)") }
        #expect(!s.hasFailed)
    }

    @Test func theFatalFlagCrossesTheWire() throws {
        let failure = AttemptFailure(attempt: AttemptID(7), cause: "bad", fatal: true)
        let decoded = try ControlMessage(frame: ControlMessage.failed(failure).frame())
        #expect(decoded == .failed(failure))
        let plain = AttemptFailure(attempt: AttemptID(8), cause: "flaky")
        #expect(try ControlMessage(frame: ControlMessage.failed(plain).frame()) == .failed(plain))
        #expect(!plain.fatal)
    }
}
