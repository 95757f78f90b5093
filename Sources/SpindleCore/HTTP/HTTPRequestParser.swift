/// One HTTP/1.x request head: what a read-only server needs to answer it.
public struct HTTPRequestHead: Sendable, Equatable {
    public var method: String
    /// The request target as sent (`/api/job?x=1`).
    public var target: String
    public var version: String
    /// Header fields in order, names lower-cased.
    public var headers: [(name: String, value: String)]

    /// The target without its query string.
    public var path: Substring { target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? "" }

    public static func == (a: HTTPRequestHead, b: HTTPRequestHead) -> Bool {
        a.method == b.method && a.target == b.target && a.version == b.version
            && a.headers.map(\.name) == b.headers.map(\.name) && a.headers.map(\.value) == b.headers.map(\.value)
    }
}

/// An incremental, bounded parser of one HTTP/1.x request head (request line and header fields), for a
/// server that accepts no request bodies. Pure: feed it bytes as they arrive; it says "need more bytes"
/// until the blank line that ends the head, and refuses as soon as a bound is crossed, so a peer can
/// never make it hold more than ``maxHeadBytes``.
public struct HTTPRequestParser: Sendable {
    /// What the bytes so far amount to.
    public enum Outcome: Sendable, Equatable {
        /// The head is not complete yet.
        case needMore
        /// A complete, valid head.
        case complete(HTTPRequestHead)
        /// The request is refused with this status (400, 405, 413, 414, 431, 505) and reason.
        case refused(status: Int, reason: String)
    }

    /// The most bytes the request line and header fields may take together.
    public let maxHeadBytes: Int
    /// The most header fields accepted.
    public let maxHeaders: Int
    private var buffer: [UInt8] = []

    /// - Parameters:
    ///   - maxHeadBytes: the bound on the head's size (8 KiB by default, as many servers use).
    ///   - maxHeaders: the bound on the number of header fields (100 by default).
    public init(maxHeadBytes: Int = 8192, maxHeaders: Int = 100) {
        precondition(maxHeadBytes > 16 && maxHeaders > 0, "the HTTP parser's bounds must be positive")
        self.maxHeadBytes = maxHeadBytes
        self.maxHeaders = maxHeaders
    }

    /// Adds bytes read from the peer and says whether the head is complete, refused or not there yet.
    /// After `.complete` or `.refused` the parser MUST NOT be fed again.
    public mutating func feed(_ bytes: some Collection<UInt8>) -> Outcome {
        let scanFrom = max(0, buffer.count - 3)
        buffer.append(contentsOf: bytes)
        guard let end = Self.endOfHead(buffer, from: scanFrom) else {
            if buffer.count > maxHeadBytes { return refusalForOversize() }
            if Self.lines(in: buffer).count - 1 > maxHeaders { return .refused(status: 431, reason: "more than \(maxHeaders) header fields") }
            return .needMore
        }
        guard end <= maxHeadBytes else { return refusalForOversize() }
        return Self.parse(Array(buffer[..<end]), maxHeaders: maxHeaders)
    }

    /// A head over the size bound: 414 when the request line alone is too long, else 431.
    private func refusalForOversize() -> Outcome {
        if !buffer.prefix(maxHeadBytes).contains(UInt8(ascii: "\n")) {
            return .refused(status: 414, reason: "the request line is longer than \(maxHeadBytes) bytes")
        }
        return .refused(status: 431, reason: "the request head is longer than \(maxHeadBytes) bytes")
    }

    /// The index just past the blank line ending the head (CRLF CRLF, or bare LF LF), if present.
    static func endOfHead(_ b: [UInt8], from start: Int) -> Int? {
        var i = start
        while i < b.count {
            if b[i] == UInt8(ascii: "\n") {
                if i + 1 < b.count && b[i + 1] == UInt8(ascii: "\n") { return i + 2 }
                if i + 2 < b.count && b[i + 1] == UInt8(ascii: "\r") && b[i + 2] == UInt8(ascii: "\n") { return i + 3 }
            }
            i += 1
        }
        return nil
    }

    static func lines(in bytes: [UInt8]) -> [ArraySlice<UInt8>] {
        bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { line in
            line.last == UInt8(ascii: "\r") ? line.dropLast() : line
        }
    }

    private static func parse(_ head: [UInt8], maxHeaders: Int) -> Outcome {
        let lines = lines(in: head).filter { !$0.isEmpty }
        guard let first = lines.first, let requestLine = String(validating: first, as: UTF8.self) else {
            return .refused(status: 400, reason: "the request line is not UTF-8 text")
        }
        let parts = requestLine.split(separator: " ", omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[0].isEmpty, parts[1].hasPrefix("/") else {
            return .refused(status: 400, reason: "the request line is not 'METHOD /target HTTP/1.x'")
        }
        guard parts[2] == "HTTP/1.1" || parts[2] == "HTTP/1.0" else {
            return .refused(status: 505, reason: "only HTTP/1.0 and HTTP/1.1 are spoken here")
        }
        guard parts[1].utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            return .refused(status: 400, reason: "the request target holds a control, space or non-ASCII byte")
        }
        let fields = lines.dropFirst()
        guard fields.count <= maxHeaders else { return .refused(status: 431, reason: "more than \(maxHeaders) header fields") }
        var headers: [(name: String, value: String)] = []
        for field in fields {
            guard let colon = field.firstIndex(of: UInt8(ascii: ":")), colon > field.startIndex,
                let name = String(validating: field[..<colon], as: UTF8.self),
                name.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }),
                let value = String(validating: field[field.index(after: colon)...], as: UTF8.self)
            else {
                return .refused(status: 400, reason: "a header field is not 'Name: value'")
            }
            headers.append((name.lowercased(), value.trimmingSpaces()))
        }
        if headers.contains(where: { $0.name == "transfer-encoding" })
            || headers.contains(where: { $0.name == "content-length" && $0.value != "0" })
        {
            return .refused(status: 413, reason: "this server accepts no request bodies")
        }
        let method = String(parts[0])
        guard method == "GET" || method == "HEAD" else { return .refused(status: 405, reason: "only GET and HEAD are allowed") }
        return .complete(HTTPRequestHead(method: method, target: String(parts[1]), version: String(parts[2]), headers: headers))
    }
}

extension String {
    fileprivate func trimmingSpaces() -> String {
        var s = Substring(self)
        while let c = s.first, c == " " || c == "\t" { s = s.dropFirst() }
        while let c = s.last, c == " " || c == "\t" { s = s.dropLast() }
        return String(s)
    }
}
