/// Splits lines of UTF-8 text into words, the tokenizer of the built-in wordcount and invertedindex jobs.
///
/// A word is a maximal run of Unicode scalars whose general category is a letter (Lu, Ll, Lt, Lm, Lo).
/// Everything else separates words: digits, punctuation, symbols, emoji, combining marks, white space,
/// and invalid UTF-8 (each invalid sequence counts as U+FFFD, as `String(decoding:as:)` would read it).
/// ASCII words are found with a 256-entry table and handed out without copying; only bytes >= 0x80 are
/// decoded. The words are those of ``words(in:lowercase:)`` on the line decoded as a String.
public struct WordTokenizer: Sendable {
    /// Whether words are handed out in lower case (`String.lowercased()` semantics).
    public let lowercase: Bool

    /// A tokenizer that lowercases each word when `lowercase` is true.
    public init(lowercase: Bool) {
        self.lowercase = lowercase
    }

    /// Calls `body` with the bytes of each word of `line` in order.
    ///
    /// The slice is only valid during the call. Without lowercasing it points into `line`; with
    /// lowercasing, ASCII words are written to a scratch buffer reused for the whole line, and words
    /// with non-ASCII letters go through `String.lowercased()` (their length in bytes may change).
    public func forEachWord(in line: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) throws -> Void) rethrows {
        guard let base = line.baseAddress, line.count > 0 else { return }
        let count = line.count
        if lowercase {
            // A lowercased ASCII word is never longer than the line; small lines use the stack.
            try withUnsafeTemporaryAllocation(byteCount: count, alignment: 8) { scratch in
                try scan(base.assumingMemoryBound(to: UInt8.self), count, scratch.baseAddress!.assumingMemoryBound(to: UInt8.self), body)
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
        _ p: UnsafePointer<UInt8>, _ n: Int, _ scratch: UnsafeMutablePointer<UInt8>?,
        _ body: (UnsafeRawBufferPointer) throws -> Void
    ) rethrows {
        try Self.byteClass.withUnsafeBufferPointer { table in
            var i = 0
            while i < n {
                // Skip ASCII separators.
                var c = table[Int(p[i])]
                while c == 0 {
                    i += 1
                    if i == n { return }
                    c = table[Int(p[i])]
                }
                let start = i
                var ascii = true
                if c == 1 {
                    repeat { i += 1 } while i < n && table[Int(p[i])] == 1
                    if i == n || table[Int(p[i])] == 0 {
                        try emit(p + start, i - start, ascii: true, scratch, body)
                        continue
                    }
                }
                // At a byte >= 0x80, inside or at the start of a word: decode scalar by scalar.
                var end = i
                var skip = 1
                while end < n {
                    let b = p[end]
                    if b < 0x80 {
                        if table[Int(b)] == 0 { break }
                        end += 1
                        continue
                    }
                    let (letter, length) = Self.classifyMultiByte(p + end, n - end)
                    if !letter {
                        skip = length
                        break
                    }
                    ascii = false
                    end += length
                }
                if end > start {
                    try emit(p + start, end - start, ascii: ascii, scratch, body)
                    i = end
                } else {
                    i = start + skip  // a non-letter sequence where a word could have begun
                }
            }
        }
    }

    /// Hands one word to `body`, lowercasing it when asked.
    @inline(__always)
    private func emit(
        _ word: UnsafePointer<UInt8>, _ length: Int, ascii: Bool, _ scratch: UnsafeMutablePointer<UInt8>?,
        _ body: (UnsafeRawBufferPointer) throws -> Void
    ) rethrows {
        guard let scratch else {
            try body(UnsafeRawBufferPointer(start: word, count: length))
            return
        }
        if ascii {
            // Every byte is an ASCII letter, so setting bit 5 lowercases it.
            for k in 0..<length { scratch[k] = word[k] | 0x20 }
            try body(UnsafeRawBufferPointer(start: scratch, count: length))
        } else {
            var lowered = String(decoding: UnsafeBufferPointer(start: word, count: length), as: UTF8.self).lowercased()
            try lowered.withUTF8 { try body(UnsafeRawBufferPointer($0)) }
        }
    }

    // MARK: - UTF-8 decoding

    /// Decodes the sequence at `p` (first byte >= 0x80, `available` >= 1 bytes readable) and reports
    /// whether it is a letter and how many bytes it takes. An invalid sequence reports (false, 1): its
    /// continuation bytes are then skipped one by one, and the first byte that cannot continue it is
    /// decoded afresh, which finds the same scalars as the maximal-subpart replacement of the stdlib.
    static func classifyMultiByte(_ p: UnsafePointer<UInt8>, _ available: Int) -> (letter: Bool, length: Int) {
        let b0 = UInt32(p[0])
        @inline(__always) func continuation(_ k: Int) -> UInt32? {
            guard k < available else { return nil }
            let b = UInt32(p[k])
            return b & 0xC0 == 0x80 ? b & 0x3F : nil
        }
        switch b0 {
        case 0xC2...0xDF:
            guard let c1 = continuation(1) else { return (false, 1) }
            return (isLetter((b0 & 0x1F) << 6 | c1), 2)
        case 0xE0...0xEF:
            guard let c1 = continuation(1), let c2 = continuation(2) else { return (false, 1) }
            let value = (b0 & 0x0F) << 12 | c1 << 6 | c2
            // Reject overlong forms (< U+0800) and UTF-16 surrogates.
            if value < 0x800 || (0xD800...0xDFFF).contains(value) { return (false, 1) }
            return (isLetter(value), 3)
        case 0xF0...0xF4:
            guard let c1 = continuation(1), let c2 = continuation(2), let c3 = continuation(3) else { return (false, 1) }
            let value = (b0 & 0x07) << 18 | c1 << 12 | c2 << 6 | c3
            if value < 0x10000 || value > 0x10FFFF { return (false, 1) }
            return (isLetter(value), 4)
        default:
            return (false, 1)  // a stray continuation byte, C0/C1, or F5...FF
        }
    }

    /// Whether the scalar `value` is a letter; the Basic Multilingual Plane is answered from a bit table.
    @inline(__always)
    static func isLetter(_ value: UInt32) -> Bool {
        if value < 0x10000 {
            return bmpLetters[Int(value >> 6)] & (1 << UInt64(value & 63)) != 0
        }
        return Unicode.Scalar(value).map(isLetterByCategory) ?? false
    }

    /// One bit per BMP scalar, set for letters; built once per process on first use (a few milliseconds).
    private static let bmpLetters: [UInt64] = {
        var bits = [UInt64](repeating: 0, count: 0x10000 / 64)
        for value in UInt32(0x80)..<0x10000 {
            if let scalar = Unicode.Scalar(value), isLetterByCategory(scalar) {
                bits[Int(value >> 6)] |= 1 << UInt64(value & 63)
            }
        }
        for value in UInt32(0)..<0x80 where (0x41...0x5A).contains(value) || (0x61...0x7A).contains(value) {
            bits[Int(value >> 6)] |= 1 << UInt64(value & 63)
        }
        return bits
    }()

    private static func isLetterByCategory(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter:
            return true
        default:
            return false
        }
    }
}
