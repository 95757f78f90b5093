/// Splits lines of UTF-8 text into words, the tokenizer of the built-in wordcount and invertedindex jobs.
///
/// A word is a maximal run of Unicode scalars whose general category is a letter (Lu, Ll, Lt, Lm, Lo).
/// Everything else separates words: digits, punctuation, symbols, emoji, combining marks, white space,
/// and invalid UTF-8 (each invalid sequence counts as U+FFFD, as `String(decoding:as:)` would read it).
/// ASCII is scanned eight bytes at a time (SWAR letter test, a 256-entry class table for the last few
/// bytes of a line) and ASCII words are handed out without copying; only bytes >= 0x80 are decoded.
/// The words are exactly those of ``words(in:lowercase:)`` on the line decoded as a String.
public struct WordTokenizer: Sendable {
    /// Whether words are handed out in lower case (`String.lowercased()` semantics).
    public let lowercase: Bool

    /// A tokenizer that lowercases each word when `lowercase` is true.
    public init(lowercase: Bool) {
        self.lowercase = lowercase
    }

    /// Calls `body` with the bytes of each word of `line` in order.
    ///
    /// The slice is only valid during the call. Without lowercasing it points into `line`. With
    /// lowercasing it points into a scratch buffer made once per line (on the stack unless the line is
    /// long): ASCII words cost nothing extra, words with other BMP letters are mapped through a table,
    /// and the rare rest go through `String.lowercased()`. Lowercasing may change a word's byte length.
    public func forEachWord(in line: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) throws -> Void) rethrows {
        guard let base = line.baseAddress, line.count > 0 else { return }
        let count = line.count
        if lowercase {
            // Scratch (on the stack for ordinary lines): first a copy of the line with its ASCII letters
            // lowercased, so ASCII words are handed out from it at their own offsets without per-word
            // work; then room for one lowercased non-ASCII word (at most 3/2 of the line's length).
            try withUnsafeTemporaryAllocation(byteCount: count + (count * 3) / 2 + 8, alignment: 8) { scratch in
                let lowered = scratch.baseAddress!.assumingMemoryBound(to: UInt8.self)
                Self.lowercaseASCII(base.assumingMemoryBound(to: UInt8.self), count, into: lowered)
                try scan(base.assumingMemoryBound(to: UInt8.self), count, lowered, body)
            }
        } else {
            try scan(base.assumingMemoryBound(to: UInt8.self), count, nil, body)
        }
    }

    /// The words of `text`, each lowercased with `String.lowercased()` when `lowercase` is true.
    ///
    /// A deliberately plain reference implementation (scalar by scalar, by general category) that the
    /// byte tokenizer is tested against; not meant for hot paths.
    public static func words(in text: String, lowercase: Bool) -> [String] {
        var result: [String] = []
        var current = String.UnicodeScalarView()
        func finishWord() {
            guard !current.isEmpty else { return }
            let word = String(current)
            result.append(lowercase ? word.lowercased() : word)
            current = String.UnicodeScalarView()
        }
        for scalar in text.unicodeScalars {
            switch scalar.properties.generalCategory {
            case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter:
                current.append(scalar)
            default:
                finishWord()
            }
        }
        finishWord()
        return result
    }

    // MARK: - Byte scanner

    /// Byte classes: 0 separates words (ASCII non-letters), 1 is an ASCII letter, 2 starts or continues
    /// a multi-byte sequence (needs decoding).
    private static let byteClass: [UInt8] = (0..<256).map { b in
        if b >= 0x80 { return 2 }
        if (0x41...0x5A).contains(b) || (0x61...0x7A).contains(b) { return 1 }
        return 0
    }

    private func scan(
        _ p: UnsafePointer<UInt8>, _ n: Int, _ lowered: UnsafeMutablePointer<UInt8>?,
        _ body: (UnsafeRawBufferPointer) throws -> Void
    ) rethrows {
        try Self.byteClass.withUnsafeBufferPointer { table in
            var i = 0
            while i < n {
                // Skip ASCII separators, eight bytes at a time, then byte by byte near the end.
                while i &+ 8 <= n {
                    let found = Self.letterLanes(Self.load(p + i)) | (Self.load(p + i) & Self.highBits)
                    if found != 0 {
                        i &+= found.trailingZeroBitCount &>> 3
                        break
                    }
                    i &+= 8
                }
                while i < n && table[Int(p[i])] == 0 { i &+= 1 }
                if i == n { return }
                let start = i
                if p[i] < 0x80 {
                    // An ASCII letter: find the end of the run of ASCII letters.
                    i &+= 1
                    var open = true
                    while i &+ 8 <= n {
                        let others = ~Self.letterLanes(Self.load(p + i)) & Self.highBits
                        if others != 0 {
                            i &+= others.trailingZeroBitCount &>> 3
                            open = false
                            break
                        }
                        i &+= 8
                    }
                    if open {
                        while i < n && table[Int(p[i])] == 1 { i &+= 1 }
                    }
                    if i == n || p[i] < 0x80 {
                        try emit(p, n, start, i &- start, ascii: true, lowered, body)
                        continue
                    }
                }
                // At a byte >= 0x80, inside or at the start of a word: decode scalar by scalar.
                let unicode = UnicodeLetters.shared
                var ascii = true
                var end = i
                var skip = 1
                while end < n {
                    let b = p[end]
                    if b < 0x80 {
                        if table[Int(b)] == 0 { break }
                        end &+= 1
                        continue
                    }
                    let (letter, length) = unicode.classify(p + end, n &- end)
                    if !letter {
                        skip = length
                        break
                    }
                    ascii = false
                    end &+= length
                }
                if end > start {
                    try emit(p, n, start, end &- start, ascii: ascii, lowered, body)
                    i = end
                } else {
                    i = start &+ skip  // a non-letter sequence where a word could have begun
                }
            }
        }
    }

    private static let highBits: UInt64 = 0x8080_8080_8080_8080

    /// Eight bytes at `p` with the first byte in the lowest bits.
    @inline(__always)
    private static func load(_ p: UnsafePointer<UInt8>) -> UInt64 {
        UInt64(littleEndian: UnsafeRawPointer(p).loadUnaligned(as: UInt64.self))
    }

    /// Bit 7 of each byte lane is set when that byte is an ASCII letter (SWAR range check on the
    /// byte with bit 5 set, which maps A-Z onto a-z; no carries cross lanes).
    @inline(__always)
    private static func letterLanes(_ w: UInt64) -> UInt64 {
        let folded = (w | 0x2020_2020_2020_2020) & 0x7F7F_7F7F_7F7F_7F7F
        let atLeastA = folded &+ 0x1F1F_1F1F_1F1F_1F1F   // lane >= 0x61 sets bit 7
        let pastZ = folded &+ 0x0505_0505_0505_0505      // lane >= 0x7B sets bit 7
        return atLeastA & ~pastZ & ~w & highBits
    }

    /// Hands the word at `line[start..<start + length]` to `body`, lowercased when `lowered` (the
    /// scratch: the line with ASCII letters lowercased, then room for one word) is given.
    @inline(__always)
    private func emit(
        _ line: UnsafePointer<UInt8>, _ lineCount: Int, _ start: Int, _ length: Int, ascii: Bool,
        _ lowered: UnsafeMutablePointer<UInt8>?, _ body: (UnsafeRawBufferPointer) throws -> Void
    ) rethrows {
        guard let lowered else {
            try body(UnsafeRawBufferPointer(start: line + start, count: length))
            return
        }
        if ascii {
            try body(UnsafeRawBufferPointer(start: lowered + start, count: length))
            return
        }
        let wordArea = lowered + lineCount  // behind the lowered copy of the line
        if let n = UnicodeLetters.lowercase(line + start, length, into: wordArea) {
            try body(UnsafeRawBufferPointer(start: wordArea, count: n))
        } else {
            let word = UnsafeBufferPointer(start: line + start, count: length)
            var lowercased = String(decoding: word, as: UTF8.self).lowercased()
            try lowercased.withUTF8 { try body(UnsafeRawBufferPointer($0)) }
        }
    }

    /// Copies `count` bytes from `source` to `target`, setting bit 5 of ASCII letters (A-Z to a-z).
    private static func lowercaseASCII(_ source: UnsafePointer<UInt8>, _ count: Int, into target: UnsafeMutablePointer<UInt8>) {
        var k = 0
        while k &+ 8 <= count {
            let w = load(source + k)
            let lower = w | (letterLanes(w) &>> 2)  // bit 7 of a letter lane moved to bit 5
            UnsafeMutableRawPointer(target + k).storeBytes(of: lower.littleEndian, as: UInt64.self)
            k &+= 8
        }
        while k < count {
            let b = source[k]
            target[k] = (b >= 0x41 && b <= 0x5A) ? b | 0x20 : b
            k &+= 1
        }
    }
}
