/// Parses and formats human durations such as `200ms`, `2s`, `1.5s`, `250us`, `1m` or `1h30m`.
///
/// Units: `ns`, `us` (or `µs`), `ms`, `s`, `m`, `h`, case-insensitive. Every number needs a unit.
package enum DurationText {
    private static let nanosecondsPerUnit: [String: Int] = [
        "ns": 1, "us": 1_000, "µs": 1_000, "ms": 1_000_000,
        "s": 1_000_000_000, "m": 60_000_000_000, "h": 3_600_000_000_000,
    ]

    /// The duration `text` denotes, or nil for a bare number, a negative, an unknown unit or garbage.
    ///
    /// Segments may be chained (`1m30s`); a space may separate a number from its unit.
    /// Fractions below a nanosecond round down. Overflowing about 292 years is rejected.
    package static func parse(_ text: String) -> Duration? {
        var rest = DecimalText.trimmed(text[...])
        guard !rest.isEmpty else { return nil }
        var total = 0
        while !rest.isEmpty {
            guard let scan = DecimalText.scan(rest) else { return nil }
            var after = scan.rest
            while after.first == " " { after = after.dropFirst() }
            let unitEnd = after.firstIndex { !$0.isLetter } ?? after.endIndex
            guard let multiplier = nanosecondsPerUnit[after[..<unitEnd].lowercased()],
                  let nanoseconds = DecimalText.scaled(scan, by: multiplier) else { return nil }
            let (sum, overflow) = total.addingReportingOverflow(nanoseconds)
            guard !overflow else { return nil }
            total = sum
            rest = after[unitEnd...]
        }
        return .nanoseconds(total)
    }

    /// A compact rendering that `parse` reads back: `0s`, `750ns`, `250us`, `1.5ms`, `2s`, `1m30s`, `1h`.
    ///
    /// Sub-nanosecond parts are dropped; negative durations get a leading `-`.
    package static func format(_ duration: Duration) -> String {
        if duration < .zero { return "-" + format(.zero - duration) }
        let (seconds, attoseconds) = duration.components
        let nanos = attoseconds / 1_000_000_000
        if seconds == 0 {
            if nanos == 0 { return "0s" }
            if nanos < 1_000 { return "\(nanos)ns" }
            if nanos < 1_000_000 { return decimal(nanos / 1_000, nanos % 1_000, digits: 3) + "us" }
            return decimal(nanos / 1_000_000, nanos % 1_000_000, digits: 6) + "ms"
        }
        if seconds < 60 { return decimal(seconds, nanos, digits: 9) + "s" }
        var text = ""
        let hours = seconds / 3600, minutes = seconds % 3600 / 60, secs = seconds % 60
        if hours > 0 { text += "\(hours)h" }
        if minutes > 0 { text += "\(minutes)m" }
        if secs > 0 || nanos > 0 { text += decimal(secs, nanos, digits: 9) + "s" }
        return text
    }

    /// `whole` followed by `fraction` as a `digits`-wide decimal fraction with trailing zeros removed.
    private static func decimal(_ whole: Int64, _ fraction: Int64, digits: Int) -> String {
        guard fraction > 0 else { return "\(whole)" }
        var fractionText = String(fraction)
        fractionText = String(repeating: "0", count: digits - fractionText.count) + fractionText
        while fractionText.last == "0" { fractionText.removeLast() }
        return "\(whole).\(fractionText)"
    }
}
