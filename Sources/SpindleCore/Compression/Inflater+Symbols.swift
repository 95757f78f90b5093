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
    /// The fast loop (``decodeSymbolsFast(_:literalTable:distanceTable:)``) runs while input and room are
    /// plentiful; this careful loop finishes near the end of either. Each symbol is decoded as a whole or not
    /// at all: a literal/length code, its extra bits, a distance code and its extra bits take at most
    /// 15 + 5 + 15 + 13 = 48 bits, and one refill gives at least 56 while 8 input bytes remain. Near the end
    /// of the input the refill goes byte by byte, and a symbol whose bits are not all there yet is undone
    /// (`needInput`). Both loops report an error at the same bit: an unassigned code before its bits, a
    /// match reaching too far after its distance.
    func decodeSymbols(_ reader: inout BitReader) -> SymbolOutcome {
        typealias Entry = HuffmanTable.Entry
        let literalTable = usesFixedCodes ? fixedLiterals.entries : literals.entries
        let distanceTable = usesFixedCodes ? fixedDistances.entries : distances.entries
        if let outcome = decodeSymbolsFast(&reader, literalTable: literalTable, distanceTable: distanceTable) {
            return outcome
        }
        let literalBits = UInt64(literals.primaryBits)
        let distanceBits = UInt64(distances.primaryBits)
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
        /// Whether `entry` needs more bits than the buffer holds (an unassigned code seen through fewer than 15
        /// bits may be the start of an assigned one).
        func short(_ entry: UInt32) -> Bool {
            Entry.totalBits(entry) > bitCount || (Entry.kind(entry) == Entry.invalid && bitCount < 15)
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
            var entry = Entry.lookup(literalTable, literalBits, buffer)
            if short(entry) {
                (position, buffer, bitCount) = checkpoint
                outcome = .needInput
                break
            }
            let kind = Entry.kind(entry)
            if kind != Entry.literal && kind != Entry.length && kind != Entry.endOfBlock {
                outcome = .corrupt("an unassigned or reserved literal/length code", offset: position &- Int(bitCount / 8) &- 1)
                break
            }
            let length = Entry.decode(entry, buffer)
            buffer &>>= Entry.totalBits(entry)
            bitCount &-= Entry.totalBits(entry)
            if kind == Entry.literal {
                out[o] = Entry.byte(entry)
                o &+= 1
                continue
            }
            if kind == Entry.endOfBlock {
                outcome = .endOfBlock
                break
            }
            entry = Entry.lookup(distanceTable, distanceBits, buffer)
            if short(entry) {
                (position, buffer, bitCount) = checkpoint
                outcome = .needInput
                break
            }
            if Entry.kind(entry) != Entry.length {
                outcome = .corrupt("an unassigned or reserved distance code", offset: position &- Int(bitCount / 8) &- 1)
                break
            }
            let distance = Entry.decode(entry, buffer)
            buffer &>>= Entry.totalBits(entry)
            bitCount &-= Entry.totalBits(entry)
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
    /// distance shorter than the length repeats the pattern). May write up to 15 bytes past the end.
    @inline(__always)
    static func copyMatch(_ destination: UnsafeMutablePointer<UInt8>, distance: Int, length: Int) {
        let end = destination + length
        var d = UnsafeMutableRawPointer(destination)
        var s = UnsafeRawPointer(destination - distance)
        if distance >= 16 {
            // Each load reads bytes written before it: the source stays 16 or more bytes behind. Most
            // matches of text are shorter than 16 bytes: one step.
            repeat {
                let low = s.loadUnaligned(as: UInt64.self)
                let high = s.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
                d.storeBytes(of: low, as: UInt64.self)
                d.storeBytes(of: high, toByteOffset: 8, as: UInt64.self)
                d += 16
                s += 16
            } while d < UnsafeMutableRawPointer(end)
        } else if distance >= 8 {
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
