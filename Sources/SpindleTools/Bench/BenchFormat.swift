import Spindle
import SpindleCore

/// Number formatting for benchmark tables, files and plots, independent of the locale.
enum BenchFormat {
    /// `value` with exactly `digits` decimals (rounded half away from zero), e.g. `fixed(2.5, 3)` is `2.500`;
    /// `-` for NaN and infinities.
    static func fixed(_ value: Double, _ digits: Int) -> String {
        guard value.isFinite else { return "-" }
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let scaled = (abs(value) * scale).rounded()
        guard scaled < 9e18 else { return "\(value)" }
        let units = Int(scaled)
        let power = Int(scale)
        let whole = units / power
        var text = (value < 0 && units != 0 ? "-" : "") + String(whole)
        if digits > 0 {
            let fraction = String(units % power)
            text += "." + String(repeating: "0", count: digits - fraction.count) + fraction
        }
        return text
    }

    /// Seconds with three decimals, or `-` when unknown.
    static func seconds(_ value: Double?) -> String {
        value.map { fixed($0, 3) } ?? "-"
    }

    /// A ratio with two decimals, or `-` when unknown.
    static func ratio(_ value: Double?) -> String {
        value.map { fixed($0, 2) } ?? "-"
    }

    /// A byte count such as `412.50 MiB`, or `-` when unknown.
    static func bytes(_ value: Int?) -> String {
        value.map { ByteSize.format($0) } ?? "-"
    }

    /// `YYYY-MM-DD HH:MM UTC` for a time given in milliseconds since the Unix epoch (proleptic Gregorian calendar).
    static func utcDate(unixMilliseconds: Int64) -> String {
        let seconds = unixMilliseconds >= 0 ? unixMilliseconds / 1000 : (unixMilliseconds - 999) / 1000
        var days = seconds / 86_400
        var secondOfDay = seconds % 86_400
        if secondOfDay < 0 {
            secondOfDay += 86_400
            days -= 1
        }
        // Count from 0000-03-01 so that the leap day ends each 4-, 100- and 400-year cycle.
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthFromMarch = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthFromMarch + 2) / 5 + 1
        let month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        func two(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(year)-\(two(month))-\(two(day)) \(two(secondOfDay / 3600)):\(two(secondOfDay % 3600 / 60)) UTC"
    }
}
