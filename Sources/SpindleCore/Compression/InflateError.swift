/// Why a gzip or DEFLATE stream cannot be decoded, and where.
package struct InflateError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What went wrong.
    package enum Kind: Equatable, Sendable {
        /// The input ended inside a member (a truncated file).
        case truncated
        /// The bytes break RFC 1951 or RFC 1952; the reason says how, e.g. "a distance of 40000 bytes
        /// reaches before the start of the member".
        case corrupt(String)
    }

    package var kind: Kind
    /// The offset in the compressed input of the byte where the problem was found (for a truncated input:
    /// its length).
    package var offset: Int

    package init(_ kind: Kind, offset: Int) {
        self.kind = kind
        self.offset = offset
    }

    package static func corrupt(_ reason: String, at offset: Int) -> InflateError { InflateError(.corrupt(reason), offset: offset) }

    package var description: String {
        switch kind {
        case .truncated: return "the gzip data ends inside a member at compressed byte \(offset) (the file is truncated)"
        case .corrupt(let reason): return "the gzip data is corrupt at compressed byte \(offset): \(reason)"
        }
    }
}
