import SpindleCore

/// Byte formats of the shuffle ("exchange") storage layer, and the varint helpers shared by its readers and writers.
///
/// All integers are little-endian; varints are unsigned LEB128 (7 bits per byte, low group first, high bit set on
/// every byte but the last).
///
/// **Record**: `varint(keyLength) key varint(valueLength) value`. Keys and values are opaque bytes; either may be
/// empty. Keys order by `ByteString.compare` (unsigned lexicographic, a proper prefix first).
///
/// **Block**: an 8-byte header `u32 payloadLength | u32 CRC32C(payload)` followed by the payload, which holds whole
/// records only (a record never spans two blocks). Writers close a block once its payload reaches
/// `RecordBlock.targetPayloadSize` (64 KiB) or when the next record would push it past that; a record larger than
/// the target gets a block of its own. A payload length of 0 never occurs, so an empty segment is zero bytes.
/// A *segment* is a concatenation of whole blocks; it is what is sent over the network.
///
/// **Partitioned file** (one per producing task or spill run, holding all R partitions):
///
///     blocks of partition 0 | blocks of partition 1 | ... | blocks of partition R-1 | footer
///     footer = (R+1) x u64 offset | u32 R | u32 CRC32C(offset bytes and R) | "SPX1"
///
/// `offset[p]..<offset[p+1]` is partition p's byte range (its segment), `offset[0] = 0` and `offset[R]` is where the
/// footer starts. The footer is `8 * (R + 1) + 12` bytes. An empty partition has `offset[p] == offset[p+1]`.
enum RecordBlock {
    /// Size of a block header: payload length and payload checksum.
    static let headerSize = 8
    /// Payload size at which a writer closes a block (64 KiB).
    static let targetPayloadSize = 64 * 1024
    /// Largest encodable payload (the header's length field is a u32).
    static let maxPayloadSize = Int(UInt32.max)
    /// Longest varint a reader accepts (enough for any length that fits a block).
    static let maxVarintBytes = 5

    /// The payload ranges of the whole blocks at the start of `segment`, stopping at a malformed header, whose
    /// bytes are left out (the receiver's validation then reports the segment as cut short).
    static func blockRanges(_ segment: UnsafeRawBufferPointer) -> [Range<Int>] {
        guard let base = segment.baseAddress else { return [] }
        var ranges: [Range<Int>] = []
        var position = 0
        while segment.count - position >= headerSize {
            let length = Int(loadU32(base, position))
            guard length > 0 && length <= segment.count - position - headerSize else { break }
            ranges.append((position + headerSize)..<(position + headerSize + length))
            position += headerSize + length
        }
        return ranges
    }

    /// Writes a block header for `payload` (its length and CRC32C) at `offset` of `bytes`: how blocks whose
    /// checksums were left pending (see `PartitionedFile.checksumsPending`) get them when they are sent.
    static func storeHeader(payload: UnsafeRawBufferPointer, into bytes: inout [UInt8], at offset: Int) {
        let length = UInt32(payload.count).littleEndian
        let crc = CRC32C.checksum(payload).littleEndian
        bytes.withUnsafeMutableBytes { out in
            out.storeBytes(of: length, toByteOffset: offset, as: UInt32.self)
            out.storeBytes(of: crc, toByteOffset: offset + 4, as: UInt32.self)
        }
    }

    /// Number of bytes `value` takes as a LEB128 varint.
    @inline(__always)
    static func varintSize(_ value: Int) -> Int {
        var v = UInt64(value) >> 7
        var size = 1
        while v != 0 {
            size += 1
            v >>= 7
        }
        return size
    }

    /// Writes `value` as a varint at `p` and returns the number of bytes written.
    @inline(__always)
    static func storeVarint(_ value: Int, at p: UnsafeMutableRawPointer) -> Int {
        var v = UInt64(value)
        var i = 0
        while v >= 0x80 {
            p.storeBytes(of: UInt8(truncatingIfNeeded: v) | 0x80, toByteOffset: i, as: UInt8.self)
            v >>= 7
            i += 1
        }
        p.storeBytes(of: UInt8(v), toByteOffset: i, as: UInt8.self)
        return i + 1
    }

    /// Reads a varint at `base + position`, not reading at or past `end`; advances `position` past it.
    /// Returns nil when the varint runs past `end` or is longer than `maxVarintBytes`.
    @inline(__always)
    static func loadVarint(_ base: UnsafeRawPointer, _ position: inout Int, _ end: Int) -> Int? {
        var pos = position
        guard pos < end else { return nil }
        let first = base.load(fromByteOffset: pos, as: UInt8.self)
        if first < 0x80 {
            position = pos + 1
            return Int(first)
        }
        var result = Int(first & 0x7F)
        var shift = 7
        pos += 1
        while true {
            guard pos < end, shift < 7 * maxVarintBytes else { return nil }
            let byte = base.load(fromByteOffset: pos, as: UInt8.self)
            result |= Int(byte & 0x7F) << shift
            pos += 1
            if byte < 0x80 { break }
            shift += 7
        }
        position = pos
        return result
    }

    /// Bytes a record with these key and value lengths takes inside a block payload.
    @inline(__always)
    static func encodedSize(keyCount: Int, valueCount: Int) -> Int {
        varintSize(keyCount) + keyCount + varintSize(valueCount) + valueCount
    }

    /// Copies `source` to `target`, with inline word moves for the short keys and values that dominate shuffles.
    @inline(__always)
    static func copy(_ source: UnsafeRawBufferPointer, to target: UnsafeMutableRawPointer) {
        let n = source.count
        guard n > 0, let s = source.baseAddress else { return }
        if n > 16 {
            target.copyMemory(from: s, byteCount: n)
        } else if n >= 8 {
            let head = s.loadUnaligned(as: UInt64.self), tail = s.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
            target.storeBytes(of: head, as: UInt64.self)
            target.storeBytes(of: tail, toByteOffset: n - 8, as: UInt64.self)
        } else if n >= 4 {
            let head = s.loadUnaligned(as: UInt32.self), tail = s.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self)
            target.storeBytes(of: head, as: UInt32.self)
            target.storeBytes(of: tail, toByteOffset: n - 4, as: UInt32.self)
        } else {
            for i in 0..<n { target.storeBytes(of: s.load(fromByteOffset: i, as: UInt8.self), toByteOffset: i, as: UInt8.self) }
        }
    }

    /// The first up-to-8 bytes of `key`, zero-padded, as a big-endian integer: integer order agrees with key order
    /// on those bytes.
    @inline(__always)
    static func keyPrefix(_ key: UnsafeRawBufferPointer) -> UInt64 {
        let n = key.count
        guard n > 0, let p = key.baseAddress else { return 0 }
        if n >= 8 { return UInt64(bigEndian: p.loadUnaligned(as: UInt64.self)) }
        var value: UInt64 = 0
        for i in 0..<n { value |= UInt64(p.load(fromByteOffset: i, as: UInt8.self)) << (56 - 8 * UInt64(i)) }
        return value
    }

    /// Three-way key comparison (`ByteString` order) of keys whose `keyPrefix` values are equal.
    @inline(__always)
    static func compareAfterEqualPrefix(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Int {
        if a.count <= 8 || b.count <= 8 {
            // The shorter key is a prefix of the longer one, or they are equal.
            return a.count == b.count ? 0 : (a.count < b.count ? -1 : 1)
        }
        return ByteString.compare(UnsafeRawBufferPointer(rebasing: a[8...]), UnsafeRawBufferPointer(rebasing: b[8...]))
    }

    /// Reads the little-endian u32 at `base + offset`.
    @inline(__always)
    static func loadU32(_ base: UnsafeRawPointer, _ offset: Int) -> UInt32 {
        UInt32(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }

    /// Reads the little-endian u64 at `base + offset`.
    @inline(__always)
    static func loadU64(_ base: UnsafeRawPointer, _ offset: Int) -> UInt64 {
        UInt64(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }
}
