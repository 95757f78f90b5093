/// A canonical Huffman code (RFC 1951 3.2.2) as a table-driven decoder: a first-level table indexed by the
/// next `primaryBits` bits of the stream (bits in stream order, lowest first), and second-level tables for
/// the longer codes. Each entry is a ``HuffmanTable/Entry`` that already holds what the decoder needs (a
/// literal byte, or a base length or distance and its count of extra bits), so one lookup decodes a symbol.
///
/// Building validates the code lengths: an over-subscribed set is always rejected; an incomplete one only
/// where zlib accepts it (a single code of length 1, or no codes at all; never for the code-length code).
/// Entries no code reaches, and symbols that RFC 1951 reserves (literal/length 286 and 287, distance 30
/// and 31), decode to ``Entry/invalid``.
package struct HuffmanTable: ~Copyable {
    /// One decoded entry, packed in 32 bits: bits 0-7 the bits a symbol takes with its extra bits, bits 8-12
    /// the length of its code (or a second-level table's index bits), bits 13-15 the kind, bits 16-31 the
    /// value (a literal byte, a base length or distance, or where a second-level table starts).
    ///
    /// Entries of second-level tables hold the whole length of their code, so that a decoder treats an entry
    /// the same whichever level it came from, and consumes a symbol and its extra bits with one shift.
    package enum Entry {
        package static let literal: UInt32 = 0
        package static let length: UInt32 = 1  // a length (or a distance, in a distance table)
        package static let endOfBlock: UInt32 = 2
        package static let subtable: UInt32 = 3
        package static let invalid: UInt32 = 4

        /// A symbol whose code is `codeBits` long, followed by `extraBits` extra bits.
        @inline(__always) static func symbol(kind: UInt32, codeBits: Int, extraBits: Int, value: Int) -> UInt32 {
            UInt32(codeBits + extraBits) | UInt32(codeBits) << 8 | kind << 13 | UInt32(value) << 16
        }

        /// A first-level entry sending longer codes to the second-level table of `1 << indexBits` entries at `start`.
        @inline(__always) static func subtable(indexBits: Int, start: Int) -> UInt32 {
            UInt32(indexBits) << 8 | subtable << 13 | UInt32(start) << 16
        }

        @inline(__always) package static func kind(_ entry: UInt32) -> UInt32 { (entry &>> 13) & 7 }

        /// The bits the symbol takes, its extra bits included.
        @inline(__always) package static func totalBits(_ entry: UInt32) -> UInt64 { UInt64(entry & 0xFF) }

        /// The index bits of a second-level table (of a ``subtable`` entry).
        @inline(__always) package static func indexBits(_ entry: UInt32) -> UInt64 { UInt64((entry &>> 8) & 0x1F) }

        /// A literal's byte.
        @inline(__always) package static func byte(_ entry: UInt32) -> UInt8 { UInt8(truncatingIfNeeded: entry &>> 16) }

        /// A length or distance: the base plus the extra bits that follow the code in `bits` (the stream's
        /// next bits, the code's first bit lowest).
        @inline(__always) package static func decode(_ entry: UInt32, _ bits: UInt64) -> Int {
            let codeBits = UInt64((entry &>> 8) & 0x1F)
            let extra = (bits & ((1 &<< totalBits(entry)) &- 1)) &>> codeBits
            return Int(entry &>> 16) &+ Int(truncatingIfNeeded: extra)
        }

        /// The entry for the stream's next bits `bits` in `table` (first level `primaryBits` wide), following
        /// a ``subtable`` entry to the second level.
        @inline(__always) package static func lookup(_ table: UnsafePointer<UInt32>, _ primaryBits: UInt64, _ bits: UInt64) -> UInt32 {
            let entry = table[Int(truncatingIfNeeded: bits & ((1 &<< primaryBits) &- 1))]
            guard kind(entry) == subtable else { return entry }
            let index = (bits &>> primaryBits) & ((1 &<< indexBits(entry)) &- 1)
            return table[Int(entry &>> 16) &+ Int(truncatingIfNeeded: index)]
        }
    }

    /// What the decoder of a set of symbols does with each: its kind, extra bits and value.
    package enum Alphabet {
        /// Literal bytes 0-255, end of block 256, lengths 257-285; 286 and 287 reserved.
        case literalLength
        /// Distances 0-29; 30 and 31 reserved.
        case distance
        /// The code-length code: symbols 0-18 as literals.
        case codeLength
    }

    package let primaryBits: Int
    package let entries: UnsafeMutablePointer<UInt32>
    private let capacity: Int

    /// A table for codes whose first level uses `primaryBits` bits, holding up to `symbols` codes.
    package init(primaryBits: Int, symbols: Int) {
        self.primaryBits = primaryBits
        capacity = (1 << primaryBits) + symbols * (1 << max(0, 15 - primaryBits))
        entries = .allocate(capacity: capacity)
        entries.initialize(repeating: Entry.symbol(kind: Entry.invalid, codeBits: 0, extraBits: 0, value: 0), count: capacity)
    }

    deinit { entries.deallocate() }

    /// Base lengths of symbols 257...285 and their extra bits (RFC 1951 3.2.5).
    static let lengthBase: [UInt16] = [
        3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258,
    ]
    static let lengthExtra: [UInt8] = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
    /// Base distances of symbols 0...29 and their extra bits.
    static let distanceBase: [UInt16] = [
        1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145,
        8193, 12289, 16385, 24577,
    ]
    static let distanceExtra: [UInt8] = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13]

    /// The entry symbol `symbol` of `alphabet` decodes to, with `bits` bits to consume.
    private static func entry(_ symbol: Int, _ alphabet: Alphabet, bits: Int) -> UInt32 {
        switch alphabet {
        case .codeLength:
            return Entry.symbol(kind: Entry.literal, codeBits: bits, extraBits: 0, value: symbol)
        case .literalLength:
            if symbol < 256 { return Entry.symbol(kind: Entry.literal, codeBits: bits, extraBits: 0, value: symbol) }
            if symbol == 256 { return Entry.symbol(kind: Entry.endOfBlock, codeBits: bits, extraBits: 0, value: 0) }
            if symbol <= 285 {
                return Entry.symbol(
                    kind: Entry.length, codeBits: bits, extraBits: Int(lengthExtra[symbol - 257]), value: Int(lengthBase[symbol - 257]))
            }
            return Entry.symbol(kind: Entry.invalid, codeBits: bits, extraBits: 0, value: symbol)
        case .distance:
            if symbol < 30 {
                return Entry.symbol(kind: Entry.length, codeBits: bits, extraBits: Int(distanceExtra[symbol]), value: Int(distanceBase[symbol]))
            }
            return Entry.symbol(kind: Entry.invalid, codeBits: bits, extraBits: 0, value: symbol)
        }
    }

    /// Rebuilds the table from `lengths` (a code length 0...15 per symbol, 0 meaning unused).
    /// - Returns: nil, or why the lengths do not make a usable code ("over-subscribed", "incomplete").
    package mutating func build(_ lengths: UnsafeBufferPointer<UInt8>, _ alphabet: Alphabet) -> String? {
        var count = [Int](repeating: 0, count: 16)
        for length in lengths { count[Int(length)] += 1 }
        count[0] = 0
        var left = 1
        var maxLength = 0
        for length in 1...15 {
            left = (left << 1) - count[length]
            if left < 0 { return "an over-subscribed set of code lengths" }
            if count[length] > 0 { maxLength = length }
        }
        let used = lengths.count - lengths.filter { $0 == 0 }.count
        if left > 0 && !(alphabet != .codeLength && (used == 0 || (used == 1 && maxLength == 1))) {
            return "an incomplete set of code lengths"
        }
        let primary = primaryBits
        let invalid = Entry.symbol(kind: Entry.invalid, codeBits: 0, extraBits: 0, value: 0)
        entries.update(repeating: invalid, count: 1 << primary)
        guard used > 0 else { return nil }
        // Symbols in canonical order (by length, then symbol), and each one's code.
        var next = [Int](repeating: 0, count: 17)
        for length in 1...15 { next[length + 1] = next[length] + count[length] }
        var sorted = [Int](repeating: 0, count: used)
        var slot = next
        for (symbol, length) in lengths.enumerated() where length > 0 {
            sorted[slot[Int(length)]] = symbol
            slot[Int(length)] += 1
        }
        var code = 0
        var previousLength = 0
        var subtableEnd = 1 << primary
        var currentPrefix = -1
        var subBits = 0
        var subStart = 0
        for (position, symbol) in sorted.enumerated() {
            let length = Int(lengths[symbol])
            code <<= length - previousLength
            previousLength = length
            let reversed = Self.reverse(code, length)
            if length <= primary {
                let value = Self.entry(symbol, alphabet, bits: length)
                var index = reversed
                while index < (1 << primary) {
                    entries[index] = value
                    index += 1 << length
                }
            } else {
                let prefix = reversed & ((1 << primary) - 1)
                if prefix != currentPrefix {
                    // A new second-level table, wide enough for the longest code sharing this prefix (codes in
                    // canonical order share a prefix contiguously, and lengths only grow).
                    currentPrefix = prefix
                    var last = position
                    let leftAligned = code << (15 - length)
                    var probeCode = code
                    var probeLength = length
                    while last + 1 < sorted.count {
                        let nextLength = Int(lengths[sorted[last + 1]])
                        probeCode = (probeCode + 1) << (nextLength - probeLength)
                        probeLength = nextLength
                        guard (probeCode << (15 - nextLength)) >> (15 - primary) == leftAligned >> (15 - primary) else { break }
                        last += 1
                    }
                    subBits = Int(lengths[sorted[last]]) - primary
                    subStart = subtableEnd
                    subtableEnd += 1 << subBits
                    precondition(subtableEnd <= capacity, "HuffmanTable capacity")
                    entries.advanced(by: subStart).update(repeating: invalid, count: 1 << subBits)
                    entries[prefix] = Entry.subtable(indexBits: subBits, start: subStart)
                }
                let value = Self.entry(symbol, alphabet, bits: length)
                var index = reversed >> primary
                while index < (1 << subBits) {
                    entries[subStart + index] = value
                    index += 1 << (length - primary)
                }
            }
            code += 1
        }
        return nil
    }

    /// The low `length` bits of `code` in reverse order (Huffman codes are packed starting with their most
    /// significant bit).
    @inline(__always) static func reverse(_ code: Int, _ length: Int) -> Int {
        var result = 0
        var code = code
        for _ in 0..<length {
            result = (result << 1) | (code & 1)
            code >>= 1
        }
        return result
    }
}
