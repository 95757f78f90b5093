/// Reads a DEFLATE bit stream (bits in each byte from the lowest) out of one input buffer, for the parts of
/// a stream outside the symbol loop: block headers, code-length tables, stored-block lengths.
///
/// It holds at most 64 bits ahead of `position`; ``giveBackWholeBytes()`` returns the whole unread bytes of
/// the bit buffer to the input, so that a caller can report `position` as consumed and keep only the few
/// bits of a partly read byte.
struct BitReader {
    /// The stream ran out of input before the bits asked for.
    struct Underflow: Error {}

    let base: UnsafePointer<UInt8>
    let count: Int
    var position: Int
    var buffer: UInt64
    var bitCount: Int

    /// The offset of the byte holding the next unread bit (for error messages).
    var byteOffset: Int { position - bitCount / 8 }

    /// Loads whole bytes into the bit buffer while it has room and input remains.
    @inline(__always) mutating func refill() {
        while bitCount <= 56 && position < count {
            buffer |= UInt64(base[position]) << UInt64(bitCount)
            position += 1
            bitCount += 8
        }
    }

    /// The next `n` (0...32) bits as a number, first bit lowest.
    /// - Throws: ``Underflow`` when the input ends first.
    @inline(__always) mutating func bits(_ n: Int) throws(Underflow) -> Int {
        if bitCount < n {
            refill()
            if bitCount < n { throw Underflow() }
        }
        let value = Int(truncatingIfNeeded: buffer & ((1 << UInt64(n)) &- 1))
        buffer >>= UInt64(n)
        bitCount -= n
        return value
    }

    /// Drops the bits left in the current byte (stored blocks and the gzip trailer start on a byte).
    mutating func alignToByte() {
        giveBackWholeBytes()
        buffer = 0
        bitCount = 0
    }

    /// Returns the whole bytes in the bit buffer to the input, keeping fewer than 8 bits.
    mutating func giveBackWholeBytes() {
        position -= bitCount >> 3
        bitCount &= 7
        buffer &= (1 << UInt64(bitCount)) &- 1
    }
}
