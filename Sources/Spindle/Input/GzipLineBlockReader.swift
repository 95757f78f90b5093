import SpindleCore

/// Streams the lines of a gzip-compressed input file (RFC 1952, any number of members) as blocks of whole
/// lines, like ``LineBlockReader`` does for plain files: the same callbacks, the same line rules, the same
/// `--max-record` bound on memory. Offsets are those of the decompressed text.
///
/// A gzip file cannot be entered in the middle, so it is never cut (one split per file, as in Hadoop): the
/// chunk that starts at byte 0 owns every line; any other chunk of it owns none. A file is read as gzip when
/// its name ends in `.gz` (as Hadoop and Spark choose a codec): the choice is made when the job is planned,
/// without opening the files, and a `.gz` file that is not gzip fails with a sentence rather than being read
/// as text. The compressed file is read with `pread` and checked against its planned identity
/// (``InputFileReader``); memory stays bounded (1 MiB of compressed input, the decoder's window and chunk,
/// and the line buffer).
struct GzipLineBlockReader {
    /// Compressed bytes read per `pread` (at least a gzip header's bound, so a header always fits).
    static let inputSize = max(1 << 20, GzipHeader.maxLength)

    let file: InputFileReader
    let chunk: FileChunk
    let maxRecord: Int
    let blockSize: Int

    /// Whether the file at `path` is read as gzip: its name ends in `.gz`.
    static func isGzip(_ path: String) -> Bool { path.hasSuffix(".gz") }

    /// As ``LineBlockReader/forEachBlock(tooLong:_:)``, over the decompressed text.
    func forEachBlock(
        tooLong: (_ offset: Int, _ length: Int) throws -> Void,
        _ body: (_ block: UnsafeRawBufferPointer, _ offset: Int, _ limit: Int) throws -> Void
    ) throws {
        guard chunk.start == 0 else { return try file.verifyUnchanged() }
        var capacity = blockSize
        var buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity, alignment: 16)
        defer { buffer.deallocate() }
        var filled = 0
        var offset = 0  // of buffer[0] in the decompressed text
        var produced = 0  // decompressed bytes so far
        var skipping = false  // inside a line longer than maxRecord that began at `offset`
        try Self.forEachDecompressedChunk(file) { chunk in
            var data = chunk
            defer { produced += chunk.count }
            while !data.isEmpty {
                if skipping {
                    guard let newline = memchrNewline(data.baseAddress!, data.count) else { return true }
                    let index = newline - data.baseAddress!
                    let end = produced + (data.baseAddress! - chunk.baseAddress!) + index
                    try tooLong(offset, end - offset)
                    skipping = false
                    offset = end + 1
                    data = UnsafeRawBufferPointer(rebasing: data[(index + 1)...])
                    continue
                }
                let n = min(data.count, capacity - filled)
                (buffer.baseAddress! + filled).copyMemory(from: data.baseAddress!, byteCount: n)
                filled += n
                data = UnsafeRawBufferPointer(rebasing: data[n...])
                guard filled == capacity else { continue }
                if let newline = Self.lastNewline(UnsafeRawBufferPointer(buffer)) {
                    let complete = newline + 1
                    try body(UnsafeRawBufferPointer(rebasing: buffer[0..<complete]), offset, complete)
                    buffer.baseAddress!.copyMemory(from: buffer.baseAddress! + complete, byteCount: filled - complete)
                    filled -= complete
                    offset += complete
                } else if capacity <= maxRecord {
                    let grown = UnsafeMutableRawBufferPointer.allocate(byteCount: min(capacity * 2, maxRecord + 1), alignment: 16)
                    grown.copyMemory(from: UnsafeRawBufferPointer(buffer))
                    buffer.deallocate()
                    buffer = grown
                    capacity = grown.count
                } else {
                    skipping = true
                    filled = 0
                }
            }
            return true
        }
        if skipping {
            try tooLong(offset, produced - offset)
        } else if filled > 0 {
            try body(UnsafeRawBufferPointer(rebasing: buffer[0..<filled]), offset, filled)
        }
        try file.verifyUnchanged()
    }

    /// The 1-based line number of byte `offset` of the decompressed text of `file`.
    static func lineNumber(of offset: Int, in file: InputFileReader) throws -> Int {
        var number = 1
        var seen = 0
        try forEachDecompressedChunk(file) { chunk in
            let count = min(chunk.count, offset - seen)
            number += EdgeListParser.lineNumber(of: count, in: UnsafeRawBufferPointer(rebasing: chunk[0..<count])) - 1
            seen += count
            return seen < offset
        }
        return number
    }

    /// Decompresses `file`, calling `body` with each chunk of decompressed bytes (valid during the call) until
    /// it returns false or the file ends.
    /// - Throws: ``InputError`` for a file that is not gzip, corrupt or truncated (naming it and the compressed
    ///   byte offset), or that changed; and what `body` throws.
    static func forEachDecompressedChunk(_ file: InputFileReader, _ body: (UnsafeRawBufferPointer) throws -> Bool) throws {
        let decoder = GzipDecoder(chunkSize: 1 << 18)
        let input = UnsafeMutableRawBufferPointer.allocate(byteCount: inputSize, alignment: 16)
        defer { input.deallocate() }
        var start = 0
        var end = 0
        var readOffset = 0
        while true {
            if end - start < inputSize / 2 && readOffset < file.size {
                // Keep the unconsumed rest, then fill the buffer.
                input.baseAddress!.copyMemory(from: input.baseAddress! + start, byteCount: end - start)
                end -= start
                start = 0
                let n = try file.read(at: readOffset, into: UnsafeMutableRawBufferPointer(rebasing: input[end...]))
                end += n
                readOffset += n
            }
            let step: GzipDecoder.Step
            do {
                step = try decoder.decode(UnsafeRawBufferPointer(rebasing: input[start..<end]), endOfInput: readOffset >= file.size)
            } catch {
                try file.verifyUnchanged()
                throw Self.unreadable(file.path, error)
            }
            start += step.consumed
            if !step.output.isEmpty, try !body(step.output) { return }
            if step.finished { return }
        }
    }

    /// The error for a file the decoder rejected.
    static func unreadable(_ path: String, _ error: InflateError) -> InputError {
        switch error.kind {
        case .truncated:
            return InputError(
                message: "'\(path)' is truncated: its gzip data ends inside a member at compressed byte \(error.offset); copy the file again, or remove it from the input")
        case .corrupt(let reason):
            return InputError(
                message: "'\(path)' is not valid gzip at compressed byte \(error.offset): \(reason); check it with 'gzip -t', and replace it or remove it from the input")
        }
    }

    /// The index of the last `\n` in `bytes`, if any.
    private static func lastNewline(_ bytes: UnsafeRawBufferPointer) -> Int? {
        var i = bytes.count - 1
        while i >= 0 {
            if bytes[i] == 0x0A { return i }
            i -= 1
        }
        return nil
    }
}
