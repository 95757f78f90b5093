/// Parses and formats byte counts such as `512MiB`, `4K`, `1.5GiB` or `4KB`.
///
/// `K`/`KiB`, `M`/`MiB`, `G`/`GiB`, `T`/`TiB`, `P`/`PiB` are powers of 1024; `KB`, `MB`, `GB`, `TB`, `PB`
/// are powers of 1000; `B` or no unit means bytes. Units are case-insensitive.
package enum ByteSize {
    private static let units: [String: Int] = [
        "": 1, "b": 1,
        "k": 1 << 10, "kib": 1 << 10, "kb": 1_000,
        "m": 1 << 20, "mib": 1 << 20, "mb": 1_000_000,
        "g": 1 << 30, "gib": 1 << 30, "gb": 1_000_000_000,
        "t": 1 << 40, "tib": 1 << 40, "tb": 1_000_000_000_000,
        "p": 1 << 50, "pib": 1 << 50, "pb": 1_000_000_000_000_000,
    ]

    /// The byte count `text` denotes, or nil for empty, negative, malformed or overflowing text.
    ///
    /// Spaces may separate the number and unit. Fractions are allowed with a unit larger than a byte
    /// and round down to whole bytes (`1.5KiB` is 1536).
    package static func parse(_ text: String) -> Int? {
        guard let scan = DecimalText.scan(DecimalText.trimmed(text[...])) else { return nil }
        let unit = DecimalText.trimmed(scan.rest).lowercased()
        guard let multiplier = units[unit] else { return nil }
        if multiplier == 1 && !scan.fraction.isEmpty { return nil }
        return DecimalText.scaled(scan, by: multiplier)
    }

    /// A short binary-unit rendering: `999 B`, `512 MiB`, `1.5 GiB` (at most two decimals, rounded).
    package static func format(_ bytes: Int) -> String {
        if bytes < 0 { return "-" + format(bytes == .min ? .max : -bytes) }
        let names = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"]
        var level = 0
        while level + 1 < names.count, bytes >= 1 << (10 * (level + 1)) { level += 1 }
        if level == 0 { return "\(bytes) B" }
        let unit = 1 << (10 * level)
        var whole = bytes / unit
        var hundredths = ((bytes % unit) * 100 + unit / 2) / unit
        if hundredths == 100 {
            whole += 1
            hundredths = 0
        }
        if whole == 1024 && level + 1 < names.count {
            level += 1
            whole = 1
        }
        var text = "\(whole)"
        if hundredths > 0 {
            text += hundredths % 10 == 0 ? ".\(hundredths / 10)" : (hundredths < 10 ? ".0\(hundredths)" : ".\(hundredths)")
        }
        return text + " " + names[level]
    }
}
