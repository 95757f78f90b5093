import Testing
@testable import SpindleCore

/// A valid encoding together with a way to decode it as its type.
private struct EncodedSample: Sendable, CustomTestStringConvertible {
    var name: String
    var bytes: [UInt8]
    var decode: @Sendable ([UInt8]) throws -> Void
    var testDescription: String { name }

    init<T: WireCodable & Sendable>(_ name: String, _ value: T) {
        self.name = name
        self.bytes = value.wireEncoded()
        self.decode = { _ = try WireReader.decode(T.self, from: $0) }
    }
}

private struct Point: WireCodableViaCodable, Equatable { var x: Int; var y: Int }

private let samples: [EncodedSample] = [
    EncodedSample("UInt64.max", UInt64.max),
    EncodedSample("Int.min", Int.min),
    EncodedSample("UInt16", UInt16(40_000)),
    EncodedSample("Double", -0.0),
    EncodedSample("Float", Float.pi),
    EncodedSample("Bool", true),
    EncodedSample("String", "héllo 🧵"),
    EncodedSample("ByteString", ByteString([0, 255, 7])),
    EncodedSample("[[Int?]]", [[Int?]]([[1, nil, -300], [], [nil]])),
    EncodedSample("[UInt8]", [UInt8](0 ..< 20)),
    EncodedSample("Int??", Optional(Optional(5))),
    EncodedSample("Pair", Pair("key", [Pair(UInt32.max, Double.infinity)])),
    EncodedSample("Codable", Point(x: -1, y: 2)),
]

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

@Suite struct WireMalformedInputTests {
    @Test(arguments: samples)
    fileprivate func everyStrictPrefixOfAValidEncodingThrows(sample: EncodedSample) throws {
        try sample.decode(sample.bytes)
        for length in 0 ..< sample.bytes.count {
            #expect(throws: (any Error).self, "prefix of \(length) bytes") {
                try sample.decode(Array(sample.bytes.prefix(length)))
            }
        }
    }

    @Test(arguments: samples)
    fileprivate func trailingBytesAreRejectedByWholeBufferDecode(sample: EncodedSample) {
        #expect(throws: WireError.trailingBytes(count: 2)) { try sample.decode(sample.bytes + [0, 0]) }
    }

    @Test func truncationReportsNeededAndAvailable() {
        #expect(throws: WireError.truncated(needed: 8, available: 3)) { try WireReader.decode(Double.self, from: [0, 0, 0]) }
        #expect(throws: WireError.truncated(needed: 1, available: 0)) { try WireReader.decode(Bool.self, from: []) }
        #expect(throws: WireError.truncated(needed: 3, available: 2)) { try WireReader.decode(UInt64.self, from: [0x80, 0x80]) }
    }

    @Test func overlongVarintIsInvalid() throws {
        let eleven = [UInt8](repeating: 0x80, count: 10) + [0x01]
        #expect(throws: WireError.self) { try WireReader.decode(UInt64.self, from: eleven) }
        let tenthByteTooBig = [UInt8](repeating: 0xFF, count: 9) + [0x02]
        #expect {
            try WireReader.decode(UInt64.self, from: tenthByteTooBig)
        } throws: { error in
            if case WireError.invalidValue(type: "varint", detail: _) = error { return true }
            return false
        }
        let topBitOnly = [UInt8](repeating: 0x80, count: 9) + [0x01]
        #expect(try WireReader.decode(UInt64.self, from: topBitOnly) == 1 << 63)
        #expect(try WireReader.decode(UInt64.self, from: [0x81, 0x80, 0x00]) == 1, "non-minimal varints within 10 bytes are accepted")
    }

    @Test func integersOutOfRangeForTheirTypeAreInvalid() {
        let big = UInt64(70_000).wireEncoded()
        #expect(throws: WireError.invalidValue(type: "UInt16", detail: "70000 is above 65535")) { try WireReader.decode(UInt16.self, from: big) }
        #expect(throws: WireError.self) { try WireReader.decode(UInt32.self, from: UInt64.max.wireEncoded()) }
        #expect(throws: WireError.self) { try WireReader.decode(Int32.self, from: Int64.max.wireEncoded()) }
        #expect(throws: WireError.self) { try WireReader.decode(Int16.self, from: (Int64(Int16.min) - 1).wireEncoded()) }
    }

    @Test func boolByteTwoIsInvalid() {
        #expect(throws: WireError.invalidValue(type: "Bool", detail: "byte 2 is neither 0 nor 1")) { try WireReader.decode(Bool.self, from: [2]) }
    }

    @Test func optionalTagSevenIsInvalid() {
        #expect(throws: WireError.invalidValue(type: "Optional", detail: "tag byte 7 is neither 0 nor 1")) {
            try WireReader.decode(Int?.self, from: [7, 0])
        }
    }

    @Test func arrayCountLargerThanRemainingIsRejectedBeforeAllocating() {
        let hugeCount = UInt64(UInt32.max).wireEncoded() + [1, 2]
        #expect(throws: WireError.lengthTooLarge(length: UInt64(UInt32.max), remaining: 2)) { try WireReader.decode([Int].self, from: hugeCount) }
        #expect(throws: WireError.lengthTooLarge(length: UInt64(UInt32.max), remaining: 2)) { try WireReader.decode([UInt8].self, from: hugeCount) }
        #expect(throws: WireError.lengthTooLarge(length: UInt64.max, remaining: 0)) { try WireReader.decode([String].self, from: UInt64.max.wireEncoded()) }
    }

    @Test func stringLengthLargerThanRemainingIsRejected() {
        #expect(throws: WireError.lengthTooLarge(length: 5, remaining: 2)) { try WireReader.decode(String.self, from: [5, 0x61, 0x62]) }
        #expect(throws: WireError.lengthTooLarge(length: UInt64.max, remaining: 0)) { try WireReader.decode(ByteString.self, from: UInt64.max.wireEncoded()) }
    }

    @Test func invalidUTF8IsRepairedNotRejected() throws {
        let decoded = try WireReader.decode(String.self, from: [4, 0xFF, 0x61, 0xC3, 0x28])
        #expect(decoded == "\u{FFFD}a\u{FFFD}(")
        #expect(ByteString([0xFF, 0x62]).description == "\u{FFFD}b")
    }

    @Test func failedPrimitiveReadLeavesOffsetUnchanged() throws {
        try WireReader.withReader(over: [0x01, 0x80, 0x80]) { reader in
            _ = try reader.readByte()
            #expect(throws: WireError.self) { try reader.readVarint() }
            #expect(reader.offset == 1)
            #expect(throws: WireError.self) { try reader.readLengthPrefixed() }
            #expect(reader.offset == 1)
            #expect(throws: WireError.self) { try reader.readFixed(UInt32.self) }
            #expect(reader.offset == 1)
            #expect(throws: WireError.self) { try reader.readRaw(count: -1) }
            #expect(throws: WireError.trailingBytes(count: 2)) { try reader.expectEnd() }
        }
    }

    @Test func garbageJSONThroughAdapterIsInvalidValue() {
        let notJSON = "{\"x\": 1".wireEncoded()
        #expect {
            try WireReader.decode(Point.self, from: notJSON)
        } throws: { error in
            guard case let WireError.invalidValue(type, detail) = error else { return false }
            return type == "Point" && !detail.isEmpty
        }
        #expect(throws: WireError.self) { try WireReader.decode(Point.self, from: "{\"x\": 1}".wireEncoded()) }
    }

    @Test func randomBytesNeverCrashTheDecoder() {
        var generator = SeededGenerator(state: 42)
        var successes = 0
        for _ in 0 ..< 3000 {
            let length = Int.random(in: 0 ... 24, using: &generator)
            let bytes = (0 ..< length).map { _ in
                // Bias towards small bytes so counts and tags are often plausible.
                Bool.random(using: &generator) ? UInt8.random(in: 0 ... 3, using: &generator) : UInt8.random(in: 0 ... 255, using: &generator)
            }
            if (try? WireReader.decode([Pair<String?, [Int]>].self, from: bytes)) != nil { successes += 1 }
            _ = try? WireReader.decode([[Bool?]].self, from: bytes)
            _ = try? WireReader.decode(Pair<Double, ByteString>.self, from: bytes)
        }
        #expect(successes > 0, "some random inputs should decode")
    }

    @Test func errorDescriptionsAreSentences() {
        let errors: [any Error & CustomStringConvertible] = [
            WireError.truncated(needed: 4, available: 1), WireError.invalidValue(type: "Bool", detail: "byte 2"),
            WireError.trailingBytes(count: 3), WireError.lengthTooLarge(length: 9, remaining: 1),
            FrameError.oversized(length: 99, maximum: 16), FrameError.emptyFrame,
        ]
        for error in errors {
            #expect(error.description.first?.isUppercase == true)
            #expect(error.description.hasSuffix("."))
        }
    }
}
