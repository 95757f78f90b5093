import Testing

@testable import Spindle

@Suite struct VertexPartitionerTests {
    /// Shares of each partition among `ids`.
    private func shares(_ ids: some Sequence<Int64>, partitions: Int) -> [Double] {
        let partitioner = VertexPartitioner(partitions: partitions)
        var counts = [Int](repeating: 0, count: partitions)
        var total = 0
        for id in ids {
            counts[partitioner.partition(of: id)] += 1
            total += 1
        }
        return counts.map { Double($0) / Double(total) }
    }

    @Test(arguments: [1, 2, 3, 7, 8, 13, 64, 1000, 1 << 20])
    func partitionIsAlwaysInRange(partitions: Int) {
        let partitioner = VertexPartitioner(partitions: partitions)
        var rng = SplitMix64(seed: UInt64(partitions))
        var ids = extremeVertexIds
        for _ in 0..<50_000 { ids.append(randomVertexId(&rng, range: 1 << 30)) }
        let outside = ids.filter { !(0..<partitions).contains(partitioner.partition(of: $0)) }
        #expect(outside.isEmpty, "ids outside 0..<\(partitions): \(outside.prefix(5))")
    }

    @Test func onePartitionHoldsEverything() {
        let partitioner = VertexPartitioner(partitions: 1)
        #expect(extremeVertexIds.allSatisfy { partitioner.partition(of: $0) == 0 })
    }

    @Test func sameIdSamePartitionInEveryInstance() {
        var rng = SplitMix64(seed: 11)
        let ids = extremeVertexIds + (0..<10_000).map { _ in randomVertexId(&rng) }
        let a = VertexPartitioner(partitions: 7)
        let b = VertexPartitioner(partitions: 7)
        #expect(a == b)
        #expect(a != VertexPartitioner(partitions: 8))
        #expect(firstDifference(ids.map(a.partition(of:)), ids.map(b.partition(of:))) == nil)
        #expect(firstDifference(ids.map(a.partition(of:)), ids.map(a.partition(of:))) == nil)
    }

    /// With 8 partitions each gets 10%–15% (12.5% expected) of sequential, negative, strided and random ids.
    @Test func eightPartitionsShareIdsEvenly() {
        var rng = SplitMix64(seed: 8)
        let sets: [(String, [Int64])] = [
            ("sequential", Array(0..<100_000)),
            ("negative", Array(-100_000..<0)),
            ("stride 2^32", (0..<100_000).map { Int64($0) << 32 }),
            ("stride 1024", (0..<100_000).map { Int64($0) * 1024 }),
            ("random", (0..<100_000).map { _ in Int64(bitPattern: rng.next()) }),
        ]
        for (name, ids) in sets {
            let s = shares(ids, partitions: 8)
            #expect(s.allSatisfy { $0 >= 0.10 && $0 <= 0.15 }, "\(name): \(s)")
        }
    }

    @Test func threePartitionsShareSequentialIdsEvenly() {
        let s = shares(0..<99_999 as Range<Int64>, partitions: 3)
        #expect(s.allSatisfy { abs($0 - 1.0 / 3) < 0.03 }, "\(s)")
    }
}
