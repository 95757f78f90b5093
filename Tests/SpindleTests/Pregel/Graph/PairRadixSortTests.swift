import Testing

@testable import Spindle

@Suite struct PairRadixSortTests {
    /// Kinds of key sequences.
    enum Keys: String, CaseIterable, CustomTestStringConvertible {
        case random64, smallIds, signedIds, extremeIds, highByteOnly, middleByteOnly, sparseBits, allEqual, sorted, reversed, single, two, empty
        var testDescription: String { rawValue }

        func make(seed: UInt64, count n: Int) -> [UInt64] {
            var rng = SplitMix64(seed: seed)
            switch self {
            case .random64: return (0..<n).map { _ in rng.next() }
            case .smallIds: return (0..<n).map { _ in PairRadixSort.key(Int64(rng.next() % 500)) }
            case .signedIds: return (0..<n).map { _ in PairRadixSort.key(randomVertexId(&rng, range: 70_000)) }
            case .extremeIds: return (0..<n).map { _ in PairRadixSort.key(extremeVertexIds[Int(rng.next() % UInt64(extremeVertexIds.count))]) }
            case .highByteOnly: return (0..<n).map { _ in (rng.next() % 5) << 56 | 0x1234 }
            case .middleByteOnly: return (0..<n).map { _ in (rng.next() % 256) << 24 | 0xFF00_0000_0000_00FF }
            case .sparseBits: return (0..<n).map { _ in (rng.next() & 1) | (rng.next() & 1) << 31 | (rng.next() & 1) << 63 }
            case .allEqual: return Array(repeating: PairRadixSort.key(-3), count: n)
            case .sorted: return (0..<n).map { PairRadixSort.key(Int64($0) * 977 - 10_000_000) }
            case .reversed: return (0..<n).reversed().map { PairRadixSort.key(Int64($0) * 977 - 10_000_000) }
            case .single: return [rng.next()]
            case .two: return [PairRadixSort.key(5), PairRadixSort.key(-5)]
            case .empty: return []
            }
        }
    }

    /// Sorts by key, ties in index order.
    private func referenceOrder(_ keys: [UInt64]) -> [Int] {
        keys.indices.sorted { (keys[$0], $0) < (keys[$1], $1) }
    }

    /// Below and above `PairRadixSort.bucketingThreshold` (passes only; a bucketing pass first).
    @Test(arguments: Keys.allCases, [1000, 30_000])
    func equalsAStableReferenceSort(keys kind: Keys, count: Int) {
        let original = kind.make(seed: 0x5EED, count: count)
        var keys = original
        var values = Array(original.indices)
        PairRadixSort.sort(keys: &keys, values: &values)
        let order = referenceOrder(original)
        #expect(firstDifference(values, order) == nil)
        #expect(firstDifference(keys, order.map { original[$0] }) == nil)
    }

    struct Payload: BitwiseCopyable, Equatable {
        var edge: Int32
        var weight: Double
    }

    @Test(arguments: [5000, 40_000])
    func carriesWiderPayloads(count: Int) {
        var rng = SplitMix64(seed: 3)
        let ids = (0..<count).map { _ in randomVertexId(&rng, range: 1 << 20) }
        var keys = ids.map(PairRadixSort.key)
        var values = ids.indices.map { Payload(edge: Int32($0), weight: Double(ids[$0]) / 3) }
        PairRadixSort.sort(keys: &keys, values: &values)
        let order = referenceOrder(ids.map(PairRadixSort.key))
        #expect(firstDifference(values, order.map { Payload(edge: Int32($0), weight: Double(ids[$0]) / 3) }) == nil)
        #expect(firstDifference(keys.map(PairRadixSort.id), order.map { ids[$0] }) == nil)
    }

    @Test func keyAndIdRoundTrip() {
        var rng = SplitMix64(seed: 4)
        let ids = extremeVertexIds + (0..<10_000).map { _ in Int64(bitPattern: rng.next()) }
        #expect(ids.allSatisfy { PairRadixSort.id(PairRadixSort.key($0)) == $0 })
        let keys = (0..<10_000).map { _ in rng.next() } + [0, 1, 1 << 63, UInt64.max]
        #expect(keys.allSatisfy { PairRadixSort.key(PairRadixSort.id($0)) == $0 })
        #expect(PairRadixSort.key(.min) == 0)
        #expect(PairRadixSort.key(.max) == .max)
    }

    @Test func keysOrderLikeIds() {
        var rng = SplitMix64(seed: 5)
        let ids = extremeVertexIds + (0..<2000).map { _ in randomVertexId(&rng) }
        var disagreements = 0
        for a in ids.prefix(300) {
            for b in ids where (a < b) != (PairRadixSort.key(a) < PairRadixSort.key(b)) { disagreements += 1 }
        }
        #expect(disagreements == 0)
        #expect(firstDifference(ids.sorted(), ids.map(PairRadixSort.key).sorted().map(PairRadixSort.id)) == nil)
    }
}
