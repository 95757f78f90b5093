/// Where a worker's exchange (fetch) server listens, and the address other workers are told to reach it at.
package enum ExchangeBinding {
    /// The address the exchange server binds.
    ///
    /// In order: `bind` when given (`spindle worker --bind`); else `advertise` when given, as Spark's
    /// `bindAddress` defaults to the advertised host; else `127.0.0.1` when the coordinator was reached at
    /// a loopback address (so a local job never listens on the network), else `0.0.0.0` (every interface).
    /// The decision uses `coordinatorAddress`, the numeric address the connection actually reached, never
    /// the text the user typed: `vm:7070` that resolves to 127.0.0.1 is a local coordinator.
    /// - Parameters:
    ///   - bind: `--bind HOST`, if given.
    ///   - advertise: `--advertise HOST`, if given.
    ///   - coordinatorAddress: the coordinator's numeric address as connected ("127.0.0.1", "::1", "10.0.0.5").
    package static func listenHost(bind: String?, advertise: String?, coordinatorAddress: String) -> String {
        if let bind { return bind }
        if let advertise { return advertise }
        return isLoopback(coordinatorAddress) ? "127.0.0.1" : "0.0.0.0"
    }

    /// Whether a numeric address is a loopback one: 127.0.0.0/8, `::1`, or an IPv4-mapped 127/8 (`::ffff:127.x.y.z`).
    package static func isLoopback(_ address: String) -> Bool {
        let text = address.lowercased()
        if text == "::1" || text == "0:0:0:0:0:0:0:1" { return true }
        let v4 = text.hasPrefix("::ffff:") ? String(text.dropFirst(7)) : text
        let parts = v4.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4, parts.allSatisfy({ !$0.isEmpty && $0.count <= 3 && $0.allSatisfy(DecimalText.isDigit) && Int($0)! <= 255 }) else {
            return false
        }
        return parts[0] == "127"
    }

    /// Checks a `--bind` or `--advertise` value: a host name or address without a port, at most 255 bytes.
    /// - Returns: nil when it is acceptable, else what is wrong with it.
    package static func problem(with host: String) -> String? {
        if host.isEmpty { return "it is empty" }
        if host.utf8.count > 255 { return "it is longer than 255 bytes" }
        if host.unicodeScalars.contains(where: { $0.value <= 0x20 || $0.value == 0x7F || $0 == "/" || $0 == "[" || $0 == "]" }) {
            return "it contains a space, a control character, '/' or a bracket"
        }
        if host.filter({ $0 == ":" }).count == 1 { return "it has a port; give the host alone" }
        return nil
    }
}
