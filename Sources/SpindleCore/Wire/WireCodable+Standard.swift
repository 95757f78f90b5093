// Conformances for Bool, floating point and String.

extension Bool: WireCodable {
    /// One byte, 0 or 1.
    @inlinable public func encode(to writer: inout WireWriter) { writer.writeByte(self ? 1 : 0) }
    /// Reads one byte; anything other than 0 or 1 is invalid.
    @inlinable public init(from reader: inout WireReader) throws {
        let start = reader.cursor
        switch try reader.readByte() {
        case 0: self = false
        case 1: self = true
        case let other:
            reader.cursor = start
            throw WireError.invalidValue(type: "Bool", detail: "byte \(other) is neither 0 nor 1")
        }
    }
}

extension Double: WireCodable {
    /// The IEEE 754 bit pattern as 8 little-endian bytes (NaN payloads and the sign of zero survive).
    @inlinable public func encode(to writer: inout WireWriter) { writer.writeFixed(bitPattern) }
    /// Reads 8 little-endian bytes as a bit pattern.
    @inlinable public init(from reader: inout WireReader) throws {
        self.init(bitPattern: try reader.readFixed(UInt64.self))
    }
}

extension Float: WireCodable {
    /// The IEEE 754 bit pattern as 4 little-endian bytes (NaN payloads and the sign of zero survive).
    @inlinable public func encode(to writer: inout WireWriter) { writer.writeFixed(bitPattern) }
    /// Reads 4 little-endian bytes as a bit pattern.
    @inlinable public init(from reader: inout WireReader) throws {
        self.init(bitPattern: try reader.readFixed(UInt32.self))
    }
}

extension String: WireCodable {
    /// Varint byte length, then the UTF-8 bytes.
    @inlinable public func encode(to writer: inout WireWriter) { writer.writeLengthPrefixed(utf8) }
    /// Reads a length-prefixed byte run as UTF-8; invalid sequences become U+FFFD rather than failing.
    @inlinable public init(from reader: inout WireReader) throws {
        self.init(decoding: try reader.readLengthPrefixed(), as: UTF8.self)
    }
}
