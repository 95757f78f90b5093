import Testing
@testable import SpindleCore

/// Encodes `value`, decodes the whole buffer back and expects equality.
private func expectRoundTrip<T: WireCodable & Equatable>(
    _ value: T, sourceLocation: SourceLocation = #_sourceLocation
) throws {
    let bytes = value.wireEncoded()
    #expect(!bytes.isEmpty, "every encoding takes at least one byte", sourceLocation: sourceLocation)
    let decoded = try WireReader.decode(T.self, from: bytes)
    #expect(decoded == value, sourceLocation: sourceLocation)
}

/// A user type that relies on the Codable adapter.
private struct Recipe: WireCodableViaCodable, Equatable {
    enum Difficulty: String, Codable { case easy, hard }
    var title: String
    var servings: Int
    var difficulty: Difficulty
    var ingredients: [String]
    var rating: Double?
}

@Suite struct WireCodableTests {
    @Test(arguments: [Int.min, Int.min + 1, -65, -64, -1, 0, 1, 63, 64, 1 << 40, Int.max - 1, Int.max])
    func intRoundTrips(value: Int) throws {
        try expectRoundTrip(value)
        try expectRoundTrip(Int64(value))
    }

    @Test(arguments: [Int32.min, -1, 0, 1, Int32.max])
    func smallSignedIntegersRoundTrip(value: Int32) throws {
        try expectRoundTrip(value)
        try expectRoundTrip(Int16(truncatingIfNeeded: value))
        try expectRoundTrip(Int8(truncatingIfNeeded: value))
        try expectRoundTrip(Int16.min)
        try expectRoundTrip(Int8.min)
    }

    @Test(arguments: [UInt64.min, 1, 127, 128, 16383, 16384, UInt64(UInt32.max), UInt64.max - 1, UInt64.max])
    func unsignedIntegersRoundTrip(value: UInt64) throws {
        try expectRoundTrip(value)
        try expectRoundTrip(UInt(value))
        try expectRoundTrip(UInt32(truncatingIfNeeded: value))
        try expectRoundTrip(UInt16(truncatingIfNeeded: value))
        try expectRoundTrip(UInt8(truncatingIfNeeded: value))
    }

    @Test(arguments: [0.0, -0.0, 1.5, -2.25e-300, .infinity, -.infinity, .nan, -.nan, .signalingNaN,
                      Double(nan: 0x1234, signaling: false), .leastNonzeroMagnitude, .greatestFiniteMagnitude])
    func doubleBitPatternsRoundTrip(value: Double) throws {
        let decoded = try WireReader.decode(Double.self, from: value.wireEncoded())
        #expect(decoded.bitPattern == value.bitPattern)
        let float = Float(value)
        let decodedFloat = try WireReader.decode(Float.self, from: float.wireEncoded())
        #expect(decodedFloat.bitPattern == float.bitPattern)
        #expect(value.wireEncoded().count == 8)
        #expect(float.wireEncoded().count == 4)
    }

    @Test(arguments: [false, true])
    func boolRoundTrips(value: Bool) throws {
        try expectRoundTrip(value)
        #expect(value.wireEncoded() == [value ? 1 : 0])
    }

    @Test(arguments: ["", "a", "héllo wörld", "日本語のテキスト", "🧵🪡👩‍👩‍👧", "nul\u{0}inside", String(repeating: "x", count: 300)])
    func stringsRoundTrip(value: String) throws {
        try expectRoundTrip(value)
        try expectRoundTrip(ByteString(value))
        #expect(value.wireEncoded() == ByteString(value).wireEncoded(), "String and ByteString share a wire form")
    }

    @Test func nestedArraysOfOptionalsRoundTrip() throws {
        let value: [[Int?]] = [[], [nil], [1, nil, -3], [Int.min, Int.max, nil]]
        try expectRoundTrip(value)
        try expectRoundTrip([[String?]]([[nil, "x"], [], ["", nil]]))
        try expectRoundTrip([[[UInt8]]]([[[]], [[1, 2, 3], [255]], []]))
        try expectRoundTrip([Bool]())
        try expectRoundTrip([Double?]([1, nil, 2]))
    }

    @Test func nestedOptionalsStayDistinct() throws {
        let none: Int?? = .none
        let someNone: Int?? = .some(.none)
        let someSome: Int?? = .some(.some(5))
        #expect(none.wireEncoded() == [0])
        #expect(someNone.wireEncoded() == [1, 0])
        #expect(someSome.wireEncoded() == [1, 1, 10])
        try expectRoundTrip(none)
        try expectRoundTrip(someNone)
        try expectRoundTrip(someSome)
    }

    @Test func pairsRoundTrip() throws {
        try expectRoundTrip(Pair(ByteString("key"), 42))
        try expectRoundTrip(Pair(Pair("a", UInt64.max), [Pair(Int8.min, Optional<Bool>.none)]))
        #expect(Pair(UInt8(7), UInt8(9)).wireEncoded() == [7, 9], "a pair is its components back to back")
    }

    @Test func codableStructRoundTripsThroughAdapter() throws {
        let recipe = Recipe(title: "Crêpes", servings: 4, difficulty: .easy, ingredients: ["flour", "egg", "milk"], rating: 4.5)
        try expectRoundTrip(recipe)
        try expectRoundTrip([recipe, Recipe(title: "", servings: -1, difficulty: .hard, ingredients: [], rating: nil)])
        try expectRoundTrip(Pair(recipe, Optional(recipe)))
    }

    @Test func codableAdapterKeepsNonFiniteFloats() throws {
        let recipe = Recipe(title: "t", servings: 0, difficulty: .hard, ingredients: [], rating: -.infinity)
        let decoded = try WireReader.decode(Recipe.self, from: recipe.wireEncoded())
        #expect(decoded.rating == -.infinity)
        let nan = Recipe(title: "t", servings: 0, difficulty: .hard, ingredients: [], rating: .nan)
        #expect(try WireReader.decode(Recipe.self, from: nan.wireEncoded()).rating?.isNaN == true)
    }

    @Test func codableAdapterEncodesDeterministically() {
        let a = Recipe(title: "x", servings: 1, difficulty: .easy, ingredients: ["a"], rating: 1)
        #expect(a.wireEncoded() == a.wireEncoded())
    }

    @Test func exactWireForms() {
        #expect(UInt64(300).wireEncoded() == [0xAC, 0x02])
        #expect(UInt64.max.wireEncoded() == [UInt8](repeating: 0xFF, count: 9) + [0x01])
        #expect(Int(0).wireEncoded() == [0])
        #expect(Int(-1).wireEncoded() == [1])
        #expect(Int(1).wireEncoded() == [2])
        #expect(Int64.min.wireEncoded() == [UInt8](repeating: 0xFF, count: 9) + [0x01])
        #expect(Int8(-1).wireEncoded() == [0xFF])
        #expect(Double(1.0).wireEncoded() == [0, 0, 0, 0, 0, 0, 0xF0, 0x3F])
        #expect("hi".wireEncoded() == [2, 0x68, 0x69])
        #expect([Int](arrayLiteral: 1, -1).wireEncoded() == [2, 2, 1])
        #expect(Optional<UInt8>.none.wireEncoded() == [0])
    }

    @Test func byteArrayFastPathMatchesElementwiseForm() throws {
        let bytes: [UInt8] = (0 ..< 200).map { UInt8(truncatingIfNeeded: $0 &* 37) }
        var expected = WireWriter()
        expected.writeVarint(UInt64(bytes.count))
        for byte in bytes { expected.writeByte(byte) }
        #expect(bytes.wireEncoded() == expected.bytes)
        try expectRoundTrip(bytes)
    }

    @Test func writerPrimitivesAreLittleEndianAndReadBack() throws {
        var writer = WireWriter()
        writer.writeFixed(UInt32(0x0102_0304))
        writer.writeFixed(Int16(-2))
        writer.writeZigZag(-300)
        writer.writeLengthPrefixed([UInt8]([9, 8]))
        [UInt8]([7, 7]).withUnsafeBytes { writer.writeRaw($0) }
        #expect(Array(writer.bytes.prefix(6)) == [4, 3, 2, 1, 0xFE, 0xFF])
        try WireReader.withReader(over: writer.bytes) { reader in
            #expect(try reader.readFixed(UInt32.self) == 0x0102_0304)
            #expect(try reader.readFixed(Int16.self) == -2)
            #expect(try reader.readZigZag() == -300)
            #expect(Array(try reader.readLengthPrefixed()) == [9, 8])
            #expect(reader.remaining == 2)
            #expect(Array(try reader.readRaw(count: 2)) == [7, 7])
            #expect(reader.isAtEnd)
            try reader.expectEnd()
        }
        writer.removeAll(keepingCapacity: true)
        #expect(writer.bytes.isEmpty)
    }

    @Test func valuesConcatenateAndReadInSequence() throws {
        var writer = WireWriter()
        writer.write("first")
        writer.write(-7)
        writer.write([ByteString("a"), ByteString("bc")])
        writer.write(Optional(true))
        try WireReader.withReader(over: writer.bytes) { reader in
            #expect(try reader.read(String.self) == "first")
            #expect(try reader.read(Int.self) == -7)
            #expect(try reader.read([ByteString].self) == ["a", "bc"])
            #expect(try reader.read(Bool?.self) == true)
            try reader.expectEnd()
        }
    }

    @Test func readRawReturnsSliceWithoutCopying() throws {
        let bytes: [UInt8] = [1, 2, 3, 4, 5]
        try bytes.withUnsafeBytes { raw in
            var reader = WireReader(raw)
            _ = try reader.readByte()
            let slice = try reader.readRaw(count: 3)
            #expect(slice.baseAddress == raw.baseAddress! + 1)
            #expect(Array(slice) == [2, 3, 4])
            #expect(reader.offset == 4)
        }
    }
}
