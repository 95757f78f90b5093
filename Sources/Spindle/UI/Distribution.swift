/// The five-number summary of a stage's task durations or input sizes, with a skew flag.
struct Distribution: Sendable, Equatable {
    var count: Int
    var min: Double
    var p25: Double
    var median: Double
    var p75: Double
    var max: Double
    /// The largest value is more than ``skewFactor`` times the median (and above `floor`).
    var skewed: Bool

    /// How many times the median the maximum may be before the stage is flagged as skewed.
    static let skewFactor = 3.0

    /// Summarises `values`; nil when there are none. A stage is flagged as skewed only with 3 values or
    /// more, and only when the maximum also exceeds `floor` (so that 3 ms against 1 ms is no skew).
    init?(_ values: [Double], floor: Double = 0) {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        func quantile(_ q: Double) -> Double {
            let position = q * Double(sorted.count - 1)
            let low = Int(position.rounded(.down))
            let high = Swift.min(low + 1, sorted.count - 1)
            return sorted[low] + (sorted[high] - sorted[low]) * (position - Double(low))
        }
        count = sorted.count
        min = sorted[0]
        p25 = quantile(0.25)
        median = quantile(0.5)
        p75 = quantile(0.75)
        max = sorted[sorted.count - 1]
        skewed = count >= 3 && max > floor && max > Self.skewFactor * median
    }
}
