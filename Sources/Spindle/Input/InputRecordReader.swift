import SpindleCore
import SpindlePosix

/// Reads the lines a split owns and hands them to the map function as ``TextRecord``s, enforcing
/// `--max-record`, reporting progress and noticing cancellation about every MiB.
///
/// Files are read with ``LineBlockReader`` (large `pread`s into one buffer) and checked against the
/// identity they were planned with (``InputFileReader``).
enum InputRecordReader {
    /// Calls `body` for every owned line of `split`. `firstLineNumbers[i]`, if present, is the line number
    /// of chunk i's first owned line.
    /// - Throws: ``InputError`` for a line longer than `maxRecord` (unless skipped) or an input that changed,
    ///   and what `body` throws.
    static func forEachRecord(
        in split: InputSplit, firstLineNumbers: [Int], maxRecord: Int, skipBadRecords: Bool, counters: Counters, context: TaskContext?,
        _ body: (TextRecord) throws -> Void
    ) throws {
        let total = max(1, split.byteCount)
        var done = 0
        for (index, chunk) in split.chunks.enumerated() {
            let file = try InputFileReader(chunk, context: context)
            var lineNumber = index < firstLineNumbers.count ? firstLineNumbers[index] : 0
            var nextCheck = 0
            var records = 0
            func tooLong(_ offset: Int, _ length: Int) throws {
                if skipBadRecords {
                    counters.increment(CounterName.skippedRecords)
                } else {
                    throw lineTooLong(path: chunk.path, offset: offset, length: length, maxRecord: maxRecord)
                }
            }
            try LineBlockReader(file: file, chunk: chunk, maxRecord: maxRecord).forEachBlock(
                tooLong: { offset, length in
                    try tooLong(offset, length)
                    if lineNumber > 0 { lineNumber += 1 }
                }
            ) { block, blockOffset, limit in
                try LineScanner(bytes: block).forEachLine(start: 0, end: limit) { start, end in
                    defer { if lineNumber > 0 { lineNumber += 1 } }
                    if end - start > maxRecord {
                        try tooLong(blockOffset + start, end - start)
                        return true
                    }
                    records += 1
                    try body(
                        TextRecord(
                            bytes: UnsafeRawBufferPointer(rebasing: block[start..<end]), path: chunk.path, offset: blockOffset + start,
                            lineNumber: lineNumber))
                    if blockOffset + start >= nextCheck {
                        nextCheck = blockOffset + start + (1 << 20)
                        if let context {
                            try context.checkCancelled()
                            context.setProgress(Double(done + blockOffset + start - chunk.start) / Double(total))
                        }
                    }
                    return true
                }
            }
            counters.increment(CounterName.mapInputRecords, by: records)
            done += chunk.end - chunk.start
        }
        counters.increment(CounterName.mapInputBytes, by: split.byteCount)
    }

    /// The error for a line longer than `--max-record`.
    static func lineTooLong(path: String, offset: Int, length: Int, maxRecord: Int) -> InputError {
        InputError(
            message: "the line at \(path) byte \(offset) is \(length) bytes, longer than --max-record \(ByteSize.format(maxRecord)); raise --max-record or pass --skip-bad-records")
    }

    /// The number of lines each chunk of `split` owns (for line numbering).
    static func countLines(in split: InputSplit, context: TaskContext? = nil) throws -> [Int] {
        try split.chunks.map { chunk in
            let file = try InputFileReader(chunk, context: context)
            var lines = 0
            // maxRecord 0: the buffer never grows; a line longer than it comes through `tooLong`, and counts.
            try LineBlockReader(file: file, chunk: chunk, maxRecord: 0).forEachBlock(tooLong: { _, _ in lines += 1 }) { block, _, limit in
                LineScanner(bytes: block).forEachLine(start: 0, end: limit) { _, _ in
                    lines += 1
                    return true
                }
            }
            return lines
        }
    }

    /// The 1-based line number of byte `offset` of the file at `path`, checked against `planned` (for errors).
    static func lineNumber(of offset: Int, path: String, planned: FileIdentity?, context: TaskContext? = nil) throws -> Int {
        let file = try InputFileReader(path: path, planned: planned, hintEnd: offset, context: context)
        if GzipLineBlockReader.isGzip(path) { return try GzipLineBlockReader.lineNumber(of: offset, in: file) }
        return try file.lineNumber(of: offset)
    }
}
