import SpindleCore

/// Entry points for the `FuzzInflate` target: the gzip and DEFLATE decoders of SpindleCore fed in pieces.
@_spi(Fuzzing)
extension FuzzEntryPoints {
    /// What decoding gave.
    public struct InflateResult: Sendable {
        /// The decompressed bytes (those produced before an error, if one was thrown).
        public var output: [UInt8]
        /// The error's description, or nil when the input decoded completely.
        public var error: String?
        /// The largest chunk one call returned, and the bound the decoder promises.
        public var largestChunk: Int
        public var chunkBound: Int
    }

    /// Decodes `file` as gzip, offering `piece` more bytes whenever the decoder asks for more.
    public static func gunzip(_ file: UnsafeRawBufferPointer, piece: Int, chunkSize: Int) -> InflateResult {
        let decoder = GzipDecoder(chunkSize: chunkSize)
        return feed(file, piece: piece, bound: decoder.chunkSize) { (input, endOfInput, _) throws(InflateError) in
            let step = try decoder.decode(input, endOfInput: endOfInput)
            return (step.consumed, step.output, step.finished)
        }
    }

    /// Decodes `stream` as one raw DEFLATE stream (RFC 1951), offering `piece` more bytes when asked.
    public static func inflateRaw(_ stream: UnsafeRawBufferPointer, piece: Int, chunkSize: Int) -> InflateResult {
        let inflater = Inflater(chunkSize: chunkSize)
        return feed(stream, piece: piece, bound: inflater.chunkSize) { (input, endOfInput, start) throws(InflateError) in
            // The inflater's offsets are relative to the input of the call; the gzip decoder's are absolute.
            let step: Inflater.Step
            do throws(InflateError) { step = try inflater.inflate(input, endOfInput: endOfInput) } catch { throw InflateError(error.kind, offset: start + error.offset) }
            return (step.consumed, step.output, step.finished)
        }
    }

    /// A gzip member holding `data` in stored blocks of the given sizes (each at most 65535 bytes; the last
    /// block takes the rest), made without any encoder: the reference for round trips.
    public static func storedGzip(_ data: [UInt8], blockSizes: [Int]) -> [UInt8] {
        var file: [UInt8] = [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 255]
        var offset = 0
        var sizes = blockSizes.map { min(65535, max(0, $0)) }
        repeat {
            let size = sizes.isEmpty ? min(65535, data.count - offset) : min(sizes.removeFirst(), data.count - offset)
            let last = offset + size == data.count && (sizes.isEmpty || size == 0)
            file.append(last ? 1 : 0)
            file += [UInt8(size & 0xFF), UInt8(size >> 8), UInt8(~size & 0xFF), UInt8((~size >> 8) & 0xFF)]
            file += data[offset..<(offset + size)]
            offset += size
            if last { break }
        } while true
        let crc = CRC32.checksum(data)
        for value in [crc, UInt32(truncatingIfNeeded: data.count)] {
            file += (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
        }
        return file
    }

    private static func feed(
        _ all: UnsafeRawBufferPointer, piece: Int, bound: Int,
        _ decode: (UnsafeRawBufferPointer, Bool, Int) throws(InflateError) -> (Int, UnsafeRawBufferPointer, Bool)
    ) -> InflateResult {
        var result = InflateResult(output: [], error: nil, largestChunk: 0, chunkBound: bound)
        var start = 0
        var available = min(all.count, max(1, piece))
        do {
            while true {
                let (consumed, output, finished) = try decode(UnsafeRawBufferPointer(rebasing: all[start..<available]), available == all.count, start)
                result.largestChunk = max(result.largestChunk, output.count)
                result.output += output
                start += consumed
                if finished { return result }
                if consumed == 0 && output.isEmpty {
                    guard available < all.count else {
                        result.error = "no progress with all input given"
                        return result
                    }
                    available = min(all.count, available + max(1, piece))
                }
            }
        } catch {
            result.error = "\(error)"
            return result
        }
    }
}
