/// A streaming DEFLATE (RFC 1951) decoder with bounded memory: feed it compressed bytes as they come, take
/// the decompressed bytes in chunks of at most ``chunkSize`` bytes.
///
/// It keeps its own output window (32 KiB of history plus one chunk), so a caller never holds more than a
/// chunk of output and whatever input it chooses to buffer. Every length, distance and code of the stream is
/// checked before use: a distance reaching before the stream's first byte, a reserved symbol, an over-
/// subscribed or incomplete code, a stored length not matching its complement all throw ``InflateError``.
/// No I/O; not thread-safe (one decoder per stream).
package final class Inflater {
    /// History a match may reach back into (RFC 1951: 32 KiB).
    package static let windowSize = 32768
    /// The longest match.
    static let maxMatch = 258

    /// The most bytes one call to ``inflate(_:endOfInput:)`` returns.
    package let chunkSize: Int
    /// History plus one chunk plus 16 bytes of slack for the word copies of matches.
    let window: UnsafeMutablePointer<UInt8>
    /// The end of the window: history plus one chunk.
    let outEnd: Int
    /// Where the current call's chunk must end; a symbol is decoded only while `outPosition + maxMatch` is at
    /// most this, so a match always fits.
    var callLimit = 0
    var outPosition = 0
    /// The window index of the stream's first byte (before a slide); a match may not reach before it.
    var historyStart = 0

    var bitBuffer: UInt64 = 0
    var bitCount = 0

    enum State: Equatable {
        case blockHeader
        case stored(remaining: Int)
        case huffman
        case done
    }
    var state = State.blockHeader
    var isFinalBlock = false
    var usesFixedCodes = false

    /// First-level widths of at most 11 bits: the fast symbol loop looks the next symbol up after three
    /// literals, with 56 - 3 x 15 = 11 bits left.
    var literals = HuffmanTable(primaryBits: 10, symbols: 288)
    var distances = HuffmanTable(primaryBits: 8, symbols: 32)
    var codeLengthCode = HuffmanTable(primaryBits: 7, symbols: 19)
    var fixedLiterals = HuffmanTable(primaryBits: 10, symbols: 288)
    var fixedDistances = HuffmanTable(primaryBits: 8, symbols: 32)
    /// Scratch for the code lengths of a dynamic block.
    let lengths = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: 320)

    /// What one call produced.
    package struct Step {
        /// Input bytes used, from the start of the input given; the caller offers the rest again next time.
        package var consumed: Int
        /// The decompressed bytes, valid until the next call.
        package var output: UnsafeRawBufferPointer
        /// The stream's final block has ended; `consumed` stops at the byte after it.
        package var finished: Bool
    }

    /// A decoder returning at most `chunkSize` (at least 64 KiB) bytes per call.
    package init(chunkSize: Int = 1 << 20) {
        self.chunkSize = max(64 << 10, chunkSize)
        outEnd = Self.windowSize + self.chunkSize
        window = .allocate(capacity: outEnd + 16)
        window.initialize(repeating: 0, count: outEnd + 16)
        var fixed = [UInt8](repeating: 8, count: 288)
        for symbol in 144..<256 { fixed[symbol] = 9 }
        for symbol in 256..<280 { fixed[symbol] = 7 }
        let five = [UInt8](repeating: 5, count: 32)
        let literalProblem = fixed.withUnsafeBufferPointer { fixedLiterals.build($0, .literalLength) }
        let distanceProblem = five.withUnsafeBufferPointer { fixedDistances.build($0, .distance) }
        precondition(literalProblem == nil && distanceProblem == nil, "the fixed Huffman codes of RFC 1951 are complete")
    }

    deinit {
        window.deallocate()
        lengths.deallocate()
    }

    /// Whether the final block has ended.
    package var isFinished: Bool { state == .done }

    /// Starts a new stream (the next gzip member): no history, no pending bits.
    package func reset() {
        state = .blockHeader
        isFinalBlock = false
        bitBuffer = 0
        bitCount = 0
        historyStart = outPosition
    }

    /// Decodes from `input`, the stream's next unconsumed bytes.
    ///
    /// Call it again with the unconsumed rest plus any new bytes until `finished`. A call that consumes
    /// nothing and returns nothing needs more input than it was given.
    /// - Parameter endOfInput: no bytes follow `input`; running out of them inside the stream is then an error.
    /// - Throws: ``InflateError`` with an offset relative to `input`'s first byte.
    package func inflate(_ input: UnsafeRawBufferPointer, endOfInput: Bool) throws(InflateError) -> Step {
        if outPosition > Self.windowSize {
            // Keep the last 32 KiB as history at the front; everything before was returned already.
            let shift = outPosition - Self.windowSize
            window.update(from: window + shift, count: Self.windowSize)
            outPosition = Self.windowSize
            historyStart = max(0, historyStart - shift)
        }
        let start = outPosition
        callLimit = start + chunkSize
        let base = input.baseAddress.map { $0.assumingMemoryBound(to: UInt8.self) } ?? UnsafePointer(window)
        var reader = BitReader(base: base, count: input.count, position: 0, buffer: bitBuffer, bitCount: bitCount)
        defer {
            reader.giveBackWholeBytes()
            bitBuffer = reader.buffer
            bitCount = reader.bitCount
        }
        var finished = false
        loop: while true {
            switch state {
            case .done:
                finished = true
                break loop
            case .blockHeader:
                let checkpoint = reader
                do {
                    try readBlockHeader(&reader)
                } catch {
                    switch error {
                    case .needInput:
                        reader = checkpoint
                        if endOfInput { throw InflateError(.truncated, offset: input.count) }
                        break loop
                    case .corrupt(let reason, let offset):
                        throw .corrupt(reason, at: offset)
                    }
                }
            case .stored(let remaining):
                let n = min(remaining, reader.count - reader.position, callLimit - outPosition)
                if remaining == 0 {
                    state = isFinalBlock ? .done : .blockHeader
                } else if n > 0 {
                    (window + outPosition).update(from: base + reader.position, count: n)
                    reader.position += n
                    outPosition += n
                    state = .stored(remaining: remaining - n)
                } else if callLimit == outPosition {
                    break loop
                } else if endOfInput {
                    throw InflateError(.truncated, offset: input.count)
                } else {
                    break loop
                }
            case .huffman:
                switch decodeSymbols(&reader) {
                case .endOfBlock:
                    state = isFinalBlock ? .done : .blockHeader
                case .outputFull:
                    break loop
                case .needInput:
                    if endOfInput { throw InflateError(.truncated, offset: input.count) }
                    break loop
                case .corrupt(let reason, let offset):
                    throw .corrupt(reason, at: offset)
                }
            }
        }
        if finished { reader.alignToByte() }
        return Step(
            consumed: reader.position - reader.bitCount / 8,
            output: UnsafeRawBufferPointer(start: window + start, count: outPosition - start), finished: finished)
    }
}
