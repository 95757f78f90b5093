import CSpindleCRC32

/// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78) checksum, computed incrementally: by the CPU's CRC-32C
/// instruction where it has one (x86-64 SSE 4.2, aarch64's CRC extension; checked at run time), otherwise with
/// slicing-by-16 tables.
package struct CRC32C: Sendable {
    /// Whether `CSpindleCRC32`'s instruction-based code runs on this CPU.
    package static let hasInstruction = spindle_crc32c_available() != 0
    /// The running register, kept inverted (initial value all ones, final XOR all ones).
    private var register: UInt32 = 0xFFFF_FFFF

    /// Creates a checksum of zero bytes.
    package init() {}

    /// The CRC-32C of all bytes fed so far (0 for no bytes); reading it does not end the computation.
    package var value: UInt32 { ~register }

    /// Feeds the bytes of `bytes` into the checksum.
    package mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        if Self.hasInstruction {
            register = spindle_crc32c(register, base.assumingMemoryBound(to: UInt8.self), bytes.count)
            return
        }
        update(tablesOnly: bytes)
    }

    /// Feeds `bytes` into the checksum with the tables alone, whatever the CPU has: the portable path, and the
    /// reference the instruction-based path is tested against.
    package mutating func update(tablesOnly bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        register = crc32cTables.withUnsafeBufferPointer { tables in
            CRC32C.advance(register, base, bytes.count, tables.baseAddress!)
        }
    }

    /// Feeds every byte of `bytes`, in order, into the checksum.
    @inlinable
    package mutating func update<C: Collection>(_ bytes: C) where C.Element == UInt8 {
        let done: Void? = bytes.withContiguousStorageIfAvailable { update(UnsafeRawBufferPointer($0)) }
        if done == nil {
            Array(bytes).withUnsafeBytes { update($0) }
        }
    }

    /// Returns the CRC-32C of `bytes` in one call.
    package static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        var crc = CRC32C()
        crc.update(bytes)
        return crc.value
    }

    /// Returns the CRC-32C of the bytes of `bytes` in one call.
    @inlinable
    package static func checksum<C: Collection>(_ bytes: C) -> UInt32 where C.Element == UInt8 {
        var crc = CRC32C()
        crc.update(bytes)
        return crc.value
    }

    /// Runs the (inverted) register over `count` bytes at `p`: 16 bytes per step through the sixteen tables,
    /// then 8, then byte at a time for the tail. `t` points at the 16 x 256 table entries.
    ///
    /// Only a step's first four bytes meet the register; the other twelve are looked up one step ahead
    /// (`rest`), so the chain from one step's register to the next is four loads and a few XORs rather
    /// than all sixteen lookups (the compiler chains one expression's XORs in a row).
    @inline(__always)
    private static func advance(
        _ start: UInt32, _ p: UnsafeRawPointer, _ count: Int, _ t: UnsafePointer<UInt32>
    ) -> UInt32 {
        var crc = start
        var p = p
        var n = count
        if n >= 16 {
            var first = UInt32(littleEndian: p.loadUnaligned(as: UInt32.self))
            var rest = lookAhead(t, p)
            while n >= 32 {
                let nextFirst = UInt32(littleEndian: p.loadUnaligned(fromByteOffset: 16, as: UInt32.self))
                let nextRest = lookAhead(t, p + 16)
                crc = lookup(t, 12, first ^ crc) ^ rest
                first = nextFirst
                rest = nextRest
                p += 16
                n &-= 16
            }
            crc = lookup(t, 12, first ^ crc) ^ rest
            p += 16
            n &-= 16
        }
        if n >= 8 {
            let word = UInt64(littleEndian: p.loadUnaligned(as: UInt64.self))
            crc = lookup(t, 4, UInt32(truncatingIfNeeded: word) ^ crc) ^ lookup(t, 0, UInt32(truncatingIfNeeded: word &>> 32))
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

    /// The contribution of bytes 4..<16 of the step at `p`, which does not depend on the register.
    @inline(__always)
    private static func lookAhead(_ t: UnsafePointer<UInt32>, _ p: UnsafeRawPointer) -> UInt32 {
        let b = UInt32(littleEndian: p.loadUnaligned(fromByteOffset: 4, as: UInt32.self))
        let c = UInt32(littleEndian: p.loadUnaligned(fromByteOffset: 8, as: UInt32.self))
        let d = UInt32(littleEndian: p.loadUnaligned(fromByteOffset: 12, as: UInt32.self))
        return lookup(t, 8, b) ^ lookup(t, 4, c) ^ lookup(t, 0, d)
    }

    /// Advances the four bytes of `word` (lowest first) that sit `table + 3` ... `table` positions before the
    /// end of the step.
    @inline(__always)
    private static func lookup(_ t: UnsafePointer<UInt32>, _ table: Int, _ word: UInt32) -> UInt32 {
        (t[(table + 3) &* 256 &+ Int(word & 0xFF)] ^ t[(table + 2) &* 256 &+ Int((word &>> 8) & 0xFF)])
            ^ (t[(table + 1) &* 256 &+ Int((word &>> 16) & 0xFF)] ^ t[table &* 256 &+ Int(word &>> 24)])
    }
}

/// Slicing-by-16 tables, 16 x 256 entries laid out flat: table 0 is the classic byte table, and table k
/// advances a byte that sits k positions before the end of a step. Built once on first use.
private let crc32cTables: [UInt32] = {
    let polynomial: UInt32 = 0x82F6_3B78
    var tables = [UInt32](repeating: 0, count: 16 * 256)
    for i in 0..<256 {
        var crc = UInt32(i)
        for _ in 0..<8 {
            crc = (crc & 1) != 0 ? (crc >> 1) ^ polynomial : crc >> 1
        }
        tables[i] = crc
    }
    for k in 1..<16 {
        for i in 0..<256 {
            let previous = tables[(k - 1) * 256 + i]
            tables[k * 256 + i] = (previous >> 8) ^ tables[Int(previous & 0xFF)]
        }
    }
    return tables
}()
