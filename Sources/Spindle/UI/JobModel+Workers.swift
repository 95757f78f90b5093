import SpindleCore

/// The workers page's document: per worker its state, how recently it was heard from, its tasks, the
/// bytes it shuffled, its peak memory and how its task times compare with the other workers'.
extension JobModel {
    /// A worker whose tasks take this many times the median time of their stage (median over its tasks)
    /// is flagged as slow.
    static let slowFactor = 1.5

    func workersJSON(now: Double) -> JSONValue {
        let relative = relativeTaskTimes()
        return .array(
            workers.map { w in
                let own = attempts.filter { $0.worker == w.id }
                let committed = own.filter { $0.outcome == .committed }
                let live = w.lostAt == nil && (state == .running || state == .starting)
                // Live: the coordinator's heartbeat monitor; otherwise the last event before the loss or the end.
                let lastSeenBefore = w.lostAt != nil ? "loss" : endedAt != nil ? "end" : "now"
                let ratio = relative[w.id]
                return .object([
                    ("id", .int(w.id)), ("pid", .int(w.pid)), ("host", .string(w.host)), ("peer", .string(w.peer)),
                    ("state", .string(w.lostAt == nil ? (live ? "alive" : "exited") : "lost")),
                    ("cause", w.cause.map(JSONValue.string) ?? .null), ("joined", .double(w.joinedAt)),
                    ("lost", w.lostAt.map(JSONValue.double) ?? .null),
                    ("heartbeat_age", live ? heartbeatAges[w.id].map { .double(round3($0)) } ?? .null : .null),
                    ("last_seen", .double(round3(w.lastSeen))),
                    ("last_seen_age", .double(round3(max(0, (w.lostAt ?? endedAt ?? now) - w.lastSeen)))),
                    ("last_seen_before", .string(lastSeenBefore)),
                    ("done", .int(committed.count)), ("running", .int(own.filter { $0.outcome == .running }.count)),
                    ("failed", .int(own.filter { $0.outcome == .failed || $0.outcome == .lost }.count)),
                    ("bytes_in", .int(committed.reduce(0) { $0 + $1.bytesIn })), ("bytes_out", .int(committed.reduce(0) { $0 + $1.bytesOut })),
                    ("spills", .int(committed.reduce(0) { $0 + $1.spills })),
                    ("peak_resident", .int(w.peakResident)),
                    ("relative_task_time", ratio.map { .double(round3($0)) } ?? .null),
                    ("slow", .bool((ratio ?? 0) > Self.slowFactor && workers.count > 1)),
                ])
            })
    }

    /// Per worker, the median over its committed tasks of (task time / median task time of the task's stage);
    /// 1 is a typical worker, 2 one whose tasks take twice as long. Absent for workers without a committed task.
    func relativeTaskTimes() -> [Int: Double] {
        let committed = attempts.filter { $0.outcome == .committed && $0.end != nil }
        var stageMedian: [Int: Double] = [:]
        for (stage, own) in Dictionary(grouping: committed, by: \.stage) {
            if let d = Distribution(own.map { $0.end! - $0.start }), d.median > 0 { stageMedian[stage] = d.median }
        }
        var ratios: [Int: [Double]] = [:]
        for a in committed {
            guard let median = stageMedian[a.stage] else { continue }
            ratios[a.worker, default: []].append((a.end! - a.start) / median)
        }
        return ratios.compactMapValues { Distribution($0)?.median }
    }
}
