import Testing
@testable import SpindleCore

/// Deterministic pseudo-random numbers (SplitMix64) so failures reproduce.
private struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Random bytes from a small alphabet (so long shared prefixes are common) that includes high bytes.
private func randomBytes(_ generator: inout SeededGenerator, maxLength: Int) -> [UInt8] {
    let alphabet: [UInt8] = [0x00, 0x01, 0x41, 0x7F, 0x80, 0xFE, 0xFF]
    let length = Int.random(in: 0 ... maxLength, using: &generator)
    return (0 ..< length).map { _ in alphabet.randomElement(using: &generator)! }
}

@Suite struct ByteStringTests {
    @Test(arguments: [
        ([UInt8](), [UInt8]()), ([], [0]), ([0], []), ([1, 2], [1, 2, 0]), ([0xFF], [0x00, 0x00]),
        ([0x7F], [0x80]), ([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 2, 3, 4, 5, 6, 7, 8, 10]),
        ([1, 2, 3, 4, 5, 6, 7, 8], [1, 2, 3, 4, 5, 6, 7, 8]), ([0, 0, 0, 0, 0, 0, 0, 0x80], [0, 0, 0, 0, 0, 0, 0, 0x7F, 0xFF]),
    ])
    func orderingMatchesLexicographicallyPrecedes(lhs: [UInt8], rhs: [UInt8]) {
        #expect((ByteString(lhs) < ByteString(rhs)) == lhs.lexicographicallyPrecedes(rhs))
        #expect((ByteString(rhs) < ByteString(lhs)) == rhs.lexicographicallyPrecedes(lhs))
    }

    @Test func randomOrderingMatchesLexicographicallyPrecedes() {
        var generator = SeededGenerator(state: 7)
        for _ in 0 ..< 5000 {
            let a = randomBytes(&generator, maxLength: 20)
            var b = randomBytes(&generator, maxLength: 20)
            if Bool.random(using: &generator) { b = a + b }  // force shared prefixes across the 8-byte chunks
            #expect((ByteString(a) < ByteString(b)) == a.lexicographicallyPrecedes(b), "\(a) vs \(b)")
            let sign = a.withUnsafeBytes { x in b.withUnsafeBytes { y in ByteString.compare(x, y) } }
            #expect(sign.signum() == (a == b ? 0 : (a.lexicographicallyPrecedes(b) ? -1 : 1)))
        }
    }

    @Test func sortingAgreesWithByteArraySorting() {
        var generator = SeededGenerator(state: 11)
        let arrays = (0 ..< 500).map { _ in randomBytes(&generator, maxLength: 12) }
        let sortedByteStrings = arrays.map(ByteString.init).sorted().map(\.bytes)
        #expect(sortedByteStrings == arrays.sorted { $0.lexicographicallyPrecedes($1) })
    }

    @Test func orderingIsConsistentWithStringOrderForASCII() {
        var generator = SeededGenerator(state: 3)
        let letters = Array("aAbZz09 ~-_")
        for _ in 0 ..< 2000 {
            let s = String((0 ..< Int.random(in: 0 ... 10, using: &generator)).map { _ in letters.randomElement(using: &generator)! })
            let t = String((0 ..< Int.random(in: 0 ... 10, using: &generator)).map { _ in letters.randomElement(using: &generator)! })
            #expect((ByteString(s) < ByteString(t)) == (s < t), "\(s) vs \(t)")
        }
    }

    @Test func initialisersAgree() {
        let fromLiteral: ByteString = "héllo"
        let fromString = ByteString("héllo")
        let fromBytes = ByteString(Array("héllo".utf8))
        let fromBuffer = Array("héllo".utf8).withUnsafeBytes { ByteString($0) }
        #expect(fromLiteral == fromString)
        #expect(fromString == fromBytes)
        #expect(fromBytes == fromBuffer)
        #expect(fromLiteral.count == 6)
        #expect(fromLiteral.description == "héllo")
        #expect(ByteString().isEmpty)
        #expect(fromLiteral.withUnsafeBytes { $0.first } == 0x68)
    }

    @Test func equalBytesHashEqually() {
        let set: Set<ByteString> = ["a", ByteString([0x61]), "b", ByteString("b")]
        #expect(set.count == 2)
        #expect(ByteString([1, 2]).hashValue == ByteString([1, 2]).hashValue)
    }

    @Test func wireFormIsLengthThenBytes() throws {
        let value = ByteString([0, 0xFF, 0x10])
        #expect(value.wireEncoded() == [3, 0, 0xFF, 0x10])
        #expect(try WireReader.decode(ByteString.self, from: value.wireEncoded()) == value)
        #expect(try WireReader.decode(ByteString.self, from: [0]) == ByteString())
        let long = ByteString([UInt8](repeating: 9, count: 200))
        #expect(Array(long.wireEncoded().prefix(2)) == [0xC8, 0x01])
        #expect(try WireReader.decode(ByteString.self, from: long.wireEncoded()) == long)
    }
}

@Suite struct PairTests {
    @Test func orderingIsLexicographic() {
        #expect(Pair(1, "z") < Pair(2, "a"))
        #expect(Pair(1, "a") < Pair(1, "b"))
        #expect(!(Pair(1, "b") < Pair(1, "b")))
        let pairs = [Pair(2, 1), Pair(1, 3), Pair(1, 1), Pair(0, 9)]
        #expect(pairs.sorted() == [Pair(0, 9), Pair(1, 1), Pair(1, 3), Pair(2, 1)])
    }

    @Test func hashingAndDescription() {
        #expect(Set([Pair("a", 1), Pair("a", 1), Pair("a", 2)]).count == 2)
        #expect(Pair(ByteString("k"), 3).description == "(k, 3)")
    }
}
