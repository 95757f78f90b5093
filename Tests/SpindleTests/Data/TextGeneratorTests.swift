@testable import Spindle
@testable import SpindleTools
import SpindleCore
import SpindlePosix
import Testing

/// The text generator is deterministic, exact in size, and Zipf-like in its word frequencies.
@Suite struct TextGeneratorTests {
    static func generate(size: Int, seed: UInt64) throws -> [UInt8] {
        let dir = try TemporaryDirectory()
        let path = dir.file("text.txt")
        try TextGenerator.write(to: path, size: size, seed: seed)
        return try FileSystem.readFile(path)
    }

    @Test func sameSeedGivesSameBytesAndOtherSeedsDiffer() throws {
        let first = try Self.generate(size: 300_000, seed: 7)
        let second = try Self.generate(size: 300_000, seed: 7)
        let other = try Self.generate(size: 300_000, seed: 8)
        #expect(first == second)
        #expect(first != other)
    }

    @Test(arguments: [0, 1, 2, 3, 100, 4095, 65_537, (4 << 20) + 13])
    func writesExactlyTheRequestedSizeEndingInNewline(size: Int) throws {
        let bytes = try Self.generate(size: size, seed: 3)
        #expect(bytes.count == size)
        if size > 0 { #expect(bytes.last == 0x0A) }
        #expect(bytes.allSatisfy { $0 < 0x80 && ($0 >= 0x20 || $0 == 0x0A) })
    }

    @Test func aShorterFileIsAPrefixOfALongerOneExceptItsLastByte() throws {
        let long = try Self.generate(size: 50_000, seed: 11)
        let short = try Self.generate(size: 20_000, seed: 11)
        #expect(Array(long[..<19_999]) == Array(short[..<19_999]))
    }

    @Test func linesHaveNaturalLengthsAndSentences() throws {
        let bytes = try Self.generate(size: 1 << 20, seed: 5)
        let lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false).dropLast(2)  // last line may be cut
        let average = Double(lines.reduce(0) { $0 + $1.count }) / Double(lines.count)
        #expect(average >= 60 && average <= 80, "average line length \(average)")
        for line in lines {
            let words = line.split(separator: 0x20)
            #expect(words.count >= 5 && words.count <= 20)
            #expect(line.first != 0x20 && line.last != 0x20)
        }
        let periods = bytes.filter { $0 == 0x2E }.count
        let commas = bytes.filter { $0 == 0x2C }.count
        let capitals = bytes.filter { $0 >= 0x41 && $0 <= 0x5A }.count
        #expect(periods > 1000 && commas > 1000)
        #expect(abs(capitals - periods) <= 1)  // each sentence starts with one capital and ends with "."
    }

    @Test func vocabularyHasFiftyThousandDistinctWordsStartingWithCommonOnes() {
        let vocabulary = TextVocabulary(count: TextGenerator.vocabularySize, seed: 1)
        #expect(vocabulary.count == 50_000)
        let words = (0..<vocabulary.count).map(vocabulary.word)
        #expect(Set(words).count == 50_000)
        #expect(Array(words.prefix(3)) == ["the", "of", "and"])
        #expect(words.allSatisfy { !$0.isEmpty && $0.utf8.allSatisfy { $0 >= 0x61 && $0 <= 0x7A } })
        #expect(TextVocabulary(count: 50_000, seed: 1).bytes == vocabulary.bytes)
    }

    @Test func wordFrequenciesFollowZipf() throws {
        let bytes = try Self.generate(size: 10 << 20, seed: 21)
        var counts: [UInt64: Int] = [:]
        var total = 0
        let tokenizer = WordTokenizer(lowercase: true)
        bytes.withUnsafeBytes { all in
            tokenizer.forEachWord(in: all) { word in
                counts[StableHash.hash(word), default: 0] += 1
                total += 1
            }
        }
        #expect(counts.count >= 20_000 && counts.count <= 50_000, "distinct words \(counts.count)")
        let sorted = counts.values.sorted(by: >)
        // Zipf(1) over 50,000 ranks: the top word has share 1 / H(50000), about 8.9%, rank 10 a tenth of that.
        let topShare = Double(sorted[0]) / Double(total)
        #expect(topShare > 0.075 && topShare < 0.10, "top share \(topShare)")
        #expect(counts[StableHash.hash(Array("the".utf8))] == sorted[0])
        let ratio = Double(sorted[0]) / Double(sorted[9])
        #expect(ratio > 7 && ratio < 14, "rank 1 / rank 10 = \(ratio)")
        let ratio100 = Double(sorted[0]) / Double(sorted[99])
        #expect(ratio100 > 70 && ratio100 < 140, "rank 1 / rank 100 = \(ratio100)")
    }

    @Test func zipfSamplerMatchesItsProbabilities() {
        let sampler = ZipfSampler(count: 20)
        var random = SeededRandom(seed: 4)
        var hits = [Int](repeating: 0, count: 20)
        let draws = 400_000
        for _ in 0..<draws { hits[sampler.rank(random.next())] += 1 }
        for rank in 0..<20 {
            let expected = sampler.probability(of: rank) * Double(draws)
            #expect(abs(Double(hits[rank]) - expected) < 5 * expected.squareRoot() + 1, "rank \(rank): \(hits[rank]) vs \(expected)")
        }
    }

    @Test func seededRandomIsDeterministicPerSeedAndStream() {
        var a = SeededRandom(seed: 1)
        var b = SeededRandom(seed: 1)
        var c = SeededRandom(seed: 1, stream: 2)
        let first = (0..<8).map { _ in a.next() }
        #expect(first == (0..<8).map { _ in b.next() })
        #expect(first != (0..<8).map { _ in c.next() })
        #expect(Set(first).count == 8)
    }
}
