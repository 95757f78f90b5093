import Testing

@testable import SpindleCore

/// The checks the coordinator runs on every report from a worker before the scheduler acts on it.
@Suite struct WorkerReportValidationTests {
    private let w1 = WorkerID(1), w2 = WorkerID(2), stranger = WorkerID(9)
    private let now = Timestamp(nanoseconds: 0)

    /// Two stages (2 maps, 3 reduces), both maps committed, reduces 0 and 1 running on w1 and w2.
    private func running() -> (TaskScheduler, [AttemptID: (TaskID, WorkerID)]) {
        var s = TaskScheduler()
        _ = s.addStage(taskCount: 2, locationBound: true)
        _ = s.addStage(taskCount: 3, locationBound: false)
        s.workerJoined(w1)
        s.workerJoined(w2)
        for case .assign(let attempt, _, _, _) in s.assignIdleWorkers(now: now) { _ = s.attemptSucceeded(attempt, now: now) }
        var live: [AttemptID: (TaskID, WorkerID)] = [:]
        for case .assign(let attempt, let task, let worker, _) in s.assignIdleWorkers(now: now) { live[attempt] = (task, worker) }
        return (s, live)
    }

    private func attempt(of worker: WorkerID, in live: [AttemptID: (TaskID, WorkerID)]) -> AttemptID {
        live.first { $0.value.1 == worker }!.key
    }

    @Test func aWorkerMayReportOnlyItsOwnCurrentAttempt() {
        let (s, live) = running()
        let mine = attempt(of: w1, in: live), theirs = attempt(of: w2, in: live)
        #expect(s.checkReport(of: mine, from: w1) == .accepted)
        #expect(s.checkReport(of: theirs, from: w1).reason?.contains("not its current attempt") == true)
        #expect(s.checkReport(of: AttemptID(999), from: w1) != .accepted)
        #expect(s.checkReport(of: mine, from: stranger) != .accepted)
    }

    @Test func aSecondReportOfTheSameAttemptIsRejected() {
        var (s, live) = running()
        let mine = attempt(of: w1, in: live)
        _ = s.attemptSucceeded(mine, now: now)
        #expect(s.checkReport(of: mine, from: w1) != .accepted)
    }

    @Test func aCancelledAttemptMayStillReportUntilItEnds() {
        var (s, live) = running()
        let mine = attempt(of: w1, in: live)
        _ = s.abandonStage(1)
        #expect(s.checkReport(of: mine, from: w1) == .accepted)
    }

    @Test(arguments: [
        TaskID(stage: 99, index: 0), TaskID(stage: 0, index: 2), TaskID(stage: 0, index: -1), TaskID(stage: -1, index: 0),
        TaskID(stage: 1, index: 0), TaskID(stage: Int.max, index: Int.min),
    ])
    func lostOutputsOutsideTheEarlierStagesAreRejected(_ lost: TaskID) {
        let (s, live) = running()
        let task = live[attempt(of: w1, in: live)]!.0
        #expect(s.checkLostOutputs([lost], reportedBy: task) != .accepted)
        #expect(s.checkLostOutputs([TaskID(stage: 0, index: 1)], reportedBy: task) == .accepted)
    }

    @Test func outOfRangeLostOutputsNeverTrapTheScheduler() {
        var (s, live) = running()
        let mine = attempt(of: w1, in: live)
        let directives = s.attemptFailed(mine, cause: "x", lostOutputs: [TaskID(stage: 99, index: 0), TaskID(stage: 0, index: -5)])
        #expect(!directives.contains { if case .outputLost = $0 { true } else { false } })
        #expect(s.isComplete(stage: 0))
    }

    @Test(arguments: [-Double.infinity, .infinity, .nan, -0.01, 2, 1.000001])
    func heartbeatProgressOutsideZeroToOneIsRejected(_ progress: Double) {
        let (s, live) = running()
        let report = HeartbeatReport(runningAttempt: attempt(of: w1, in: live), progress: progress)
        #expect(s.checkHeartbeat(report, from: w1, previous: nil).reason?.contains("progress") == true)
    }

    @Test func heartbeatMayNameTheCurrentOrThePreviousAttemptOnly() {
        let (s, live) = running()
        let mine = attempt(of: w1, in: live), theirs = attempt(of: w2, in: live)
        #expect(s.checkHeartbeat(HeartbeatReport(runningAttempt: nil, progress: 0), from: w1, previous: nil) == .accepted)
        #expect(s.checkHeartbeat(HeartbeatReport(runningAttempt: mine, progress: 0.5), from: w1, previous: nil) == .accepted)
        #expect(s.checkHeartbeat(HeartbeatReport(runningAttempt: AttemptID(1), progress: 1), from: w1, previous: AttemptID(1)) == .accepted)
        #expect(s.checkHeartbeat(HeartbeatReport(runningAttempt: theirs, progress: 0.5), from: w1, previous: AttemptID(1)) != .accepted)
    }

    @Test(arguments: [-1, Int.min, ReportLimits.maxCount + 1, Int.max])
    func negativeOrAbsurdStatisticsAreRejected(_ value: Int) {
        for field in 0..<6 {
            var statistics = AttemptStatistics()
            switch field {
            case 0: statistics.recordsIn = value
            case 1: statistics.bytesIn = value
            case 2: statistics.recordsOut = value
            case 3: statistics.bytesOut = value
            case 4: statistics.peakResidentBytes = value
            default: statistics.spills = value
            }
            #expect(TaskScheduler.checkStatistics(statistics) != .accepted)
        }
        var fine = AttemptStatistics()
        fine.bytesOut = ReportLimits.maxCount
        #expect(TaskScheduler.checkStatistics(fine) == .accepted)
    }

    @Test func countsAreCheckedElementByElement() {
        #expect(ReportLimits.checkCounts([0, 5, ReportLimits.maxCount], "sizes") == .accepted)
        #expect(ReportLimits.checkCounts([0, -5], "sizes").reason == "sizes[1] is negative (-5)")
        #expect(ReportLimits.checkCounts([Int.max], "sizes") != .accepted)
    }
}
