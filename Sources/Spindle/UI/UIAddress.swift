import SpindleCore

/// Where `spindle run` serves the UI (`--ui`): off, an address given by the user, or the default
/// 127.0.0.1 at the first free port from 4040.
enum UIAddress: Sendable, Equatable {
    case off
    case given(HostPort)
    case firstFree(host: String, from: UInt16)

    static let defaultAddress = UIAddress.firstFree(host: "127.0.0.1", from: 4040)

    /// Parses `--ui` (`off`, `HOST:PORT`; absent: the default).
    /// - Throws: ``UsageError`` naming the value and the forms accepted.
    static func parse(_ text: String?) throws(UsageError) -> UIAddress {
        guard let text else { return defaultAddress }
        if text == "off" { return .off }
        guard let address = HostPort.parse(text) else {
            throw UsageError("--ui '\(text)': expected HOST:PORT such as 127.0.0.1:4040 (port 0: any free port), or 'off'")
        }
        return .given(address)
    }

    /// Whether `host` is reachable only from this machine.
    static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host == "[::1]" || host.hasPrefix("127.")
    }
}
