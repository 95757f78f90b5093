// Conformances for Array and Optional.

extension Array: WireCodable where Element: WireCodable {
    /// Varint element count, then each element. `[UInt8]` takes a bulk path with the identical wire form.
    @inlinable public func encode(to writer: inout WireWriter) {
        if Element.self == UInt8.self {
            // One byte per element, so count + raw bytes is exactly the element-wise encoding.
            withUnsafeBytes { writer.writeLengthPrefixed($0) }
            return
        }
        writer.writeVarint(UInt64(count))
        for element in self { element.encode(to: &writer) }
    }

    /// Reads a varint count and that many elements. A count above the remaining byte count throws
    /// `lengthTooLarge` before any capacity is reserved (every element takes at least one byte).
    @inlinable public init(from reader: inout WireReader) throws {
        if Element.self == UInt8.self {
            let raw = try reader.readLengthPrefixed()
            self = unsafeBitCast([UInt8](raw), to: [Element].self)
            return
        }
        let count = try reader.readCount()
        var elements: [Element] = []
        elements.reserveCapacity(count)
        for _ in 0 ..< count {
            elements.append(try Element(from: &reader))
        }
        self = elements
    }
}

extension Optional: WireCodable where Wrapped: WireCodable {
    /// Tag byte 0 for `nil`, or tag byte 1 followed by the wrapped value.
    @inlinable public func encode(to writer: inout WireWriter) {
        switch self {
        case .none:
            writer.writeByte(0)
        case .some(let value):
            writer.writeByte(1)
            value.encode(to: &writer)
        }
    }

    /// Reads a tag byte (0 or 1; other tags are invalid) and, for 1, the wrapped value.
    @inlinable public init(from reader: inout WireReader) throws {
        let start = reader.cursor
        switch try reader.readByte() {
        case 0: self = .none
        case 1: self = .some(try Wrapped(from: &reader))
        case let tag:
            reader.cursor = start
            throw WireError.invalidValue(type: "Optional", detail: "tag byte \(tag) is neither 0 nor 1")
        }
    }
}
