import Testing
import SpindleCore

@Suite struct StableHashTests {
    private static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    /// Pinned outputs: these must never change, or shuffle partitioning changes between builds.
    @Test func knownOutputsArePinned() {
        #expect(StableHash.hash([UInt8]()) == 0xB5E3_9FC9_2A6A_208D)
        #expect(StableHash.hash(Self.bytes("a")) == 0x9467_EEDD_2BC3_2F58)
        #expect(StableHash.hash(Self.bytes("spindle")) == 0x9C90_94DB_4AF1_E040)
        #expect(StableHash.hash(Self.bytes("the quick brown fox")) == 0x72F2_38CD_A6AF_C08B)
        #expect(StableHash.hash((0..<100).map { UInt8($0) }) == 0x8770_D95C_A532_1DEC)
        #expect(StableHash.hash(0 as UInt64) == 0xE220_A839_7B1D_CDAF)
        #expect(StableHash.hash(42 as UInt64) == 0xBDD7_3226_2FEB_6E95)
    }

    @Test func oneByteChangeAtAnyPositionChangesHash() {
        for length in 0...40 {
            let base = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
            let baseHash = StableHash.hash(base)
            for position in 0..<length {
                for delta: UInt8 in [1, 0x80, 0xFF] {
                    var changed = base
                    changed[position] ^= delta
                    #expect(StableHash.hash(changed) != baseHash, "length \(length) position \(position)")
                }
            }
        }
    }

    @Test func lengthIsPartOfTheHash() {
        var seen = Set<UInt64>()
        for length in 0...200 {
            seen.insert(StableHash.hash([UInt8](repeating: 0, count: length)))
        }
        #expect(seen.count == 201)
    }

    @Test func arrayRawBufferSliceAndLazyInputsAgree() {
        for length in [0, 1, 3, 4, 7, 8, 15, 16, 17, 63, 64, 65, 128, 129, 1000] {
            let data = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 13 &+ 5) }
            let expected = StableHash.hash(data)
            data.withUnsafeBytes { #expect(StableHash.hash($0) == expected) }
            #expect(StableHash.hash(data[...]) == expected)
            #expect(StableHash.hash(data.lazy.map { $0 }) == expected)
            let padded = [0xEE] + data
            #expect(StableHash.hash(padded[1...]) == expected, "unaligned start, length \(length)")
        }
    }

    @Test func wordKeysSpreadEvenlyOver64Buckets() {
        let keyCount = 100_000
        var low = [Int](repeating: 0, count: 64)
        var high = [Int](repeating: 0, count: 64)
        var distinct = Set<UInt64>()
        for i in 0..<keyCount {
            let h = StableHash.hash(Self.bytes("word\(i)"))
            low[Int(h % 64)] += 1
            high[Int(h >> 58)] += 1
            distinct.insert(h)
        }
        let mean = Double(keyCount) / 64
        for count in low + high {
            #expect(abs(Double(count) - mean) <= 0.15 * mean)
        }
        #expect(distinct.count == keyCount)
    }

    @Test func integerMixerSpreadsSequentialIntegers() {
        var buckets = [Int](repeating: 0, count: 64)
        var distinct = Set<UInt64>()
        for i in 0..<UInt64(100_000) {
            let h = StableHash.hash(i)
            buckets[Int(h % 64)] += 1
            distinct.insert(h)
        }
        let mean = 100_000.0 / 64
        for count in buckets { #expect(abs(Double(count) - mean) <= 0.15 * mean) }
        #expect(distinct.count == 100_000)
        #expect(StableHash.hash(0 as UInt64) != 0)
    }

    @Test func singleBitFlipsChangeAboutHalfTheOutputBits() {
        for length in [3, 8, 13, 16, 31, 64, 100] {
            let base = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 91 &+ 7) }
            let baseHash = StableHash.hash(base)
            var totalFlipped = 0
            var trials = 0
            for position in 0..<length {
                for bit in 0..<8 {
                    var changed = base
                    changed[position] ^= UInt8(1 << bit)
                    totalFlipped += (StableHash.hash(changed) ^ baseHash).nonzeroBitCount
                    trials += 1
                }
            }
            let average = Double(totalFlipped) / Double(trials)
            #expect(average > 28 && average < 36, "length \(length): \(average)")
        }
        var intFlipped = 0
        for bit in 0..<64 {
            intFlipped += (StableHash.hash(UInt64(12345)) ^ StableHash.hash(UInt64(12345) ^ (1 << UInt64(bit)))).nonzeroBitCount
        }
        #expect(Double(intFlipped) / 64 > 28 && Double(intFlipped) / 64 < 36)
    }
}
