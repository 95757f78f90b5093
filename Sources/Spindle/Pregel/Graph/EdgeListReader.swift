import SpindlePosix

/// Reads the edge lines a split owns from the input files, in blocks of whole lines read with large
/// `pread`s (``LineBlockReader``; files are checked against their planned identity, never mapped): one pass
/// over the bytes for the common line `digits<blanks>digits\n`, and ``EdgeListParser`` for every other line
/// (comments, blank lines, weights, signs, `\r`, malformed ones), so the results equal parsing every line
/// with it. Owns lines as ``InputRecordReader`` does, enforces `--max-record` the same way, and notices
/// cancellation and reports progress about every MiB.
enum EdgeListReader {
    /// Calls `edge(source, target, weight)` for every edge line of `split`, in order, and `malformed` with
    /// every line the parser rejects and the reason, or whose weight `weightProblem` rejects (it returns why).
    /// - Throws: ``InputError`` for a line longer than `maxRecord` (unless `skipBadRecords`) or an input that
    ///   changed, and what the closures throw.
    static func forEachEdge(
        in split: InputSplit, maxRecord: Int, skipBadRecords: Bool, counters: Counters, context: TaskContext?,
        weightProblem: ((Double) -> String?)? = nil,
        edge: (Int64, Int64, Double?) throws -> Void, malformed: (TextRecord, String) throws -> Void
    ) throws {
        let total = max(1, split.byteCount)
        var done = 0
        for chunk in split.chunks {
            let file = try InputFileReader(chunk, context: context)
            var records = 0
            var nextCheck = 0
            try LineBlockReader(file: file, chunk: chunk, maxRecord: maxRecord).forEachBlock(
                tooLong: { offset, length in
                    guard skipBadRecords else {
                        throw InputRecordReader.lineTooLong(path: chunk.path, offset: offset, length: length, maxRecord: maxRecord)
                    }
                    counters.increment(CounterName.skippedRecords)
                }
            ) { block, blockOffset, limit in
                guard let raw = block.baseAddress else { return }
                let count = block.count
                let base = raw.assumingMemoryBound(to: UInt8.self)
                let scanner = LineScanner(bytes: block)
                // Counted in locals of the block (registers), not in the captured variables, on this hot path.
                var blockRecords = 0
                var nextCheckInBlock = nextCheck - blockOffset
                defer {
                    records &+= blockRecords
                    nextCheck = nextCheckInBlock + blockOffset
                }
                var lineStart = 0
                while lineStart < limit {
                    if lineStart >= nextCheckInBlock {
                        nextCheckInBlock = lineStart + (1 << 20)
                        if let context {
                            try context.checkCancelled()
                            context.setProgress(Double(done + blockOffset + lineStart - chunk.start) / Double(total))
                        }
                    }
                    // The common line, parsed as it is scanned; at most 18 digits per id, so no overflow.
                    var i = lineStart
                    let sourceStart = i
                    let source = digits(base, &i, count)
                    if i > sourceStart && i - sourceStart <= 18 && i < count && isBlank(base[i]) {
                        i &+= 1
                        while i < count && isBlank(base[i]) { i &+= 1 }
                        let targetStart = i
                        let target = digits(base, &i, count)
                        if i > targetStart && i - targetStart <= 18 && (i == count || base[i] == 0x0A) && i - lineStart <= maxRecord {
                            blockRecords &+= 1
                            try edge(Int64(source), Int64(target), nil)
                            lineStart = i &+ 1
                            continue
                        }
                    }
                    // Any other line.
                    let lineEnd = scanner.indexOfNewline(from: lineStart) ?? count
                    defer { lineStart = lineEnd + 1 }
                    if lineEnd - lineStart > maxRecord {
                        guard skipBadRecords else {
                            throw InputRecordReader.lineTooLong(
                                path: chunk.path, offset: blockOffset + lineStart, length: lineEnd - lineStart, maxRecord: maxRecord)
                        }
                        counters.increment(CounterName.skippedRecords)
                        continue
                    }
                    blockRecords &+= 1
                    let line = UnsafeRawBufferPointer(start: raw + lineStart, count: lineEnd - lineStart)
                    let record = { TextRecord(bytes: line, path: chunk.path, offset: blockOffset + lineStart, lineNumber: 0) }
                    switch EdgeListParser.parse(line) {
                    case .edge(let source, let target, let weight)?:
                        if let weight, let weightProblem, let problem = weightProblem(weight) {
                            try malformed(record(), problem)
                        } else {
                            try edge(source, target, weight)
                        }
                    case .skip?: break
                    case nil: try malformed(record(), EdgeListParser.problem(line))
                    }
                }
            }
            counters.increment(CounterName.mapInputRecords, by: records)
            done += chunk.end - chunk.start
        }
        counters.increment(CounterName.mapInputBytes, by: split.byteCount)
    }

    /// The value of the decimal digits at `i` (none: 0), advancing `i` past them; wraps beyond 19 digits.
    /// Up to 8 digits at a time when 8 bytes can be read (see ``eightDigits(_:)``).
    @inline(__always) private static func digits(_ base: UnsafePointer<UInt8>, _ i: inout Int, _ count: Int) -> UInt64 {
        var value: UInt64 = 0
        while count - i >= 8 {
            let (chunk, length) = eightDigits(UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self))
            value = value &* powersOfTen[length] &+ chunk
            i &+= length
            if length < 8 { return value }
        }
        while i < count {
            let digit = base[i] &- 0x30
            if digit > 9 { break }
            value = value &* 10 &+ UInt64(digit)
            i &+= 1
        }
        return value
    }

    /// 10^0 ... 10^8.
    private static let powersOfTen: [UInt64] = [1, 10, 100, 1000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000]

    /// The value of the leading decimal digits of `word` (8 bytes of text, first byte lowest) and their count,
    /// 0 to 8, without a loop: the digits are shifted to the top bytes (zeros fill the bottom ones) and
    /// combined pairwise by three multiplications: bytes into 2-digit, then 4-digit, then 8-digit numbers.
    @inline(__always) static func eightDigits(_ word: UInt64) -> (value: UInt64, length: Int) {
        let word = UInt64(littleEndian: word)
        let digits = word &- 0x3030_3030_3030_3030
        // High bit of each byte that is not a digit: below '0' (the subtraction borrowed) or above '9'.
        let notDigit = (digits | (word &+ 0x4646_4646_4646_4646)) & 0x8080_8080_8080_8080
        let length = notDigit.trailingZeroBitCount >> 3
        guard length > 0 else { return (0, 0) }
        var v = digits &<< UInt64(64 - 8 * length)
        v = ((v & 0x0F0F_0F0F_0F0F_0F0F) &* 2561) &>> 8
        v = ((v & 0x00FF_00FF_00FF_00FF) &* 6_553_601) &>> 16
        v = ((v & 0x0000_FFFF_0000_FFFF) &* 42_949_672_960_001) &>> 32
        return (v, length)
    }

    @inline(__always) private static func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }
}
