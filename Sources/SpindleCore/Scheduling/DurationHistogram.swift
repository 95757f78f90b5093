/// Counts durations in logarithmic buckets (8 per power of two, so a percentile is known within 9%) and keeps
/// the exact maximum: the heartbeat gaps a ``HeartbeatMonitor`` sees, summed up as p50 / p99 / max.
///
/// Fixed size (a few KiB) whatever the number of values; recording is O(1).
package struct DurationHistogram: Sendable, Equatable {
    /// Sub-buckets per power of two of nanoseconds.
    private static let steps = 8
    private var buckets = [Int](repeating: 0, count: 64 * steps)
    /// How many durations were recorded.
    package private(set) var count = 0
    /// The longest duration recorded (zero when none was).
    package private(set) var maximum: Duration = .zero

    package init() {}

    /// Records `duration` (a negative one counts as zero).
    package mutating func record(_ duration: Duration) {
        let nanoseconds = duration.nanosecondsClamped
        buckets[Self.bucket(of: nanoseconds)] += 1
        count += 1
        if duration > maximum { maximum = duration }
    }

    /// Adds every duration `other` recorded.
    package mutating func merge(_ other: DurationHistogram) {
        for i in buckets.indices { buckets[i] += other.buckets[i] }
        count += other.count
        maximum = max(maximum, other.maximum)
    }

    /// The smallest bucket bound below which at least `fraction` (0...1) of the durations lie: the percentile
    /// `fraction`, rounded up to its bucket's upper bound and never above ``maximum``. Zero when empty.
    package func percentile(_ fraction: Double) -> Duration {
        guard count > 0 else { return .zero }
        let wanted = max(1, Int((Double(count) * min(1, max(0, fraction))).rounded(.up)))
        var seen = 0
        for (index, n) in buckets.enumerated() where n > 0 {
            seen += n
            if seen >= wanted { return min(maximum, .nanoseconds(Int64(clamping: Self.upperBound(of: index)))) }
        }
        return maximum
    }

    /// The bucket of `nanoseconds`: 8 per power of two, by the 3 bits after the leading one.
    static func bucket(of nanoseconds: UInt64) -> Int {
        guard nanoseconds >= UInt64(steps) else { return Int(nanoseconds) }
        let exponent = 63 - nanoseconds.leadingZeroBitCount
        let fraction = Int((nanoseconds >> (exponent - 3)) & 7)
        return exponent * steps + fraction - 16
    }

    /// The largest value in bucket `index`.
    static func upperBound(of index: Int) -> UInt64 {
        guard index >= steps else { return UInt64(index) }
        let exponent = (index + 16) / steps
        let fraction = UInt64((index + 16) % steps)
        let base = UInt64(1) << exponent
        let width = UInt64(1) << (exponent - 3)
        return base - 1 + (fraction + 1) * width  // at most 2^64 - 1 (exponent 63, fraction 7)
    }
}
