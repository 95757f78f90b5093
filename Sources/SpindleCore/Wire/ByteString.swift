/// An owned string of bytes, used as shuffle keys and opaque values.
///
/// Ordering is lexicographic by unsigned byte value, a proper prefix sorting first; this is the sort order
/// of shuffle keys, and for UTF-8 text it agrees with Unicode scalar order. Wire form: varint length + bytes.
public struct ByteString: Hashable, Comparable, Sendable, WireCodable, ExpressibleByStringLiteral, CustomStringConvertible {
    /// The bytes.
    public var bytes: [UInt8]

    /// The empty byte string.
    public init() { bytes = [] }

    /// Wraps `bytes`.
    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// Copies the bytes of `buffer`.
    public init(_ buffer: UnsafeRawBufferPointer) { self.bytes = [UInt8](buffer) }

    /// The UTF-8 bytes of `string`.
    public init(_ string: String) { self.bytes = [UInt8](string.utf8) }

    /// The UTF-8 bytes of the literal.
    public init(stringLiteral value: String) { self.init(value) }

    /// Number of bytes.
    public var count: Int { bytes.count }

    /// True when there are no bytes.
    public var isEmpty: Bool { bytes.isEmpty }

    /// Calls `body` with the bytes in contiguous memory, valid only for the duration of the call.
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try bytes.withUnsafeBytes(body)
    }

    /// The bytes decoded as UTF-8, with invalid sequences replaced by U+FFFD.
    public var description: String { String(decoding: bytes, as: UTF8.self) }

    /// Lexicographic unsigned byte order; a proper prefix orders first.
    public static func < (lhs: ByteString, rhs: ByteString) -> Bool {
        lhs.bytes.withUnsafeBytes { a in rhs.bytes.withUnsafeBytes { b in compare(a, b) < 0 } }
    }

    /// Three-way comparison of raw byte runs in `ByteString` order: negative, zero or positive as `a` sorts
    /// before, equal to or after `b`. Lets callers order encoded keys without copying them out.
    public static func compare(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Int {
        let common = Swift.min(a.count, b.count)
        var index = 0
        // Eight bytes at a time: read big-endian so numeric order equals byte order.
        while index + 8 <= common {
            let x = UInt64(bigEndian: a.loadUnaligned(fromByteOffset: index, as: UInt64.self))
            let y = UInt64(bigEndian: b.loadUnaligned(fromByteOffset: index, as: UInt64.self))
            if x != y { return x < y ? -1 : 1 }
            index += 8
        }
        while index < common {
            let x = a[index], y = b[index]
            if x != y { return x < y ? -1 : 1 }
            index += 1
        }
        return a.count == b.count ? 0 : (a.count < b.count ? -1 : 1)
    }

    /// Varint length, then the bytes.
    public func encode(to writer: inout WireWriter) {
        bytes.withUnsafeBytes { writer.writeLengthPrefixed($0) }
    }

    /// Reads a varint length and copies that many bytes.
    public init(from reader: inout WireReader) throws {
        self.bytes = [UInt8](try reader.readLengthPrefixed())
    }
}
