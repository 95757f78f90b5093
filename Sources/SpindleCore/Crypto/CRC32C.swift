/// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78) checksum, computed incrementally with slicing-by-8 tables.
public struct CRC32C: Sendable {
    /// The running register, kept inverted (initial value all ones, final XOR all ones).
    private var register: UInt32 = 0xFFFF_FFFF

    /// Creates a checksum of zero bytes.
    public init() {}

    /// The CRC-32C of all bytes fed so far (0 for no bytes); reading it does not end the computation.
    public var value: UInt32 { ~register }

    /// Feeds the bytes of `bytes` into the checksum.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        register = crc32cTables.withUnsafeBufferPointer { tables in
            CRC32C.advance(register, base, bytes.count, tables.baseAddress!)
        }
    }

    /// Feeds every byte of `bytes`, in order, into the checksum.
    @inlinable
    public mutating func update<C: Collection>(_ bytes: C) where C.Element == UInt8 {
        let done: Void? = bytes.withContiguousStorageIfAvailable { update(UnsafeRawBufferPointer($0)) }
        if done == nil {
            Array(bytes).withUnsafeBytes { update($0) }
        }
    }

    /// Returns the CRC-32C of `bytes` in one call.
    public static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        var crc = CRC32C()
        crc.update(bytes)
        return crc.value
    }

    /// Returns the CRC-32C of the bytes of `bytes` in one call.
    @inlinable
    public static func checksum<C: Collection>(_ bytes: C) -> UInt32 where C.Element == UInt8 {
        var crc = CRC32C()
        crc.update(bytes)
        return crc.value
    }

    /// Runs the (inverted) register over `count` bytes at `p`: 8 bytes per step through the eight tables,
    /// then byte-at-a-time for the tail. `t` points at the 8 x 256 table entries.
    @inline(__always)
    private static func advance(
        _ start: UInt32, _ p: UnsafeRawPointer, _ count: Int, _ t: UnsafePointer<UInt32>
    ) -> UInt32 {
        var crc = start
        var p = p
        var n = count
        while n >= 8 {
            let word = UInt64(littleEndian: p.loadUnaligned(as: UInt64.self))
            let lo = UInt32(truncatingIfNeeded: word) ^ crc
            let hi = UInt32(truncatingIfNeeded: word &>> 32)
            crc = t[7 * 256 + Int(lo & 0xFF)]
                ^ t[6 * 256 + Int((lo &>> 8) & 0xFF)]
                ^ t[5 * 256 + Int((lo &>> 16) & 0xFF)]
                ^ t[4 * 256 + Int(lo &>> 24)]
                ^ t[3 * 256 + Int(hi & 0xFF)]
                ^ t[2 * 256 + Int((hi &>> 8) & 0xFF)]
                ^ t[1 * 256 + Int((hi &>> 16) & 0xFF)]
                ^ t[Int(hi &>> 24)]
            p += 8
            n &-= 8
        }
        while n > 0 {
            let byte = p.load(as: UInt8.self)
            crc = t[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc &>> 8)
            p += 1
            n &-= 1
        }
        return crc
    }
}

/// Slicing-by-8 tables, 8 x 256 entries laid out flat: table 0 is the classic byte table, and table k
/// advances a byte that sits k positions before the end of an 8-byte word. Built once on first use.
private let crc32cTables: [UInt32] = {
    let polynomial: UInt32 = 0x82F6_3B78
    var tables = [UInt32](repeating: 0, count: 8 * 256)
    for i in 0..<256 {
        var crc = UInt32(i)
        for _ in 0..<8 {
            crc = (crc & 1) != 0 ? (crc >> 1) ^ polynomial : crc >> 1
        }
        tables[i] = crc
    }
    for k in 1..<8 {
        for i in 0..<256 {
            let previous = tables[(k - 1) * 256 + i]
            tables[k * 256 + i] = (previous >> 8) ^ tables[Int(previous & 0xFF)]
        }
    }
    return tables
}()
