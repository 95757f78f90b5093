/// Reads values in the Spindle binary wire format from a borrowed buffer, front to back.
///
/// The reader does not own its bytes: the caller keeps `buffer` alive (typically inside `withUnsafeBytes`)
/// for as long as the reader and any slice it returned are used. Malformed input throws `WireError`;
/// it never traps. A primitive read that throws leaves `offset` unchanged; after a failed composite
/// read (array, string, user type) the offset is unspecified.
public struct WireReader {
    /// The borrowed input.
    @usableFromInline internal let buffer: UnsafeRawBufferPointer
    /// Position of the next unread byte.
    @usableFromInline internal var cursor: Int

    /// Creates a reader positioned at the start of `buffer`.
    public init(_ buffer: UnsafeRawBufferPointer) {
        self.buffer = buffer
        self.cursor = 0
    }

    /// Position of the next unread byte; may be set to any value in `0...buffer.count` to seek.
    public var offset: Int {
        get { cursor }
        set {
            precondition(newValue >= 0 && newValue <= buffer.count, "WireReader offset \(newValue) out of 0...\(buffer.count)")
            cursor = newValue
        }
    }

    /// Number of bytes not yet read.
    @inlinable
    public var remaining: Int { buffer.count - cursor }

    /// True when every byte has been read.
    @inlinable
    public var isAtEnd: Bool { cursor == buffer.count }

    /// Reads one byte.
    @inlinable
    public mutating func readByte() throws -> UInt8 {
        guard cursor < buffer.count else { throw WireError.truncated(needed: 1, available: 0) }
        let byte = buffer[cursor]
        cursor += 1
        return byte
    }

    /// Reads a little-endian integer of exactly `T.bitWidth / 8` bytes.
    @inlinable
    public mutating func readFixed<T: FixedWidthInteger>(_ type: T.Type) throws -> T {
        let size = MemoryLayout<T>.size
        guard size <= remaining else { throw WireError.truncated(needed: size, available: remaining) }
        let value = T(littleEndian: buffer.loadUnaligned(fromByteOffset: cursor, as: T.self))
        cursor += size
        return value
    }

    /// Reads an unsigned LEB128 varint; more than 10 bytes or a value above `UInt64.max` is `invalidValue`.
    /// Non-minimal encodings (extra `0x80` groups) within 10 bytes are accepted.
    @inlinable
    public mutating func readVarint() throws -> UInt64 {
        let end = buffer.count
        var index = cursor
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard index < end else {
                throw WireError.truncated(needed: index - cursor + 1, available: end - cursor)
            }
            let byte = buffer[index]
            index += 1
            if shift == 63 {
                // Tenth byte: only one payload bit is left and no continuation is allowed.
                guard byte <= 1 else {
                    throw WireError.invalidValue(type: "varint", detail: "it is longer than 10 bytes or exceeds 64 bits")
                }
                result |= UInt64(byte) << 63
                break
            }
            result |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { break }
            shift += 7
        }
        cursor = index
        return result
    }

    /// Reads a zigzag-mapped signed varint (see `WireWriter.writeZigZag`).
    @inlinable
    public mutating func readZigZag() throws -> Int64 {
        let raw = try readVarint()
        return Int64(bitPattern: (raw >> 1) ^ (0 &- (raw & 1)))
    }

    /// Returns the next `count` bytes as a slice of the input (no copy) and advances past them.
    @inlinable
    public mutating func readRaw(count: Int) throws -> UnsafeRawBufferPointer {
        guard count >= 0 else { throw WireError.invalidValue(type: "byte count", detail: "\(count) is negative") }
        guard count <= remaining else { throw WireError.truncated(needed: count, available: remaining) }
        let slice = UnsafeRawBufferPointer(rebasing: buffer[cursor ..< cursor + count])
        cursor += count
        return slice
    }

    /// Reads a varint byte length and returns that many following bytes as a slice of the input (no copy).
    /// A length beyond the remaining input throws `lengthTooLarge` before anything else happens.
    @inlinable
    public mutating func readLengthPrefixed() throws -> UnsafeRawBufferPointer {
        let start = cursor
        let length = try readVarint()
        guard length <= UInt64(remaining) else {
            let available = remaining
            cursor = start
            throw WireError.lengthTooLarge(length: length, remaining: available)
        }
        return try readRaw(count: Int(length))
    }

    /// Reads a count prefix for a collection whose elements each take at least one byte;
    /// a count beyond the remaining input throws `lengthTooLarge`, so callers may reserve capacity safely.
    @inlinable
    public mutating func readCount() throws -> Int {
        let start = cursor
        let count = try readVarint()
        guard count <= UInt64(remaining) else {
            let available = remaining
            cursor = start
            throw WireError.lengthTooLarge(length: count, remaining: available)
        }
        return Int(count)
    }

    /// Reads one value of type `T`.
    @inlinable
    public mutating func read<T: WireCodable>(_ type: T.Type) throws -> T {
        try T(from: &self)
    }

    /// Throws `trailingBytes` unless every byte has been read.
    public func expectEnd() throws {
        if cursor != buffer.count { throw WireError.trailingBytes(count: remaining) }
    }

    /// Runs `body` with a reader over `bytes`; the reader must not escape `body`.
    public static func withReader<R>(over bytes: [UInt8], _ body: (inout WireReader) throws -> R) rethrows -> R {
        try bytes.withUnsafeBytes { raw in
            var reader = WireReader(raw)
            return try body(&reader)
        }
    }

    /// Decodes exactly one `T` occupying all of `bytes`; leftover bytes throw `trailingBytes`.
    public static func decode<T: WireCodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
        try withReader(over: bytes) { reader in
            let value = try reader.read(T.self)
            try reader.expectEnd()
            return value
        }
    }
}

extension WireCodable {
    /// The wire encoding of this value as a fresh byte array.
    public func wireEncoded() -> [UInt8] {
        var writer = WireWriter()
        encode(to: &writer)
        return writer.bytes
    }
}
