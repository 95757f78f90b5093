import SpindlePosix

/// The records a Pregel load task writes for each partition and the partition's owner reads back: the
/// chunk's kind in a one-byte key; the value is `u32 itemCount` (little-endian) and the items, each id a
/// zigzag LEB128 varint (small ids take few bytes), each weight 8 raw little-endian bytes. A chunk holds
/// whole items.
enum EdgeChunk {
    /// What a chunk's items are.
    enum Kind: UInt8 {
        /// (source, target) pairs.
        case edges = 1
        /// (source, target, weight bits) triples; a NaN weight means the line had no weight column (parsed
        /// weights are always finite).
        case weightedEdges = 2
        /// Ids of vertices that exist because they appeared as targets.
        case vertices = 3

        /// Words per item in a writer's buffer.
        var stride: Int {
            switch self {
            case .edges: 2
            case .weightedEdges: 3
            case .vertices: 1
            }
        }
    }

    /// Items per chunk record at most.
    static let maxItems = 16 * 1024

    /// Replaces the contents of `bytes` with the chunk value for `words` (whole items of `kind`, as a writer buffers them).
    static func encode(_ words: UnsafeBufferPointer<Int64>, kind: Kind, into bytes: inout [UInt8]) {
        let items = words.count / kind.stride
        // At most 10 bytes per varint and 8 per weight.
        bytes = [UInt8](unsafeUninitializedCapacity: 4 + words.count * 10) { buffer, count in
            let start = UnsafeMutableRawPointer(buffer.baseAddress!)
            start.storeBytes(of: UInt32(items).littleEndian, as: UInt32.self)
            var out = start + 4
            var i = 0
            while i < words.count {
                out = appendZigZag(words[i], at: out)
                if kind != .vertices { out = appendZigZag(words[i + 1], at: out) }
                if kind == .weightedEdges {
                    out.storeBytes(of: words[i + 2].littleEndian, as: Int64.self)
                    out += 8
                }
                i += kind.stride
            }
            count = out - start
        }
    }

    @inline(__always) private static func appendZigZag(_ value: Int64, at out: UnsafeMutableRawPointer) -> UnsafeMutableRawPointer {
        var v = UInt64(bitPattern: (value << 1) ^ (value >> 63))
        var out = out
        while v >= 0x80 {
            out.storeBytes(of: UInt8(truncatingIfNeeded: v) | 0x80, as: UInt8.self)
            out += 1
            v >>= 7
        }
        out.storeBytes(of: UInt8(v), as: UInt8.self)
        return out + 1
    }

    /// Calls `body` with every chunk of `segment` (a partition's bytes from one load task).
    /// - Throws: `CorruptDataError` naming `source` for a bad block or kind.
    static func forEachChunk(
        in segment: UnsafeRawBufferPointer, source: String, owner: AnyObject?, verified: Bool, _ body: (Kind, UnsafeRawBufferPointer) throws -> Void
    ) throws {
        var cursor = RecordCursor(blocks: segment, source: source, owner: owner, checksumsVerified: verified)
        while try cursor.next() {
            guard cursor.key.count == 1, let kind = Kind(rawValue: cursor.key[0]), cursor.value.count >= 4 else {
                throw CorruptDataError(source: source, offset: 0, detail: "a loaded edge chunk has an unknown kind or no item count")
            }
            try body(kind, cursor.value)
        }
    }

    /// The number of items in a chunk value.
    static func itemCount(_ chunk: UnsafeRawBufferPointer) -> Int {
        Int(UInt32(littleEndian: chunk.loadUnaligned(as: UInt32.self)))
    }

    /// Reads the items of one chunk in order: `nextId()` for each id, `nextWeightBits()` for each weight.
    struct Reader {
        private let chunk: UnsafeRawBufferPointer
        private let source: String
        private var position = 4
        /// Items in the chunk.
        let items: Int

        init(_ chunk: UnsafeRawBufferPointer, source: String) {
            self.chunk = chunk
            self.source = source
            items = EdgeChunk.itemCount(chunk)
        }

        /// The next zigzag varint id.
        @inline(__always) mutating func nextId() throws(CorruptDataError) -> Int64 {
            let result: UInt64
            if chunk.count - position >= 8, let varint = Self.decodeShort(chunk.baseAddress! + position) {
                result = varint.value
                position &+= varint.length
            } else {
                result = try nextLongId()
            }
            return Int64(bitPattern: result >> 1) ^ -Int64(bitPattern: result & 1)
        }

        /// Decodes a varint of at most 7 bytes from the 8 bytes at `p` without a loop: the 7-bit groups
        /// below the first byte without a continuation bit are packed together with shifts and masks.
        /// Returns nil for a longer varint.
        @inline(__always) static func decodeShort(_ p: UnsafeRawPointer) -> (value: UInt64, length: Int)? {
            let word = UInt64(littleEndian: p.loadUnaligned(as: UInt64.self))
            let ends = ~word & 0x8080_8080_8080_8080
            let endBit = ends.trailingZeroBitCount  // 7, 15, ... for the last byte; 64 when none ends
            guard endBit < 56 else { return nil }
            var x = word & ((1 &<< UInt64(endBit &+ 1)) &- 1) & 0x7F7F_7F7F_7F7F_7F7F
            x = ((x & 0x7F00_7F00_7F00_7F00) >> 1) | (x & 0x007F_007F_007F_007F)
            x = ((x & 0x3FFF_0000_3FFF_0000) >> 2) | (x & 0x0000_3FFF_0000_3FFF)
            x = ((x & 0x0FFF_FFFF_0000_0000) >> 4) | (x & 0x0000_0000_0FFF_FFFF)
            return (x, (endBit &+ 1) >> 3)
        }

        /// A varint near the end of the chunk or longer than 7 bytes, a byte at a time.
        @inline(never) private mutating func nextLongId() throws(CorruptDataError) -> UInt64 {
            var result: UInt64 = 0
            var shift: UInt64 = 0
            while true {
                guard position < chunk.count, shift < 64 else {
                    throw CorruptDataError(source: source, offset: position, detail: "a loaded edge chunk ends inside an id")
                }
                let byte = chunk[position]
                position += 1
                result |= UInt64(byte & 0x7F) << shift
                if byte < 0x80 { break }
                shift += 7
            }
            return result
        }

        /// The next 8-byte weight.
        @inline(__always) mutating func nextWeightBits() throws(CorruptDataError) -> Int64 {
            guard chunk.count - position >= 8 else {
                throw CorruptDataError(source: source, offset: position, detail: "a loaded edge chunk ends inside a weight")
            }
            defer { position += 8 }
            return Int64(littleEndian: chunk.loadUnaligned(fromByteOffset: position, as: Int64.self))
        }

        /// Checks that the items filled the chunk exactly.
        func finish() throws(CorruptDataError) {
            guard position == chunk.count else {
                throw CorruptDataError(source: source, offset: position, detail: "a loaded edge chunk has bytes after its \(items) items")
            }
        }
    }
}
