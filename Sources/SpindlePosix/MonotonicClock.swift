import Glibc

/// The CLOCK_MONOTONIC clock: for measuring intervals and deadlines, never jumps backwards.
package enum MonotonicClock {
    /// Nanoseconds since an arbitrary fixed point (usually boot).
    package static func nanoseconds() -> UInt64 {
        UInt64(LibC.monotonicNow())
    }

    /// Blocks the calling thread for `d` (nanosleep); a signal interruption resumes the
    /// remaining time. Zero or negative durations return at once.
    package static func sleep(_ d: Duration) {
        let ns = LibC.nanoseconds(d)
        if ns <= 0 { return }
        var request = timespec(tv_sec: Int(ns / 1_000_000_000), tv_nsec: Int(ns % 1_000_000_000))
        var remaining = timespec()
        while nanosleep(&request, &remaining) == -1 && Glibc.errno == EINTR {
            request = remaining
        }
    }
}

/// The CLOCK_REALTIME clock: for timestamps shown to people, may jump.
package enum WallClock {
    /// Milliseconds since the Unix epoch (1970-01-01T00:00:00Z).
    package static func unixMilliseconds() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
    }
}

/// Blocks the calling thread for `d` (same as `MonotonicClock.sleep(_:)`).
package func sleep(_ d: Duration) {
    MonotonicClock.sleep(d)
}
