@testable import Spindle
@testable import SpindleTools
import Testing

/// The byte tokenizer finds exactly the words of the String-based reference, for every input.
@Suite struct WordTokenizerTests {
    /// The words the byte tokenizer hands out, copied into Strings.
    static func tokens(_ bytes: [UInt8], lowercase: Bool) -> [String] {
        var words: [String] = []
        bytes.withUnsafeBytes { line in
            WordTokenizer(lowercase: lowercase).forEachWord(in: line) { words.append(String(decoding: $0, as: UTF8.self)) }
        }
        return words
    }

    /// The reference's words for the same bytes decoded leniently.
    static func reference(_ bytes: [UInt8], lowercase: Bool) -> [String] {
        WordTokenizer.words(in: String(decoding: bytes, as: UTF8.self), lowercase: lowercase)
    }

    static func expectMatchesReference(_ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) {
        for lowercase in [false, true] {
            let got = tokens(bytes, lowercase: lowercase)
            let want = reference(bytes, lowercase: lowercase)
            #expect(got == want, "lowercase \(lowercase), bytes \(bytes.map { String($0, radix: 16) })", sourceLocation: sourceLocation)
        }
    }

    @Test func asciiWordsAreRunsOfLetters() {
        #expect(Self.tokens(Array("Hello, world! It's 42nd-street_x".utf8), lowercase: false)
            == ["Hello", "world", "It", "s", "nd", "street", "x"])
        #expect(Self.tokens(Array("  \tleading and trailing  ".utf8), lowercase: false) == ["leading", "and", "trailing"])
        #expect(Self.tokens(Array("@[`{AZaz".utf8), lowercase: false) == ["AZaz"])
    }

    @Test func emptyAndSeparatorOnlyLinesHaveNoWords() {
        #expect(Self.tokens([], lowercase: false).isEmpty)
        #expect(Self.tokens(Array(" 123 ,.;:!? 456 \t".utf8), lowercase: true).isEmpty)
        #expect(Self.tokens([0x80, 0xFF, 0xC0], lowercase: true).isEmpty)
    }

    @Test func lowercaseModeLowersAsciiWords() {
        #expect(Self.tokens(Array("The QUICK brown FoX, Zebra@Apple".utf8), lowercase: true)
            == ["the", "quick", "brown", "fox", "zebra", "apple"])
    }

    @Test func lettersOfEveryScriptFormWords() {
        let text = "Καλημέρα κόσμε, Привет мир; 漢字テスト ひらがな مرحبا ǅemal kʰa ラーメン"
        let expected = ["Καλημέρα", "κόσμε", "Привет", "мир", "漢字テスト", "ひらがな", "مرحبا", "ǅemal", "kʰa", "ラーメン"]
        #expect(Self.tokens(Array(text.utf8), lowercase: false) == expected)
        #expect(WordTokenizer.words(in: text, lowercase: false) == expected)
        Self.expectMatchesReference(Array(text.utf8))
    }

    @Test func mixedAsciiAndNonAsciiLettersAreOneWord() {
        #expect(Self.tokens(Array("naïve façade Ångström".utf8), lowercase: false) == ["naïve", "façade", "Ångström"])
        #expect(Self.tokens(Array("NAÏVE Ångström".utf8), lowercase: true) == ["naïve", "ångström"])
    }

    @Test func digitsPunctuationEmojiAndCombiningMarksSeparateWords() {
        #expect(Self.tokens(Array("abc123def".utf8), lowercase: false) == ["abc", "def"])
        #expect(Self.tokens(Array("a😀b🇩🇪c".utf8), lowercase: false) == ["a", "b", "c"])
        #expect(Self.tokens(Array("cafe\u{301}x".utf8), lowercase: false) == ["cafe", "x"])  // U+0301 is Mn
        #expect(Self.tokens(Array("x٣y—z«w»".utf8), lowercase: false) == ["x", "y", "z", "w"])  // Arabic-Indic digit, dash, quotes
        #expect(Self.tokens(Array("a\u{A0}b\u{3000}c".utf8), lowercase: false) == ["a", "b", "c"])  // no-break and ideographic spaces
    }

    @Test func unicodeLowercasingMayChangeTheLength() {
        // U+0130 lowercases to "i" plus a combining dot (3 bytes from 2); the reference decides.
        let bytes = Array("İstanbul ΣΟΦΙΑ ǅ".utf8)
        #expect(Self.tokens(bytes, lowercase: true) == Self.reference(bytes, lowercase: true))
        #expect(Self.tokens(bytes, lowercase: true)[0] == "İstanbul".lowercased())
        #expect(Self.tokens(bytes, lowercase: true)[2] == "ǆ")
    }

    @Test(arguments: [
        ([0x61, 0x62, 0x80, 0x63, 0x64], ["ab", "cd"]),                    // lone continuation byte
        ([0x61, 0x62, 0xE4, 0xB8], ["ab"]),                                // truncated at the end of the line
        ([0xE4, 0xB8, 0x41], ["A"]),                                       // truncated, then a letter
        ([0x61, 0xC0, 0xAF, 0x62], ["a", "b"]),                            // overlong two-byte "/"
        ([0x61, 0xC1, 0x81, 0x62], ["a", "b"]),                            // overlong "A" must not become a letter
        ([0x61, 0xE0, 0x81, 0x81, 0x62], ["a", "b"]),                      // overlong three-byte "A"
        ([0x61, 0xF0, 0x80, 0x81, 0x81, 0x62], ["a", "b"]),                // overlong four-byte "A"
        ([0x61, 0xE0, 0x83, 0xA9, 0x62], ["a", "b"]),                      // overlong three-byte "é"
        ([0x61, 0xF0, 0x86, 0xBC, 0xA2, 0x62], ["a", "b"]),                // overlong four-byte "漢"
        ([0x61, 0xED, 0xA0, 0x80, 0x62], ["a", "b"]),                      // UTF-8-encoded surrogate U+D800
        ([0x61, 0xF4, 0x90, 0x80, 0x80, 0x62], ["a", "b"]),                // above U+10FFFF
        ([0x61, 0xF5, 0xFF, 0xFE, 0x62], ["a", "b"]),                      // never-valid bytes
        ([0xCE, 0xB1, 0xCE, 0xCE, 0xB2], ["α", "β"]),                      // a lead byte interrupting a word
        ([0xE6, 0xBC, 0xA2, 0xE6, 0xBC], ["漢"]),                           // valid letter, then truncated
        ([0xF0, 0x9D, 0x90, 0x80, 0xF0, 0x9D, 0x90], ["𝐀"]),                // U+1D400 (Lu, non-BMP), truncated copy
    ] as [([UInt8], [String])])
    func invalidUtf8SeparatesWordsLikeReplacementCharacters(bytes: [UInt8], expected: [String]) {
        #expect(Self.tokens(bytes, lowercase: false) == expected)
        #expect(Self.reference(bytes, lowercase: false) == expected)
        Self.expectMatchesReference(bytes)
    }

    @Test func everyPrefixOfMultiByteLettersIsSafe() {
        let text = Array("aé漢𝐀bΣ".utf8)
        for cut in 0...text.count {
            Self.expectMatchesReference(Array(text[..<cut]))
            Self.expectMatchesReference(Array(text[cut...]))
        }
    }

    @Test func asciiWordsPointIntoTheInputWithoutLowercasing() {
        let bytes = Array("alpha beta gamma délta".utf8)
        bytes.withUnsafeBytes { line in
            let range = UInt(bitPattern: line.baseAddress!)..<UInt(bitPattern: line.baseAddress! + line.count)
            var inside = 0
            WordTokenizer(lowercase: false).forEachWord(in: line) { word in
                if range.contains(UInt(bitPattern: word.baseAddress!)) { inside += 1 }
            }
            #expect(inside == 4)
        }
    }

    @Test func longLinesAndWordsAreHandled() {
        var line = [UInt8](repeating: 0x41, count: 5000)  // one 5000-letter word
        line += Array(" end ".utf8) + [UInt8](repeating: 0x2E, count: 3000) + Array("Tail".utf8)
        let lowered = Self.tokens(line, lowercase: true)
        #expect(lowered == [String(repeating: "a", count: 5000), "end", "tail"])
        Self.expectMatchesReference(line)
    }

    @Test func errorsFromTheBodyStopTheScan() {
        struct Stop: Error {}
        var seen: [String] = []
        let bytes = Array("one two three".utf8)
        #expect(throws: Stop.self) {
            try bytes.withUnsafeBytes { line in
                try WordTokenizer(lowercase: true).forEachWord(in: line) { word in
                    seen.append(String(decoding: word, as: UTF8.self))
                    if seen.count == 2 { throw Stop() }
                }
            }
        }
        #expect(seen == ["one", "two"])
    }

    /// Pieces the fuzz test glues together: ASCII, letters of several scripts and categories,
    /// separators of every kind, and invalid or truncated UTF-8.
    static let pieces: [[UInt8]] = {
        let texts = [
            "a", "Z", "word", "The", "HELLO", " ", "  ", ",", ".", "-", "'", "0", "42", "\t", "_", "@", "[", "`", "{",
            "é", "Ü", "ß", "Σ", "ς", "ж", "Ж", "漢", "字", "テ", "ー", "ひ", "ع", "ǅ", "ʰ", "İ", "ﬁ", "𝐀", "𐐀", "\u{301}",
            "\u{20DD}", "😀", "🇩🇪", "٣", "—", "\u{A0}", "\u{3000}", "\u{FFFD}", "\u{200B}",
        ]
        var pieces = texts.map { Array($0.utf8) }
        pieces += [
            [0x80], [0xBF], [0xC0], [0xC1, 0x81], [0xC3], [0xE4, 0xB8], [0xE0, 0x80, 0xAF], [0xED, 0xA0, 0x80],
            [0xED, 0xBF, 0xBF], [0xF0, 0x9D], [0xF0, 0x80, 0x80, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xF5], [0xFF], [0xFE],
            [0xE0, 0x83, 0xA9], [0xF0, 0x86, 0xBC, 0xA2], [0xC1, 0xA1], [0xF4, 0x8F, 0xBF, 0xBF], [0xEF, 0xBF, 0xBD],
        ]
        return pieces
    }()

    @Test func randomMixturesMatchTheReference() {
        var random = SeededRandom(seed: 2024)
        for _ in 0..<4000 {
            var bytes: [UInt8] = []
            let count = SeededRandom.below(40, using: random.next())
            for _ in 0..<count {
                bytes += Self.pieces[SeededRandom.below(Self.pieces.count, using: random.next())]
            }
            Self.expectMatchesReference(bytes)
        }
    }

    @Test func randomBytesMatchTheReference() {
        var random = SeededRandom(seed: 99)
        for round in 0..<3000 {
            let count = SeededRandom.below(48, using: random.next())
            // Half the inputs favour letters and high bytes so that multi-byte paths are exercised.
            let bytes = (0..<count).map { _ -> UInt8 in
                let bits = random.next()
                if round % 2 == 0 { return UInt8(truncatingIfNeeded: bits) }
                let choices: [UInt8] = [0x61, 0x41, 0x20, 0xC3, 0xA9, 0xCE, 0xA3, 0xE6, 0xBC, 0xA2, 0xF0, 0x9D, 0x90, 0x80]
                return choices[SeededRandom.below(choices.count, using: bits)]
            }
            Self.expectMatchesReference(bytes)
        }
    }
}

/// Exhaustive checks over whole Unicode planes, against the reference and the stdlib.
@Suite struct WordTokenizerUnicodeTests {
    @Test(arguments: [0, 1, 2])
    func everyScalarOfThePlaneIsClassifiedAndLowercasedLikeTheReference(plane: Int) {
        // Lines of 256 scalars, each scalar alone ("x" around it) and runs of consecutive scalars.
        for block in stride(from: plane << 16, to: (plane + 1) << 16, by: 256) {
            var alone = String.UnicodeScalarView()
            var run = String.UnicodeScalarView()
            for value in block..<block + 256 {
                guard let scalar = Unicode.Scalar(UInt32(value)) else { continue }
                alone.append(contentsOf: [" ", scalar, "Q", " "])
                run.append(scalar)
            }
            for text in [String(alone), String(run)] {
                for lowercase in [false, true] {
                    #expect(WordTokenizerTests.tokens(Array(text.utf8), lowercase: lowercase)
                        == WordTokenizer.words(in: text, lowercase: lowercase), "block \(String(block, radix: 16)), lowercase \(lowercase)")
                }
            }
        }
    }

    @Test func bmpLowercasingNeverGrowsBeyondHalfAgain() {
        for value in UInt32(0)..<0x10000 {
            guard let scalar = Unicode.Scalar(value), UnicodeLetters.shared.isLetter(value) else { continue }
            let lower = scalar.properties.lowercaseMapping
            #expect(2 * lower.utf8.count <= 3 * String(scalar).utf8.count || lower.unicodeScalars.count > 1,
                "U+\(String(value, radix: 16))")
        }
    }
}
