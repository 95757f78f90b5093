/// Whether a message from a worker may be acted on.
package enum ReportCheck: Equatable, Sendable {
    /// Every field is in range; the message may be fed to the scheduler.
    case accepted
    /// A field is out of range or names work that is not the worker's; `reason` says which. The worker
    /// is to be disconnected (declared dead, its work re-run), never trusted further.
    case rejected(reason: String)

    /// The reason of a rejection, nil when accepted.
    package var reason: String? {
        if case .rejected(let reason) = self { return reason }
        return nil
    }
}

/// Bounds on the numbers a worker reports. A count or size beyond them is a broken or hostile peer, and
/// keeping every reported number below them keeps sums over millions of tasks far from `Int` overflow.
package enum ReportLimits {
    /// The largest count or byte size a worker may report for one attempt: 2^50 (one pebibyte).
    package static let maxCount = 1 << 50
    /// The most entries a worker may list in one report (lost outputs, counters, partition sizes).
    package static let maxEntries = 1 << 20

    /// Checks that `value`, named `field` in the reason, is in `0...maxCount`.
    package static func checkCount(_ value: Int, _ field: String) -> ReportCheck {
        guard value >= 0 else { return .rejected(reason: "\(field) is negative (\(value))") }
        guard value <= maxCount else { return .rejected(reason: "\(field) is implausibly large (\(value))") }
        return .accepted
    }

    /// Checks every element of `values` with ``checkCount(_:_:)``, and that there are at most ``maxEntries``.
    package static func checkCounts(_ values: [Int], _ field: String) -> ReportCheck {
        guard values.count <= maxEntries else { return .rejected(reason: "\(field) has \(values.count) entries") }
        for (i, value) in values.enumerated() {
            if case .rejected(let reason) = checkCount(value, "\(field)[\(i)]") { return .rejected(reason: reason) }
        }
        return .accepted
    }
}

extension TaskScheduler {
    /// Checks a result or failure report of `attempt` from `worker`: the attempt MUST be one the scheduler gave
    /// `worker` and has not yet heard the end of (a cancelled attempt still counts until it reports). Another
    /// worker's attempt, an attempt never handed out, or a second report of one attempt is rejected.
    package func checkReport(of attempt: AttemptID, from worker: WorkerID) -> ReportCheck {
        guard holds(attempt, on: worker) else {
            guard liveWorkers.contains(worker) else { return .rejected(reason: "\(worker) is not a live worker") }
            let held = runningAttempts(on: worker)
            let running = held.isEmpty ? "it runs no attempt" : "it holds \(held.map(\.description).joined(separator: ", "))"
            return .rejected(reason: "it reported \(attempt), which is not its current attempt (\(running))")
        }
        return .accepted
    }

    /// Checks the outputs a failing attempt of `task` says it found lost: each MUST name an existing task of
    /// an earlier stage (a task only reads outputs of the stages before its own).
    package func checkLostOutputs(_ lost: [TaskID], reportedBy task: TaskID) -> ReportCheck {
        guard lost.count <= ReportLimits.maxEntries else { return .rejected(reason: "it listed \(lost.count) lost outputs") }
        for id in lost {
            guard contains(id) else { return .rejected(reason: "it listed \(id) as a lost output, but no such task exists") }
            guard id.stage < task.stage else {
                return .rejected(reason: "it listed \(id) as a lost output, but \(task) does not read stage \(id.stage)")
            }
        }
        return .accepted
    }

    /// Checks a heartbeat from `worker`: progress MUST be a finite number in 0...1, and the running attempt, if
    /// any, MUST be one `worker` holds or one of `recent` (attempts it reported last: a heartbeat read before a
    /// result was sent may arrive after it).
    package func checkHeartbeat(_ report: HeartbeatReport, from worker: WorkerID, recent: [AttemptID]) -> ReportCheck {
        guard report.progress.isFinite, (0...1).contains(report.progress) else {
            return .rejected(reason: "its heartbeat reported progress \(report.progress), which is not in 0...1")
        }
        if let attempt = report.runningAttempt, !holds(attempt, on: worker), !recent.contains(attempt) {
            return .rejected(reason: "its heartbeat names \(attempt), which is not an attempt it runs")
        }
        return .accepted
    }

    /// ``checkHeartbeat(_:from:recent:)`` with the one attempt `worker` reported last, if any.
    package func checkHeartbeat(_ report: HeartbeatReport, from worker: WorkerID, previous: AttemptID?) -> ReportCheck {
        checkHeartbeat(report, from: worker, recent: previous.map { [$0] } ?? [])
    }

    /// Checks an attempt's statistics: every count and size in `0...ReportLimits.maxCount`.
    package static func checkStatistics(_ s: AttemptStatistics) -> ReportCheck {
        let fields = [
            ("records in", s.recordsIn), ("bytes in", s.bytesIn), ("records out", s.recordsOut), ("bytes out", s.bytesOut),
            ("peak resident bytes", s.peakResidentBytes), ("spills", s.spills),
        ]
        for (name, value) in fields {
            if case .rejected(let reason) = ReportLimits.checkCount(value, name) { return .rejected(reason: reason) }
        }
        return .accepted
    }

    /// Whether `task` names a task of an added stage.
    package func contains(_ task: TaskID) -> Bool {
        task.stage >= 0 && task.stage < stageCount && task.index >= 0 && task.index < taskCount(stage: task.stage)
    }
}
