import Testing
import SpindleCore

@Suite struct CRC32CTests {
    /// Deterministic splitmix64 sequence for reproducible "random" data and split points.
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

    /// Straightforward bit-at-a-time reference implementation.
    private static func reference(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for b in bytes {
            crc ^= UInt32(b)
            for _ in 0..<8 { crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x82F6_3B78 : crc >> 1 }
        }
        return ~crc
    }

    @Test func checkValueOf123456789() {
        #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
        Array("123456789".utf8).withUnsafeBytes { #expect(CRC32C.checksum($0) == 0xE306_9283) }
    }

    @Test func emptyInputIsZero() {
        #expect(CRC32C.checksum([UInt8]()) == 0)
        #expect(CRC32C().value == 0)
        #expect(CRC32C.checksum(UnsafeRawBufferPointer(start: nil, count: 0)) == 0)
    }

    @Test func knownVectorsFromRFC3720() {
        #expect(CRC32C.checksum([UInt8](repeating: 0, count: 32)) == 0x8A91_36AA)
        #expect(CRC32C.checksum([UInt8](repeating: 0xFF, count: 32)) == 0x62A8_AB43)
        #expect(CRC32C.checksum((0..<32).map { UInt8($0) }) == 0x46DD_794E)
        #expect(CRC32C.checksum((0..<32).map { UInt8(31 - $0) }) == 0x113F_DB5C)
    }

    @Test func matchesBitwiseReferenceForAllShortLengths() {
        var rng = SeededGenerator(state: 7)
        let data = (0..<200).map { _ in UInt8.random(in: 0...255, using: &rng) }
        for n in 0...data.count {
            let prefix = Array(data[0..<n])
            #expect(CRC32C.checksum(prefix) == Self.reference(prefix), "length \(n)")
        }
    }

    @Test func incrementalEqualsOneShotOverRandomSplits() {
        var rng = SeededGenerator(state: 42)
        let data = (0..<10_000).map { _ in UInt8.random(in: 0...255, using: &rng) }
        let expected = CRC32C.checksum(data)
        #expect(expected == Self.reference(data))
        for _ in 0..<50 {
            var crc = CRC32C()
            var start = 0
            while start < data.count {
                let end = min(data.count, start + Int.random(in: 0...300, using: &rng))
                data[start..<end].withUnsafeBytes { crc.update($0) }
                start = end
            }
            #expect(crc.value == expected)
        }
    }

    @Test func valueCanBeReadMidStream() {
        var crc = CRC32C()
        crc.update(Array("1234".utf8))
        #expect(crc.value == CRC32C.checksum(Array("1234".utf8)))
        crc.update(Array("56789".utf8))
        #expect(crc.value == 0xE306_9283)
    }

    @Test func nonContiguousCollectionMatchesArray() {
        let bytes = Array("123456789".utf8)
        #expect(CRC32C.checksum(bytes.lazy.map { $0 }) == 0xE306_9283)
    }

    @Test func singleBitFlipChangesChecksum() {
        var data = [UInt8](repeating: 0x55, count: 64)
        let original = CRC32C.checksum(data)
        for i in data.indices {
            for bit in 0..<8 {
                data[i] ^= UInt8(1 << bit)
                #expect(CRC32C.checksum(data) != original)
                data[i] ^= UInt8(1 << bit)
            }
        }
    }

    /// The table code the instruction path must agree with, fed the same bytes.
    private static func tablesOnly(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        var crc = CRC32C()
        crc.update(tablesOnly: bytes)
        return crc.value
    }

    /// Every length up to 1100 (every tail and the short three-lane loop) and lengths around the long loop's
    /// 6144-byte rounds, each at all eight alignments, over random bytes.
    @Test func instructionPathEqualsTablesAtEveryLengthAndAlignment() {
        var rng = SeededGenerator(state: 2026)
        let data = (0..<(3 * 6144 + 1024)).map { _ in UInt8.random(in: 0...255, using: &rng) }
        let lengths = Array(0...1100) + [6143, 6144, 6145, 6144 + 383, 6144 + 384, 6144 + 385, 2 * 6144 + 391, 3 * 6144 + 1000]
        data.withUnsafeBytes { all in
            for offset in 0..<8 {
                for length in lengths {
                    let bytes = UnsafeRawBufferPointer(rebasing: all[offset..<(offset + length)])
                    #expect(CRC32C.checksum(bytes) == Self.tablesOnly(bytes), "offset \(offset), length \(length)")
                }
            }
        }
    }

    /// Both paths continue from any register, so a checksum split anywhere between them still agrees.
    @Test func instructionAndTablePathsContinueEachOther() {
        var rng = SeededGenerator(state: 99)
        let data = (0..<20_000).map { _ in UInt8.random(in: 0...255, using: &rng) }
        let expected = data.withUnsafeBytes { Self.tablesOnly($0) }
        #expect(expected == Self.reference(data))
        data.withUnsafeBytes { all in
            for _ in 0..<40 {
                let cut = Int.random(in: 0...all.count, using: &rng)
                var crc = CRC32C()
                crc.update(tablesOnly: UnsafeRawBufferPointer(rebasing: all[..<cut]))
                crc.update(UnsafeRawBufferPointer(rebasing: all[cut...]))
                #expect(crc.value == expected, "cut at \(cut)")
            }
        }
    }
}
