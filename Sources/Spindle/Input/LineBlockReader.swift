import SpindleCore

/// Streams the lines a ``FileChunk`` owns through one reusable buffer, as blocks of whole lines read with
/// large `pread`s (4 MiB by default): no per-line syscall, and no mapping of the input.
///
/// A chunk owns the lines whose first byte lies in `start..<end` (see ``LineScanner``); the last of them
/// may run past `end`, up to the planned size of the file, and is read whole. The buffer grows to hold a
/// line of up to `maxRecord` bytes; a longer line is not held but reported through `tooLong` with its
/// length, so memory stays bounded by `max(blockSize, maxRecord)` whatever the input.
///
/// A `.gz` file is read through ``GzipLineBlockReader``: the same blocks, of the decompressed text.
package struct LineBlockReader {
    /// Bytes read per `pread` while reading a chunk.
    package static let defaultBlockSize = 4 << 20
    /// Bytes read per `pread` to finish the last line beyond the chunk's end.
    package static let tailSize = 64 << 10

    package let file: InputFileReader
    package let chunk: FileChunk
    package let maxRecord: Int
    package var blockSize = LineBlockReader.defaultBlockSize

    package init(file: InputFileReader, chunk: FileChunk, maxRecord: Int, blockSize: Int = LineBlockReader.defaultBlockSize) {
        self.file = file
        self.chunk = chunk
        self.maxRecord = max(0, maxRecord)
        self.blockSize = max(16, blockSize)
    }

    /// Calls `body(block, offset, limit)` with blocks of whole lines, in file order: `block` begins at a line
    /// start, which is byte `offset` of the file; each line in it ends with `\n`, except a last line that
    /// ends at the file's planned end; the chunk owns the lines that begin before `limit` (an index into
    /// `block`). Calls `tooLong(offset, length)` instead for an owned line longer than `maxRecord` that did not
    /// fit the buffer. The bytes are valid only during the call. Checks the file again at the end.
    /// - Throws: ``InputError`` when the file changed, and what the closures throw.
    package func forEachBlock(
        tooLong: (_ offset: Int, _ length: Int) throws -> Void,
        _ body: (_ block: UnsafeRawBufferPointer, _ offset: Int, _ limit: Int) throws -> Void
    ) throws {
        if GzipLineBlockReader.isGzip(chunk.path) {
            return try GzipLineBlockReader(file: file, chunk: chunk, maxRecord: maxRecord, blockSize: blockSize).forEachBlock(
                tooLong: tooLong, body)
        }
        let size = file.size
        let end = min(chunk.end, size)
        var capacity = blockSize
        var buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity, alignment: 16)
        defer { buffer.deallocate() }
        var offset = try firstLineStart(buffer)
        var filled = 0
        while offset < end {
            let readAt = offset + filled
            if readAt < size && filled < capacity {
                let wanted = readAt < end ? end - readAt + Self.tailSize : Self.tailSize
                let n = min(capacity - filled, wanted, size - readAt)
                filled += try file.read(at: readAt, into: UnsafeMutableRawBufferPointer(rebasing: buffer[filled..<(filled + n)]))
            }
            let complete: Int
            if offset + filled == size {
                complete = filled
            } else if let newline = Self.lastNewline(UnsafeRawBufferPointer(rebasing: buffer[0..<filled])) {
                complete = newline + 1
            } else if filled < capacity {
                continue
            } else if capacity <= maxRecord {
                // A line longer than the buffer but perhaps not than maxRecord: make room for it and its newline.
                let grown = UnsafeMutableRawBufferPointer.allocate(byteCount: min(capacity * 2, maxRecord + 1), alignment: 16)
                grown.copyMemory(from: UnsafeRawBufferPointer(rebasing: buffer[0..<filled]))
                buffer.deallocate()
                buffer = grown
                capacity = grown.count
                continue
            } else {
                let lineEnd = try endOfLine(from: offset + filled, buffer)
                try tooLong(offset, lineEnd - offset)
                offset = lineEnd + 1
                filled = 0
                continue
            }
            try body(UnsafeRawBufferPointer(rebasing: buffer[0..<complete]), offset, min(end - offset, complete))
            let rest = filled - complete
            if rest > 0, let base = buffer.baseAddress {
                base.copyMemory(from: base + complete, byteCount: rest)  // overlapping regions are fine
            }
            filled = rest
            offset += complete
        }
        try file.verifyUnchanged()
    }

    /// Where the chunk's first owned line begins: 0, or just after the first `\n` at or after `start - 1`
    /// (the planned size when there is none).
    private func firstLineStart(_ buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard chunk.start > 0 else { return 0 }
        guard chunk.start <= file.size else { return file.size }
        return try endOfLine(from: chunk.start - 1, buffer) + 1
    }

    /// The offset of the first `\n` at or after `position`, or the planned size when there is none; reads
    /// through `buffer` (overwriting it).
    private func endOfLine(from position: Int, _ buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        var position = position
        var step = Self.tailSize
        while position < file.size {
            let n = try file.read(at: position, into: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<min(step, buffer.count)]))
            if let found = memchrNewline(UnsafeRawPointer(buffer.baseAddress!), n) {
                return position + (found - UnsafeRawPointer(buffer.baseAddress!))
            }
            position += n
            step = buffer.count
        }
        return file.size
    }

    /// The index of the last `\n` in `bytes`, if any (lines are short: this looks at a few bytes).
    private static func lastNewline(_ bytes: UnsafeRawBufferPointer) -> Int? {
        var i = bytes.count - 1
        while i >= 0 {
            if bytes[i] == 0x0A { return i }
            i -= 1
        }
        return nil
    }
}
