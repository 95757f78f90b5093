import SpindleCore
import Testing

@testable import Spindle

/// The map-side combining hash table: equal keys combine, distinct keys (including ones that agree in their
/// first eight bytes, or differ only by trailing zero bytes) stay apart, across growth and reuse.
@Suite struct CombiningTableTests {
    private func add<Value>(_ key: [UInt8], _ value: Value, to table: CombiningTable<Value>) {
        key.withUnsafeBytes { table.add(key: $0, value: value) }
    }

    private func contents<Value>(_ table: CombiningTable<Value>) -> [[UInt8]: Value] {
        var result: [[UInt8]: Value] = [:]
        table.forEachEntry { key, value in
            #expect(result[Array(key)] == nil, "key \(Array(key)) stored twice")
            result[Array(key)] = value
        }
        return result
    }

    /// Keys of every length from 0 to 40 bytes, many sharing long prefixes or differing only by a trailing
    /// zero byte (a short key's first eight bytes are stored zero-padded).
    private func trickyKeys() -> [[UInt8]] {
        var keys: [[UInt8]] = [[], [0], [0, 0], Array("a".utf8), [0x61, 0], [0x61, 0, 0, 0, 0, 0, 0, 0], [0x61, 0, 0, 0, 0, 0, 0, 0, 0]]
        for length in 1...40 {
            keys.append(Array(repeating: 0x78, count: length))
            keys.append(Array(repeating: 0x78, count: length - 1) + [0x79])
        }
        var rng = SplitMix64(seed: 7)
        for _ in 0..<5_000 {
            keys.append(randomBytes(Int(rng.next() % 20), &rng, alphabet: Array("abc".utf8)))
        }
        return keys
    }

    @Test func equalKeysCombineAndDistinctKeysStayApartAcrossGrowth() {
        let table = CombiningTable<Int>(combine: { $0 += $1 }, partitioner: PartitionFunction(kind: .hash, partitions: 3))
        var expected: [[UInt8]: Int] = [:]
        for round in 1...3 {
            for key in trickyKeys() {
                add(key, round, to: table)
                expected[key, default: 0] += round
            }
        }
        #expect(table.count == expected.count)
        #expect(contents(table) == expected)
        table.removeAll()
        #expect(table.count == 0 && table.byteCount == 0 && contents(table).isEmpty)
        add(Array("again".utf8), 5, to: table)
        #expect(contents(table) == [Array("again".utf8): 5])
    }

    @Test func valuesWithReferencesMoveThroughGrowthAndAreReleased() {
        let table = CombiningTable<String>(combine: { $0 += $1 }, partitioner: PartitionFunction(kind: .hash, partitions: 1))
        var expected: [[UInt8]: String] = [:]
        for i in 0..<20_000 {
            let key = Array("key \(i % 7_000)".utf8)
            let piece = String(repeating: "v", count: 1 + i % 3) + "\(i)"
            add(key, piece, to: table)
            expected[key, default: ""] += piece
        }
        #expect(contents(table) == expected)
        table.removeAll()
        #expect(contents(table).isEmpty)
    }
}
