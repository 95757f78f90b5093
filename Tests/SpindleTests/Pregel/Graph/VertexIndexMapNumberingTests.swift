import Testing

@testable import Spindle

@Suite struct VertexIndexMapNumberingTests {
    /// Batched numbering gives what one `insertIfAbsent(id, count)` per id gives, across batch boundaries and
    /// while the table grows (a small map, many distinct ids), and tallies every id's occurrences.
    @Test(arguments: [1, 15, 16, 17, 5000])
    func numberingMatchesInsertionOneByOneAndTalliesOccurrences(ids count: Int) {
        var rng = SplitMix64(seed: 0x5EED &+ UInt64(count))
        let ids = (0..<count).map { k in
            k % 7 == 3 ? extremeVertexIds[k % extremeVertexIds.count] : randomVertexId(&rng, range: UInt64(count / 3 + 2))
        }
        let oneByOne = VertexIndexMap()
        let expected = ids.map { oneByOne.insertIfAbsent($0, Int32(oneByOne.count)).index }
        let map = VertexIndexMap()
        var numbers = [Int32](repeating: -1, count: count)
        var inserted: [Int64] = []
        ids.withUnsafeBufferPointer { ids in
            numbers.withUnsafeMutableBufferPointer { map.number(ids, into: $0.baseAddress!, tally: true) { inserted.append($0) } }
        }
        #expect(numbers == expected)
        #expect(inserted == Array(Set(ids)).sorted { oneByOne.index(of: $0)! < oneByOne.index(of: $1)! })
        var occurrences = [Int32](repeating: 0, count: map.count)
        for n in expected { occurrences[Int(n)] += 1 }
        #expect(map.tallies() == occurrences)
        for id in ids { #expect(map.index(of: id) == oneByOne.index(of: id)) }
    }

    /// Ids numbered without a tally do not count; numbering continues where earlier calls left off.
    @Test func untalliedIdsDoNotCountAndNumbersContinue() {
        let map = VertexIndexMap()
        var numbers = [Int32](repeating: -1, count: 3)
        let first: [Int64] = [9, 4, 9]
        let second: [Int64] = [4, 11, 9]
        first.withUnsafeBufferPointer { ids in
            numbers.withUnsafeMutableBufferPointer { map.number(ids, into: $0.baseAddress!, tally: false) { _ in } }
        }
        #expect(numbers == [0, 1, 0])
        second.withUnsafeBufferPointer { ids in
            numbers.withUnsafeMutableBufferPointer { map.number(ids, into: $0.baseAddress!, tally: true) { _ in } }
        }
        #expect(numbers == [1, 2, 0])
        #expect(map.tallies() == [1, 1, 1])
    }
}
