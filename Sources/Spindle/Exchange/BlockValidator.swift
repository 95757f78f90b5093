import SpindleCore

/// Checks and cuts segments of whole blocks (format in `RecordBlock`), e.g. for sending them in network frames.
enum BlockValidator {
    /// Verifies that `bytes` is a sequence of whole blocks with non-empty payloads and matching CRC32Cs; returns the
    /// block count. Record framing inside payloads is not checked (cursors do that). Error offsets add `baseOffset`.
    static func validate(_ bytes: UnsafeRawBufferPointer, source: String, baseOffset: Int = 0) throws(CorruptDataError) -> Int {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return 0 }
        var position = 0
        var blocks = 0
        while position < bytes.count {
            let left = bytes.count - position
            guard left >= RecordBlock.headerSize else {
                throw CorruptDataError(source: source, offset: baseOffset + position, detail: "truncated block header (\(left) bytes left)")
            }
            let length = Int(RecordBlock.loadU32(base, position))
            guard length > 0 else {
                throw CorruptDataError(source: source, offset: baseOffset + position, detail: "block with empty payload")
            }
            guard length <= left - RecordBlock.headerSize else {
                throw CorruptDataError(
                    source: source, offset: baseOffset + position,
                    detail: "block payload of \(length) bytes runs past the end (\(left - RecordBlock.headerSize) bytes left)")
            }
            let payload = UnsafeRawBufferPointer(start: base + position + RecordBlock.headerSize, count: length)
            guard CRC32C.checksum(payload) == RecordBlock.loadU32(base, position + 4) else {
                throw CorruptDataError(source: source, offset: baseOffset + position, detail: "block checksum mismatch")
            }
            position += RecordBlock.headerSize + length
            blocks += 1
        }
        return blocks
    }

    /// Cuts `segment` into consecutive ranges of whole blocks of at most `maxChunk` bytes each; a single block larger
    /// than `maxChunk` is a chunk of its own. The ranges cover the segment exactly, in order (none for an empty one).
    /// Does not verify checksums; if a header is malformed, the rest of the segment becomes the last chunk so the
    /// receiver's validation reports it.
    static func boundaries(of segment: UnsafeRawBufferPointer, maxChunk: Int) -> [Range<Int>] {
        precondition(maxChunk > 0, "BlockValidator: maxChunk must be positive")
        guard let base = segment.baseAddress, segment.count > 0 else { return [] }
        var chunks: [Range<Int>] = []
        var chunkStart = 0
        var position = 0
        while position < segment.count {
            var blockEnd = segment.count
            if segment.count - position >= RecordBlock.headerSize {
                let length = Int(RecordBlock.loadU32(base, position))
                if length > 0 && length <= segment.count - position - RecordBlock.headerSize {
                    blockEnd = position + RecordBlock.headerSize + length
                }
            }
            if blockEnd - chunkStart > maxChunk && position > chunkStart {
                chunks.append(chunkStart..<position)
                chunkStart = position
            }
            position = blockEnd
        }
        chunks.append(chunkStart..<segment.count)
        return chunks
    }
}
