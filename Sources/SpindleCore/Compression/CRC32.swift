import CSpindleCRC32

/// CRC-32 as gzip (RFC 1952), zip and PNG use it: the reflected polynomial 0xEDB88320, not the CRC-32C
/// (Castagnoli) of ``CRC32C``. Computed incrementally: by folding with carry-less multiplies where the CPU
/// has them (x86-64 PCLMULQDQ, checked at run time; about ten times faster), otherwise and for the last
/// bytes eight bytes per step (slicing-by-8).
package struct CRC32: Sendable {
    /// Whether the folding code of `CSpindleCRC32` runs on this CPU.
    static let canFold = spindle_crc32_fold_available() != 0

    /// The fewest bytes worth folding (the fold needs at least 64).
    static let foldMinimum = 64

    /// The running register, kept inverted (initial value all ones, final XOR all ones).
    private var register: UInt32 = 0xFFFF_FFFF

    /// A checksum of zero bytes.
    package init() {}

    /// The CRC-32 of all bytes fed so far (0 for no bytes).
    package var value: UInt32 { ~register }

    /// Feeds `bytes` into the checksum.
    package mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard var base = bytes.baseAddress, bytes.count > 0 else { return }
        var count = bytes.count
        if count >= Self.foldMinimum && Self.canFold {
            let folded = count & ~15
            register = spindle_crc32_fold(register, base.assumingMemoryBound(to: UInt8.self), folded)
            base += folded
            count -= folded
        }
        register = crc32Tables.withUnsafeBufferPointer { CRC32.advance(register, base, count, $0.baseAddress!) }
    }

    /// The CRC-32 of `bytes` in one call.
    package static func checksum(_ bytes: [UInt8]) -> UInt32 {
        var crc = CRC32()
        bytes.withUnsafeBytes { crc.update($0) }
        return crc.value
    }

    /// Runs the (inverted) register over `count` bytes at `p`; `t` points at the 8 x 256 table entries.
    @inline(__always)
    private static func advance(_ register: UInt32, _ p: UnsafeRawPointer, _ count: Int, _ t: UnsafePointer<UInt32>) -> UInt32 {
        var crc = register
        var p = p
        var n = count
        while n >= 8 {
            let word = UInt64(littleEndian: p.loadUnaligned(as: UInt64.self))
            let low = UInt32(truncatingIfNeeded: word) ^ crc
            let high = UInt32(truncatingIfNeeded: word >> 32)
            crc = t[7 * 256 + Int(low & 0xFF)] ^ t[6 * 256 + Int((low >> 8) & 0xFF)]
                ^ t[5 * 256 + Int((low >> 16) & 0xFF)] ^ t[4 * 256 + Int(low >> 24)]
                ^ t[3 * 256 + Int(high & 0xFF)] ^ t[2 * 256 + Int((high >> 8) & 0xFF)]
                ^ t[1 * 256 + Int((high >> 16) & 0xFF)] ^ t[Int(high >> 24)]
            p += 8
            n -= 8
        }
        while n > 0 {
            crc = t[Int((crc ^ UInt32(p.load(as: UInt8.self))) & 0xFF)] ^ (crc >> 8)
            p += 1
            n -= 1
        }
        return crc
    }
}

/// Table k maps a byte to its CRC-32 contribution k bytes further on (table 0 is the classic byte table).
private let crc32Tables: [UInt32] = {
    var tables = [UInt32](repeating: 0, count: 8 * 256)
    for byte in 0..<256 {
        var crc = UInt32(byte)
        for _ in 0..<8 { crc = crc & 1 != 0 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        tables[byte] = crc
    }
    for k in 1..<8 {
        for byte in 0..<256 {
            let previous = tables[(k - 1) * 256 + byte]
            tables[k * 256 + byte] = tables[Int(previous & 0xFF)] ^ (previous >> 8)
        }
    }
    return tables
}()
