/// Block headers (RFC 1951 3.2.3-3.2.7): stored lengths, and the code-length tables of dynamic blocks.
extension Inflater {
    /// Why reading a block header stopped.
    enum HeaderFailure: Error {
        /// The header runs past the input given; read it again from its start with more.
        case needInput
        /// The header breaks RFC 1951, found at `offset` of the input.
        case corrupt(String, offset: Int)
    }

    /// The order in which a dynamic block lists the code lengths of the code-length code.
    static let codeLengthOrder = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]

    /// Reads one block header and sets the state for the block's data; reads nothing more.
    func readBlockHeader(_ reader: inout BitReader) throws(HeaderFailure) {
        do {
            let header = try reader.bits(3)
            isFinalBlock = header & 1 == 1
            switch header >> 1 {
            case 0:
                reader.alignToByte()
                guard reader.count - reader.position >= 4 else { throw HeaderFailure.needInput }
                let p = reader.base + reader.position
                let length = Int(p[0]) | Int(p[1]) << 8
                let complement = Int(p[2]) | Int(p[3]) << 8
                guard length == ~complement & 0xFFFF else {
                    throw HeaderFailure.corrupt(
                        "a stored block's length \(length) does not match its complement \(complement)", offset: reader.position)
                }
                reader.position += 4
                state = .stored(remaining: length)
            case 1:
                usesFixedCodes = true
                state = .huffman
            case 2:
                try readDynamicCodes(&reader)
                usesFixedCodes = false
                state = .huffman
            default:
                throw HeaderFailure.corrupt("block type 3 is reserved", offset: reader.byteOffset)
            }
        } catch is BitReader.Underflow {
            throw .needInput
        } catch let failure as HeaderFailure {
            throw failure
        } catch {
            preconditionFailure("unexpected error \(error)")
        }
    }

    /// Reads the code lengths of a dynamic block and builds its literal/length and distance tables.
    private func readDynamicCodes(_ reader: inout BitReader) throws {
        let literalCount = try reader.bits(5) + 257
        let distanceCount = try reader.bits(5) + 1
        let codeLengthCount = try reader.bits(4) + 4
        guard literalCount <= 286 else {
            throw HeaderFailure.corrupt("a dynamic block declares \(literalCount) literal/length codes (at most 286)", offset: reader.byteOffset)
        }
        guard distanceCount <= 30 else {
            throw HeaderFailure.corrupt("a dynamic block declares \(distanceCount) distance codes (at most 30)", offset: reader.byteOffset)
        }
        var codeLengthLengths = [UInt8](repeating: 0, count: 19)
        for index in 0..<codeLengthCount {
            codeLengthLengths[Self.codeLengthOrder[index]] = UInt8(try reader.bits(3))
        }
        if let problem = codeLengthLengths.withUnsafeBufferPointer({ codeLengthCode.build($0, .codeLength) }) {
            throw HeaderFailure.corrupt("the code-length code has \(problem)", offset: reader.byteOffset)
        }
        let total = literalCount + distanceCount
        let table = codeLengthCode.entries
        let mask = (1 << codeLengthCode.primaryBits) - 1
        var index = 0
        while index < total {
            reader.refill()
            let entry = table[Int(truncatingIfNeeded: reader.buffer) & mask]
            let bits = Int(entry & 0xFF)
            guard (entry >> 13) & 7 == HuffmanTable.Entry.literal else {
                if reader.bitCount < 7 { throw BitReader.Underflow() }
                throw HeaderFailure.corrupt("a code length uses an unassigned code", offset: reader.byteOffset)
            }
            _ = try reader.bits(bits)
            let symbol = Int(entry >> 16)
            if symbol < 16 {
                lengths[index] = UInt8(symbol)
                index += 1
                continue
            }
            let repeated: UInt8
            let times: Int
            switch symbol {
            case 16:
                guard index > 0 else {
                    throw HeaderFailure.corrupt("a code-length repeat comes before any length", offset: reader.byteOffset)
                }
                repeated = lengths[index - 1]
                times = 3 + (try reader.bits(2))
            case 17:
                repeated = 0
                times = 3 + (try reader.bits(3))
            default:
                repeated = 0
                times = 11 + (try reader.bits(7))
            }
            guard index + times <= total else {
                throw HeaderFailure.corrupt("a code-length repeat runs past the \(total) lengths declared", offset: reader.byteOffset)
            }
            for k in index..<(index + times) { lengths[k] = repeated }
            index += times
        }
        guard lengths[256] != 0 else {
            throw HeaderFailure.corrupt("a dynamic block has no end-of-block code", offset: reader.byteOffset)
        }
        if let problem = literals.build(UnsafeBufferPointer(rebasing: lengths[0..<literalCount]), .literalLength) {
            throw HeaderFailure.corrupt("the literal/length code has \(problem)", offset: reader.byteOffset)
        }
        if let problem = distances.build(UnsafeBufferPointer(rebasing: lengths[literalCount..<total]), .distance) {
            throw HeaderFailure.corrupt("the distance code has \(problem)", offset: reader.byteOffset)
        }
    }
}
