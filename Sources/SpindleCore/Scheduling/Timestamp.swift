/// A point on a monotonic clock in nanoseconds. State machines take it as input, so tests drive them with a fake clock.
package struct Timestamp: Hashable, Comparable, Sendable, CustomStringConvertible {
    package var nanoseconds: UInt64
    package init(nanoseconds: UInt64) { self.nanoseconds = nanoseconds }

    package static func < (a: Timestamp, b: Timestamp) -> Bool { a.nanoseconds < b.nanoseconds }

    package static func + (t: Timestamp, d: Duration) -> Timestamp {
        Timestamp(nanoseconds: t.nanoseconds &+ d.nanosecondsClamped)
    }

    /// The time from `earlier` to `self`, zero if `earlier` is later.
    package func duration(since earlier: Timestamp) -> Duration {
        nanoseconds >= earlier.nanoseconds ? .nanoseconds(Int64(nanoseconds - earlier.nanoseconds)) : .zero
    }

    package var description: String { "t+\(Double(nanoseconds) / 1e9)s" }
}

extension Duration {
    /// The duration in whole nanoseconds, clamped to 0...UInt64.max.
    package var nanosecondsClamped: UInt64 {
        let (seconds, attoseconds) = components
        if seconds < 0 { return 0 }
        let (whole, overflow) = UInt64(seconds).multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return .max }
        return whole &+ UInt64(attoseconds / 1_000_000_000)
    }

    /// The duration in seconds as a Double.
    package var seconds: Double {
        let (s, atto) = components
        return Double(s) + Double(atto) / 1e18
    }

    /// The duration times `factor` (nanosecond precision).
    package func scaled(by factor: Double) -> Duration { .nanoseconds(Int64(Double(nanosecondsClamped) * factor)) }
}
