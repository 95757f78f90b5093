/// Finds the lines a ``FileChunk`` owns in a file's bytes.
///
/// A line is the bytes up to (not including) `\n`; a final line without `\n` counts. A chunk owns the
/// lines whose first byte lies in `start..<end`.
package struct LineScanner {
    package let bytes: UnsafeRawBufferPointer

    package init(bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    /// The offset where the first owned line of a chunk starting at `start` begins.
    package func firstLineStart(from start: Int) -> Int {
        if start == 0 { return 0 }
        guard start <= bytes.count else { return bytes.count }
        guard let nl = indexOfNewline(from: start - 1) else { return bytes.count }
        return nl + 1
    }

    /// Calls `body(offset, lineStart, lineEnd)` for each owned line; `lineEnd` excludes the newline.
    /// Stops early when `body` returns false.
    package func forEachLine(start: Int, end: Int, _ body: (Int, Int) throws -> Bool) rethrows {
        var lineStart = firstLineStart(from: start)
        let limit = min(end, bytes.count)
        while lineStart < limit {
            let lineEnd = indexOfNewline(from: lineStart) ?? bytes.count
            guard try body(lineStart, lineEnd) else { return }
            lineStart = lineEnd + 1
        }
    }

    /// The end of the last owned line including its newline (where the next chunk's lines begin).
    package func ownedEnd(start: Int, end: Int) -> Int {
        firstLineStart(from: min(end, bytes.count))
    }

    package func indexOfNewline(from offset: Int) -> Int? {
        guard offset < bytes.count, let base = bytes.baseAddress else { return nil }
        guard let found = memchrNewline(base + offset, bytes.count - offset) else { return nil }
        return found - UnsafeRawPointer(base)
    }
}

/// Finds the first `\n`, eight bytes at a time.
@inline(__always)
package func memchrNewline(_ start: UnsafeRawPointer, _ count: Int) -> UnsafeRawPointer? {
    var p = start
    let end = start + count
    let ones: UInt64 = 0x0101_0101_0101_0101
    let highs: UInt64 = 0x8080_8080_8080_8080
    let pattern: UInt64 = 0x0A0A_0A0A_0A0A_0A0A
    while end - p >= 8 {
        let word = p.loadUnaligned(as: UInt64.self) ^ pattern
        let found = (word &- ones) & ~word & highs
        if found != 0 { return p + (found.trailingZeroBitCount >> 3) }
        p += 8
    }
    while p < end {
        if p.load(as: UInt8.self) == 0x0A { return p }
        p += 1
    }
    return nil
}
