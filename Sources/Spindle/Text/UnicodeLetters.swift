/// The Unicode knowledge behind ``WordTokenizer``: UTF-8 decoding with the stdlib's treatment of invalid
/// input, letter classification and lowercasing, answered for the Basic Multilingual Plane from tables
/// built once per process on first use (a few milliseconds) and for other planes by the stdlib.
struct UnicodeLetters: @unchecked Sendable {
    // @unchecked: the tables are written once in `init`, then only read, and never freed.
    /// One bit per BMP scalar, set for letters.
    private let letterBits: UnsafePointer<UInt64>

    /// The process-wide tables (built on first use, a few milliseconds). Fetch once per batch of
    /// lookups: each access of a global goes through a once-check.
    static let shared = UnicodeLetters()

    private init() {
        let bits = UnsafeMutablePointer<UInt64>.allocate(capacity: 0x10000 / 64)
        bits.initialize(repeating: 0, count: 0x10000 / 64)
        for value in UInt32(0)..<0x10000 {
            if let scalar = Unicode.Scalar(value), Self.isLetterByCategory(scalar) {
                bits[Int(value >> 6)] |= 1 << UInt64(value & 63)
            }
        }
        letterBits = UnsafePointer(bits)
    }

    /// Decodes the sequence at `p` (first byte >= 0x80, `available` >= 1 bytes readable) and reports
    /// whether it is a letter and how many bytes it takes. An invalid sequence reports (false, 1): its
    /// continuation bytes are then skipped one by one, and the first byte that cannot continue it is
    /// decoded afresh, which finds the same scalars as the maximal-subpart replacement of the stdlib.
    func classify(_ p: UnsafePointer<UInt8>, _ available: Int) -> (letter: Bool, length: Int) {
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

    /// Whether the scalar `value` has general category Lu, Ll, Lt, Lm or Lo.
    @inline(__always)
    func isLetter(_ value: UInt32) -> Bool {
        if value < 0x10000 {
            return letterBits[Int(value >> 6)] & (1 << UInt64(value & 63)) != 0
        }
        return Self.isLetterOutsideBMP(value)
    }

    /// Kept out of line: `Unicode.GeneralCategory` is a resilient stdlib type, and inlining its use
    /// would make every caller fetch its metadata and reserve stack for it.
    @inline(never)
    private static func isLetterOutsideBMP(_ value: UInt32) -> Bool {
        Unicode.Scalar(value).map(isLetterByCategory) ?? false
    }

    /// Writes the lowercase form of `word` (valid UTF-8 made of letters only) to `out`, which has room
    /// for 3/2 of the word's length, and returns its length; nil when some letter needs the stdlib
    /// (outside the BMP, or lowercasing to several scalars like U+0130), so the caller falls back to
    /// `String.lowercased()`. The result equals that of `String.lowercased()`, which maps scalar by scalar.
    static func lowercase(_ word: UnsafePointer<UInt8>, _ length: Int, into out: UnsafeMutablePointer<UInt8>) -> Int? {
        let table = lowercaseTable
        var k = 0
        var n = 0
        while k < length {
            let b0 = UInt32(word[k])
            var value: UInt32
            if b0 < 0x80 {
                out[n] = UInt8(b0) | 0x20  // an ASCII letter
                n &+= 1
                k &+= 1
                continue
            } else if b0 < 0xE0 {
                value = (b0 & 0x1F) << 6 | UInt32(word[k + 1] & 0x3F)
                k &+= 2
            } else if b0 < 0xF0 {
                value = (b0 & 0x0F) << 12 | UInt32(word[k + 1] & 0x3F) << 6 | UInt32(word[k + 2] & 0x3F)
                k &+= 3
            } else {
                return nil
            }
            value = UInt32(table[Int(value)])
            // Lowercase letters of the BMP encode in at most 3 bytes, and 2-byte ones grow at most to 3.
            if value == 0 {
                return nil
            } else if value < 0x80 {
                out[n] = UInt8(value)
                n &+= 1
            } else if value < 0x800 {
                out[n] = UInt8(0xC0 | value >> 6)
                out[n + 1] = UInt8(0x80 | value & 0x3F)
                n &+= 2
            } else {
                out[n] = UInt8(0xE0 | value >> 12)
                out[n + 1] = UInt8(0x80 | (value >> 6) & 0x3F)
                out[n + 2] = UInt8(0x80 | value & 0x3F)
                n &+= 3
            }
        }
        return n
    }

    /// For each BMP letter, its lowercase mapping when that is a single BMP scalar; 0 otherwise.
    /// Built on first use, separately from the letter table because only lowercasing needs it.
    nonisolated(unsafe) private static let lowercaseTable: UnsafePointer<UInt16> = {
        let table = UnsafeMutablePointer<UInt16>.allocate(capacity: 0x10000)
        table.initialize(repeating: 0, count: 0x10000)
        let letters = shared
        for value in UInt32(0)..<0x10000 {
            guard let scalar = Unicode.Scalar(value), letters.isLetter(value) else { continue }
            let mapping = scalar.properties.lowercaseMapping.unicodeScalars
            if mapping.count == 1, let lower = mapping.first, lower.value < 0x10000 {
                table[Int(value)] = UInt16(lower.value)
            }
        }
        return UnsafePointer(table)
    }()

    /// The general-category test itself.
    static func isLetterByCategory(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter:
            return true
        default:
            return false
        }
    }
}
