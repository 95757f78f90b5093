/// Appends values in the Spindle binary wire format to a growable byte array.
///
/// Fixed-width integers are little-endian; varints are unsigned LEB128 (7 bits per byte, low group first);
/// signed varints use zigzag mapping first. A writer can be reused with `removeAll(keepingCapacity:)`.
public struct WireWriter: Sendable {
    /// Backing storage; `@usableFromInline` so the small write methods can be inlined into other modules.
    @usableFromInline internal var storage: [UInt8]

    /// The bytes written so far.
    public var bytes: [UInt8] { storage }

    /// Creates an empty writer whose buffer can hold `reservingCapacity` bytes before growing.
    public init(reservingCapacity: Int = 64) {
        storage = []
        storage.reserveCapacity(reservingCapacity)
    }

    /// The number of bytes written so far.
    public var count: Int { storage.count }

    /// Appends one byte.
    @inlinable
    public mutating func writeByte(_ byte: UInt8) {
        storage.append(byte)
    }

    /// Appends `value` as `T.bitWidth / 8` bytes, least significant byte first.
    @inlinable
    public mutating func writeFixed<T: FixedWidthInteger>(_ value: T) {
        Swift.withUnsafeBytes(of: value.littleEndian) { storage.append(contentsOf: $0) }
    }

    /// Appends `value` as an unsigned LEB128 varint (1 to 10 bytes).
    @inlinable
    public mutating func writeVarint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            storage.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        storage.append(UInt8(truncatingIfNeeded: v))
    }

    /// Appends `value` zigzag-mapped (0, -1, 1, -2, … → 0, 1, 2, 3, …) as a varint, so small magnitudes stay short.
    @inlinable
    public mutating func writeZigZag(_ value: Int64) {
        writeVarint(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }

    /// Appends the bytes of `raw` verbatim, without a length.
    @inlinable
    public mutating func writeRaw(_ raw: UnsafeRawBufferPointer) {
        storage.append(contentsOf: raw)
    }

    /// Appends the bytes of `raw` verbatim, without a length.
    @inlinable
    public mutating func writeRaw<C: Collection>(_ raw: C) where C.Element == UInt8 {
        storage.append(contentsOf: raw)
    }

    /// Appends the byte count of `raw` as a varint, then the bytes.
    @inlinable
    public mutating func writeLengthPrefixed(_ raw: UnsafeRawBufferPointer) {
        writeVarint(UInt64(raw.count))
        storage.append(contentsOf: raw)
    }

    /// Appends the byte count of `raw` as a varint, then the bytes.
    @inlinable
    public mutating func writeLengthPrefixed<C: Collection>(_ raw: C) where C.Element == UInt8 {
        writeVarint(UInt64(raw.count))
        storage.append(contentsOf: raw)
    }

    /// Appends the wire encoding of `value`.
    @inlinable
    public mutating func write<T: WireCodable>(_ value: T) {
        value.encode(to: &self)
    }

    /// Discards everything written, optionally keeping the allocated buffer for reuse.
    public mutating func removeAll(keepingCapacity: Bool) {
        storage.removeAll(keepingCapacity: keepingCapacity)
    }
}
