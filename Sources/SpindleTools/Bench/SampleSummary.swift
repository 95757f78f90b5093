/// The median, minimum and maximum of a non-empty set of measurements.
struct SampleSummary: Equatable, Sendable {
    /// The middle value; for an even count, the mean of the two middle values.
    let median: Double
    /// The smallest value.
    let min: Double
    /// The largest value.
    let max: Double
    /// How many values were summarized.
    let count: Int

    /// Summarizes `values`; nil when there are none.
    init?(_ values: [Double]) {
        guard let median = Self.median(values), let low = values.min(), let high = values.max() else { return nil }
        self.median = median
        self.min = low
        self.max = high
        self.count = values.count
    }

    /// The median of `values` (mean of the two middle ones for an even count); nil when empty.
    static func median(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    /// The median of integer measurements, rounded to the nearest integer; nil when empty.
    static func median(_ values: [Int]) -> Int? {
        median(values.map(Double.init)).map { Int($0.rounded()) }
    }
}
