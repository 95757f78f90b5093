/// A TCP endpoint written `HOST:PORT`, with IPv6 hosts in brackets: `127.0.0.1:7070`, `[::1]:7070`.
package struct HostPort: Hashable, Sendable, CustomStringConvertible {
    /// The host name or address, without brackets.
    package var host: String
    /// The TCP port; 0 asks the system to pick one when listening.
    package var port: UInt16

    /// Creates an endpoint from its parts.
    package init(host: String, port: UInt16) {
        self.host = host
        self.port = port
    }

    /// Parses `HOST:PORT` or `[IPV6]:PORT`; nil for a missing or out-of-range port, an empty host,
    /// whitespace, or an unbracketed IPv6 address.
    package static func parse(_ text: String) -> HostPort? {
        guard let colon = text.lastIndex(of: ":") else { return nil }
        var host = text[..<colon]
        let portText = text[text.index(after: colon)...]
        guard !portText.isEmpty, portText.count <= 5, portText.allSatisfy(DecimalText.isDigit),
              let port = UInt16(portText) else { return nil }
        if host.first == "[" {
            guard host.last == "]", host.count > 2 else { return nil }
            host = host.dropFirst().dropLast()
            guard host.contains(":") else { return nil }
        } else if host.contains(":") || host.contains("[") || host.contains("]") {
            return nil
        }
        guard !host.isEmpty, !host.contains(where: { $0.isWhitespace || $0 == "/" }) else { return nil }
        return HostPort(host: String(host), port: port)
    }

    /// `host:port`, bracketing hosts that contain a colon so `parse` reads it back.
    package var description: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}
