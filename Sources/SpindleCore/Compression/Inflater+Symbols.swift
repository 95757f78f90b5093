/// The hot loop: literal/length and distance symbols of a Huffman block, decoded from a 64-bit bit buffer
/// refilled eight bytes at a time, into the window.
extension Inflater {
    /// Why the symbol loop stopped.
    enum SymbolOutcome {
        case endOfBlock
        /// Less than one longest match of room is left in the window: return the chunk.
        case outputFull
        /// The input ended inside a symbol; the reader is back at the symbol's start.
        case needInput
        case corrupt(String, offset: Int)
    }

    /// Decodes symbols until the end of the block, a full chunk, or the end of the input.
    ///
    /// Each symbol is decoded as a whole or not at all: a literal/length code, its extra bits, a distance code
    /// and its extra bits take at most 15 + 5 + 15 + 13 = 48 bits, and one refill gives at least 56 while 8
    /// input bytes remain. Near the end of the input the refill goes byte by byte, and a symbol whose bits are
    /// not all there yet is undone (`needInput`).
    func decodeSymbols(_ reader: inout BitReader) -> SymbolOutcome {
        let literalTable = usesFixedCodes ? fixedLiterals.entries : literals.entries
        let distanceTable = usesFixedCodes ? fixedDistances.entries : distances.entries
        let literalBits = UInt64(literals.primaryBits)
        let distanceBits = UInt64(distances.primaryBits)
        let literalMask: UInt64 = (1 << literalBits) - 1
        let distanceMask: UInt64 = (1 << distanceBits) - 1
        let input = reader.base
        let inputCount = reader.count
        var position = reader.position
        var buffer = reader.buffer
        var bitCount = UInt64(reader.bitCount)
        let out = window
        var o = outPosition
        let limit = callLimit - Self.maxMatch
        let floor = historyStart
        var outcome = SymbolOutcome.outputFull
        defer {
            reader.position = position
            reader.buffer = buffer
            reader.bitCount = Int(bitCount)
            outPosition = o
        }
        while o <= limit {
            let checkpoint = (position, buffer, bitCount)
            if inputCount &- position >= 8 {
                buffer |= UInt64(littleEndian: UnsafeRawPointer(input + position).loadUnaligned(as: UInt64.self)) &<< bitCount
                position &+= Int((63 &- bitCount) &>> 3)
                bitCount |= 56
            } else {
                while bitCount <= 56 && position < inputCount {
                    buffer |= UInt64(input[position]) &<< bitCount
                    position &+= 1
                    bitCount &+= 8
                }
            }
            var entry = literalTable[Int(truncatingIfNeeded: buffer & literalMask)]
            var bits = UInt64(entry & 0xFF)
            if (entry >> 13) & 7 == HuffmanTable.Entry.subtable {
                let index = Int(truncatingIfNeeded: (buffer &>> literalBits) & ((1 &<< UInt64((entry >> 8) & 0x1F)) &- 1))
                entry = literalTable[Int(entry >> 16) &+ index]
                bits = literalBits &+ UInt64(entry & 0xFF)
            }
            var kind = (entry >> 13) & 7
            if bits > bitCount || (kind == HuffmanTable.Entry.invalid && bitCount < 15) {
                (position, buffer, bitCount) = checkpoint
                outcome = .needInput
                break
            }
            buffer &>>= bits
            bitCount &-= bits
            if kind == HuffmanTable.Entry.literal {
                out[o] = UInt8(truncatingIfNeeded: entry >> 16)
                o &+= 1
                continue
            }
            if kind == HuffmanTable.Entry.endOfBlock {
                outcome = .endOfBlock
                break
            }
            if kind != HuffmanTable.Entry.length {
                outcome = .corrupt("an unassigned or reserved literal/length code", offset: position &- Int(bitCount / 8) &- 1)
                break
            }
            var extra = UInt64((entry >> 8) & 0x1F)
            if extra > bitCount {
                (position, buffer, bitCount) = checkpoint
                outcome = .needInput
                break
            }
            let length = Int(entry >> 16) &+ Int(truncatingIfNeeded: buffer & ((1 &<< extra) &- 1))
            buffer &>>= extra
            bitCount &-= extra
            entry = distanceTable[Int(truncatingIfNeeded: buffer & distanceMask)]
            bits = UInt64(entry & 0xFF)
            if (entry >> 13) & 7 == HuffmanTable.Entry.subtable {
                let index = Int(truncatingIfNeeded: (buffer &>> distanceBits) & ((1 &<< UInt64((entry >> 8) & 0x1F)) &- 1))
                entry = distanceTable[Int(entry >> 16) &+ index]
                bits = distanceBits &+ UInt64(entry & 0xFF)
            }
            kind = (entry >> 13) & 7
            extra = UInt64((entry >> 8) & 0x1F)
            if bits &+ extra > bitCount || (kind == HuffmanTable.Entry.invalid && bitCount < 15) {
                (position, buffer, bitCount) = checkpoint
                outcome = .needInput
                break
            }
            if kind != HuffmanTable.Entry.length {
                outcome = .corrupt("an unassigned or reserved distance code", offset: position &- Int(bitCount / 8) &- 1)
                break
            }
            buffer &>>= bits
            let distance = Int(entry >> 16) &+ Int(truncatingIfNeeded: buffer & ((1 &<< extra) &- 1))
            buffer &>>= extra
            bitCount &-= bits &+ extra
            guard o &- distance >= floor else {
                outcome = .corrupt(
                    "a match reaches \(distance) bytes back, before the start of the stream's output",
                    offset: position &- Int(bitCount / 8) &- 1)
                break
            }
            Self.copyMatch(out + o, distance: distance, length: length)
            o &+= length
        }
        return outcome
    }

    /// Copies `length` bytes from `distance` bytes back to `destination`, where the two may overlap (a
    /// distance shorter than the length repeats the pattern). May write up to 7 bytes past the end.
    @inline(__always)
    static func copyMatch(_ destination: UnsafeMutablePointer<UInt8>, distance: Int, length: Int) {
        let end = destination + length
        var d = UnsafeMutableRawPointer(destination)
        var s = UnsafeRawPointer(destination - distance)
        if distance >= 8 {
            // Each 8-byte load reads bytes written before it: the source stays 8 or more bytes behind.
            repeat {
                d.storeBytes(of: s.loadUnaligned(as: UInt64.self), as: UInt64.self)
                d += 8
                s += 8
            } while d < UnsafeMutableRawPointer(end)
        } else if distance == 1 {
            destination.update(repeating: destination[-1], count: length)
        } else {
            var p = destination
            var q = destination - distance
            while p < end {
                p.pointee = q.pointee
                p += 1
                q += 1
            }
        }
    }
}
