import SpindleCore
import SpindlePosix

extension Coordinator {
    /// Fails at start, naming the limit and what to do, when the open-file limit cannot hold a connection per
    /// expected worker (the soft limit was raised to the hard one at start, ``ResourceLimits``).
    func checkConnectionLimit() throws {
        guard options.inProcess == nil, options.expectWorkers > connectionLimit else { return }
        let soft = (try? ResourceLimits.openFiles().soft) ?? 0
        throw SpindleError(
            .workersLost,
            "--expect-workers \(options.expectWorkers) needs a connection per worker, but the open-file limit (RLIMIT_NOFILE \(soft)) leaves room for \(connectionLimit); raise the hard limit (`ulimit -Hn`, LimitNOFILE= in a systemd unit) or expect fewer workers")
    }

    /// Records the silences the heartbeat monitor saw end (every frame is a sign of life): how close live workers
    /// came to the heartbeat timeout.
    func recordHeartbeatGaps() {
        let gaps = monitor.gaps
        guard gaps.count > 0 else { return }
        events.record(
            "heartbeat_gaps",
            [("count", .int(gaps.count)), ("p50", .double(gaps.percentile(0.5).seconds)), ("p99", .double(gaps.percentile(0.99).seconds)),
             ("max", .double(gaps.maximum.seconds)), ("timeout", .double(options.heartbeatTimeout.seconds))])
    }
}
