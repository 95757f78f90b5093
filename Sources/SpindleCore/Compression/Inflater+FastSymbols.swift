/// The fast path of the symbol loop: while enough input and room remain, symbols are decoded without any
/// check for running out of either, up to three literals per refill of the bit buffer.
extension Inflater {
    /// Input bytes the fast loop needs ahead of it at the top of an iteration: an iteration refills at most
    /// three times, each refill reading 8 bytes and advancing at most 7.
    static let fastInputMargin = 24

    /// Decodes symbols while at least ``fastInputMargin`` input bytes remain and a longest match after two
    /// literals still fits in the chunk.
    ///
    /// After a refill the buffer holds at least 56 bits. Up to three literals are decoded per refill (3 x 15
    /// = 45 bits, leaving 11 to look up the next symbol); when literals come before a length, a second refill
    /// makes room for the length and its distance (at most 15 + 5 + 15 + 13 = 48 bits). The next symbol is
    /// looked up before the match is copied, after a third refill in the rare case that fewer bits than the
    /// first-level table's width are left. So no symbol can run out of bits, and no iteration writes past
    /// the chunk. Errors are reported at the same bit as the careful loop of ``decodeSymbols(_:)``
    /// reports them.
    /// - Returns: nil when it stopped near the end of the input or of the chunk (the careful loop goes on
    ///   from there), or why the block's symbols stopped.
    @inline(__always)
    func decodeSymbolsFast(
        _ reader: inout BitReader, literalTable: UnsafeMutablePointer<UInt32>, distanceTable: UnsafeMutablePointer<UInt32>
    ) -> SymbolOutcome? {
        typealias Entry = HuffmanTable.Entry
        let literalBits = UInt64(literals.primaryBits)
        let distanceBits = UInt64(distances.primaryBits)
        let literalMask: UInt64 = (1 &<< literalBits) &- 1
        let input = reader.base
        let lastStart = reader.count &- Self.fastInputMargin
        var position = reader.position
        var buffer = reader.buffer
        var bitCount = UInt64(reader.bitCount)
        let out = window
        var o = outPosition
        let outLimit = callLimit &- Self.maxMatch &- 2
        let floor = historyStart
        defer {
            reader.position = position
            reader.buffer = buffer
            reader.bitCount = Int(bitCount)
            outPosition = o
        }
        /// Tops the buffer up to 56-63 bits with one unaligned 8-byte load (the low bits stay as they are).
        @inline(__always) func refill() {
            buffer |= UInt64(littleEndian: UnsafeRawPointer(input + position).loadUnaligned(as: UInt64.self)) &<< bitCount
            position &+= Int(truncatingIfNeeded: (63 &- bitCount) &>> 3)
            bitCount |= 56
        }
        @inline(__always) func consume(_ entry: UInt32) {
            buffer &>>= Entry.totalBits(entry)
            bitCount &-= Entry.totalBits(entry)
        }
        /// The first-level literal/length entry of the next bits (a literal, or what needs a closer look).
        @inline(__always) func peek() -> UInt32 { literalTable[Int(truncatingIfNeeded: buffer & literalMask)] }
        @inline(__always) func emit(_ entry: UInt32) {
            consume(entry)
            out[o] = Entry.byte(entry)
            o &+= 1
        }
        /// The byte offset reported for an error found here (as the careful loop computes it).
        var errorOffset: Int { position &- Int(bitCount / 8) &- 1 }

        if position <= lastStart { refill() }
        var entry = peek()
        while position <= lastStart && o <= outLimit {
            refill()
            if Entry.kind(entry) == Entry.literal {
                emit(entry)
                entry = peek()
                if Entry.kind(entry) == Entry.literal {
                    emit(entry)
                    entry = peek()
                    if Entry.kind(entry) == Entry.literal {
                        emit(entry)
                        entry = peek()
                        continue
                    }
                }
                // Room for a length and its distance again; the low bits stay, and with them `entry`.
                refill()
            }
            if Entry.kind(entry) == Entry.subtable {
                entry = Entry.lookup(literalTable, literalBits, buffer)
            }
            switch Entry.kind(entry) {
            case Entry.literal:
                emit(entry)
                entry = peek()
                continue
            case Entry.length:
                break
            case Entry.endOfBlock:
                consume(entry)
                return .endOfBlock
            default:
                return .corrupt("an unassigned or reserved literal/length code", offset: errorOffset)
            }
            let length = Entry.decode(entry, buffer)
            consume(entry)
            entry = Entry.lookup(distanceTable, distanceBits, buffer)
            guard Entry.kind(entry) == Entry.length else {
                return .corrupt("an unassigned or reserved distance code", offset: errorOffset)
            }
            let distance = Entry.decode(entry, buffer)
            consume(entry)
            // Look the next symbol up while the match is copied; only the longest codes leave too few bits.
            if bitCount < literalBits { refill() }
            entry = peek()
            guard o &- distance >= floor else {
                return .corrupt(
                    "a match reaches \(distance) bytes back, before the start of the stream's output", offset: errorOffset)
            }
            Self.copyMatch(out + o, distance: distance, length: length)
            o &+= length
        }
        return nil
    }
}
