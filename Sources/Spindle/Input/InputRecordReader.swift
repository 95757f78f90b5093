import SpindleCore
import SpindlePosix

/// Reads the lines a split owns and hands them to the map function as ``TextRecord``s, enforcing
/// `--max-record`, reporting progress and noticing cancellation about every MiB.
enum InputRecordReader {
    /// Calls `body` for every owned line of `split`. `firstLineNumbers[i]`, if present, is the line number
    /// of chunk i's first owned line. `releasingPages`: hand the pages of lines already read back to the
    /// kernel as the split is read, so a map task of any size stays within its memory budget.
    /// - Throws: ``InputError`` for a line longer than `maxRecord` (unless skipped), and what `body` throws.
    static func forEachRecord(
        in split: InputSplit, firstLineNumbers: [Int], maxRecord: Int, skipBadRecords: Bool, counters: Counters, context: TaskContext?,
        releasingPages: Bool = false, _ body: (TextRecord) throws -> Void
    ) throws {
        let total = max(1, split.byteCount)
        var done = 0
        for (index, chunk) in split.chunks.enumerated() {
            let file = try MappedFile(path: chunk.path)
            let scanner = LineScanner(bytes: file.bytes)
            var lineNumber = index < firstLineNumbers.count ? firstLineNumbers[index] : 0
            var nextCheck = 0
            var records = 0
            var releasedUpTo = chunk.start
            try scanner.forEachLine(start: chunk.start, end: chunk.end) { start, end in
                defer { if lineNumber > 0 { lineNumber += 1 } }
                if end - start > maxRecord {
                    if skipBadRecords {
                        counters.increment(CounterName.skippedRecords)
                        return true
                    }
                    throw lineTooLong(path: chunk.path, offset: start, length: end - start, maxRecord: maxRecord)
                }
                records += 1
                try body(TextRecord(bytes: UnsafeRawBufferPointer(rebasing: file.bytes[start..<end]), path: chunk.path, offset: start, lineNumber: lineNumber))
                if start >= nextCheck {
                    nextCheck = start + (1 << 20)
                    if releasingPages && start - releasedUpTo >= PageReleaser.stride {
                        file.releasePages(releasedUpTo..<start)
                        releasedUpTo = start
                    }
                    if let context {
                        try context.checkCancelled()
                        context.setProgress(Double(done + start - chunk.start) / Double(total))
                    }
                }
                return true
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
    static func countLines(in split: InputSplit) throws -> [Int] {
        try split.chunks.map { chunk in
            let file = try MappedFile(path: chunk.path)
            let scanner = LineScanner(bytes: file.bytes)
            let first = scanner.firstLineStart(from: chunk.start)
            let end = scanner.ownedEnd(start: chunk.start, end: chunk.end)
            guard first < end else { return 0 }
            var lines = 0
            var offset = first
            while offset < end, let nl = scanner.indexOfNewline(from: offset), nl < end {
                lines += 1
                offset = nl + 1
            }
            if offset < end { lines += 1 }
            return lines
        }
    }
}
