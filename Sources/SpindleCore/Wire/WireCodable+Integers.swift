// Integer conformances: 8-bit integers are one raw byte, wider unsigned integers are LEB128 varints,
// wider signed integers are zigzag varints. Decoding a value that does not fit the type is `invalidValue`.

extension WireReader {
    /// Reads a varint and narrows it to `T`, throwing `invalidValue` if it does not fit.
    @inlinable
    internal mutating func readVarint<T: FixedWidthInteger & UnsignedInteger>(as type: T.Type) throws -> T {
        let start = cursor
        let raw = try readVarint()
        guard let value = T(exactly: raw) else {
            cursor = start
            throw WireError.invalidValue(type: "\(T.self)", detail: "\(raw) is above \(T.max)")
        }
        return value
    }

    /// Reads a zigzag varint and narrows it to `T`, throwing `invalidValue` if it does not fit.
    @inlinable
    internal mutating func readZigZag<T: FixedWidthInteger & SignedInteger>(as type: T.Type) throws -> T {
        let start = cursor
        let raw = try readZigZag()
        guard let value = T(exactly: raw) else {
            cursor = start
            throw WireError.invalidValue(type: "\(T.self)", detail: "\(raw) is outside \(T.min)...\(T.max)")
        }
        return value
    }
}

extension UInt8: WireCodable {
    /// One raw byte.
    @inlinable public func encode(to writer: inout WireWriter) { writer.writeByte(self) }
    /// Reads one raw byte.
    @inlinable public init(from reader: inout WireReader) throws { self = try reader.readByte() }
}

extension Int8: WireCodable {
    /// One raw byte (two's complement).
    @inlinable public func encode(to writer: inout WireWriter) { writer.writeByte(UInt8(bitPattern: self)) }
    /// Reads one raw byte (two's complement).
    @inlinable public init(from reader: inout WireReader) throws { self.init(bitPattern: try reader.readByte()) }
}

extension UInt16: WireCodable {
    /// LEB128 varint.
    @inlinable public func encode(to writer: inout WireWriter) { writer.writeVarint(UInt64(self)) }
    /// Reads a varint; values above `UInt16.max` are invalid.
    @inlinable public init(from reader: inout WireReader) throws { self = try reader.readVarint(as: UInt16.self) }
}

extension UInt32: WireCodable {
    /// LEB128 varint.
    @inlinable public func encode(to writer: inout WireWriter) { writer.writeVarint(UInt64(self)) }
    /// Reads a varint; values above `UInt32.max` are invalid.
    @inlinable public init(from reader: inout WireReader) throws { self = try reader.readVarint(as: UInt32.self) }
}

extension UInt64: WireCodable {
    /// LEB128 varint.
    @inlinable public func encode(to writer: inout WireWriter) { writer.writeVarint(self) }
    /// Reads a varint.
    @inlinable public init(from reader: inout WireReader) throws { self = try reader.readVarint() }
}

extension UInt: WireCodable {
    /// LEB128 varint.
    @inlinable public func encode(to writer: inout WireWriter) { writer.writeVarint(UInt64(self)) }
    /// Reads a varint; values above `UInt.max` are invalid.
    @inlinable public init(from reader: inout WireReader) throws { self = try reader.readVarint(as: UInt.self) }
}

extension Int16: WireCodable {
    /// Zigzag varint.
    @inlinable public func encode(to writer: inout WireWriter) { writer.writeZigZag(Int64(self)) }
    /// Reads a zigzag varint; values outside `Int16` are invalid.
    @inlinable public init(from reader: inout WireReader) throws { self = try reader.readZigZag(as: Int16.self) }
}

extension Int32: WireCodable {
    /// Zigzag varint.
    @inlinable public func encode(to writer: inout WireWriter) { writer.writeZigZag(Int64(self)) }
    /// Reads a zigzag varint; values outside `Int32` are invalid.
    @inlinable public init(from reader: inout WireReader) throws { self = try reader.readZigZag(as: Int32.self) }
}

extension Int64: WireCodable {
    /// Zigzag varint.
    @inlinable public func encode(to writer: inout WireWriter) { writer.writeZigZag(self) }
    /// Reads a zigzag varint.
    @inlinable public init(from reader: inout WireReader) throws { self = try reader.readZigZag() }
}

extension Int: WireCodable {
    /// Zigzag varint.
    @inlinable public func encode(to writer: inout WireWriter) { writer.writeZigZag(Int64(self)) }
    /// Reads a zigzag varint; values outside `Int` are invalid.
    @inlinable public init(from reader: inout WireReader) throws { self = try reader.readZigZag(as: Int.self) }
}
