/// A streaming gzip (RFC 1952) decoder: members one after another (as `cat a.gz b.gz` makes them), each a
/// header, a DEFLATE stream (``Inflater``) and a trailer whose CRC-32 and length (ISIZE) are checked.
///
/// Feed it the file's bytes in order, in pieces of any size; it returns the decompressed bytes in chunks of
/// at most ``chunkSize``. Memory is bounded: the inflater's window and one chunk, plus what the caller buffers
/// (a header may need up to ``GzipHeader/maxLength`` bytes offered at once). No I/O.
package final class GzipDecoder {
    /// Where in the file the decoder is.
    enum Phase {
        case header
        case body
        case trailer
        /// After a member's trailer: the file may end, or another member begin.
        case betweenMembers
    }

    private let inflater: Inflater
    private var phase = Phase.header
    private var crc = CRC32()
    private var size: UInt32 = 0
    /// Compressed bytes consumed so far: the offset of the next byte offered.
    package private(set) var consumedTotal = 0
    /// Members finished so far.
    package private(set) var members = 0

    /// The most bytes one call returns.
    package var chunkSize: Int { inflater.chunkSize }

    /// A decoder returning at most `chunkSize` (at least 64 KiB) bytes per call.
    package init(chunkSize: Int = 1 << 20) {
        inflater = Inflater(chunkSize: chunkSize)
    }

    /// What one call produced.
    package struct Step {
        /// Input bytes used, from the start of the input given; offer the rest again next time.
        package var consumed: Int
        /// Decompressed bytes, valid until the next call.
        package var output: UnsafeRawBufferPointer
        /// The input ended after a whole member (only with `endOfInput`): the file is done.
        package var finished: Bool
    }

    /// Decodes from `input`, the file's next unconsumed bytes.
    ///
    /// Call again with the unconsumed rest plus more bytes until `finished`. A call that consumes nothing
    /// and returns nothing needs more input.
    /// - Parameter endOfInput: `input` runs to the end of the file.
    /// - Throws: ``InflateError`` with the offset in the whole file (not in `input`).
    package func decode(_ input: UnsafeRawBufferPointer, endOfInput: Bool) throws(InflateError) -> Step {
        var consumed = 0
        func rest() -> UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: input[consumed...]) }
        func step(_ output: UnsafeRawBufferPointer, finished: Bool = false) -> Step {
            consumedTotal += consumed
            return Step(consumed: consumed, output: output, finished: finished)
        }
        let nothing = UnsafeRawBufferPointer(start: nil, count: 0)
        while true {
            switch phase {
            case .betweenMembers:
                if consumed == input.count && endOfInput { return step(nothing, finished: true) }
                if consumed == input.count { return step(nothing) }
                phase = .header
            case .header:
                let length: Int?
                do { length = try GzipHeader.parse(rest()) } catch { throw located(error, consumed) }
                guard let length else {
                    if endOfInput { throw InflateError(.truncated, offset: consumedTotal + input.count) }
                    return step(nothing)
                }
                consumed += length
                inflater.reset()
                crc = CRC32()
                size = 0
                phase = .body
            case .body:
                let result: Inflater.Step
                do { result = try inflater.inflate(rest(), endOfInput: endOfInput) } catch { throw located(error, consumed) }
                consumed += result.consumed
                crc.update(result.output)
                size &+= UInt32(truncatingIfNeeded: result.output.count)
                if result.finished { phase = .trailer }
                if result.output.count > 0 || !result.finished { return step(result.output) }
            case .trailer:
                let bytes = rest()
                guard bytes.count >= 8 else {
                    if endOfInput { throw InflateError(.truncated, offset: consumedTotal + input.count) }
                    return step(nothing)
                }
                let storedCRC = bytes.loadUnaligned(as: UInt32.self).littleEndian
                let storedSize = bytes.loadUnaligned(fromByteOffset: 4, as: UInt32.self).littleEndian
                guard storedCRC == crc.value else {
                    throw InflateError.corrupt(
                        "the member's CRC-32 is \(hex(crc.value)) but its trailer says \(hex(storedCRC))", at: consumedTotal + consumed)
                }
                guard storedSize == size else {
                    throw InflateError.corrupt(
                        "the member decompresses to \(size) bytes (mod 2^32) but its trailer says \(storedSize)",
                        at: consumedTotal + consumed + 4)
                }
                consumed += 8
                members += 1
                phase = .betweenMembers
            }
        }
    }

    /// `error` with its offset made relative to the whole file (it was relative to `input[consumed...]`).
    private func located(_ error: InflateError, _ consumed: Int) -> InflateError {
        InflateError(error.kind, offset: consumedTotal + consumed + error.offset)
    }

    private func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 8 - digits.count) + digits
    }
}
