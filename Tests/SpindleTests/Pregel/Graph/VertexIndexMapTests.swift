import Testing

@testable import Spindle

@Suite struct VertexIndexMapTests {
    @Test func emptyMapFindsNothing() {
        let map = VertexIndexMap()
        #expect(map.count == 0)
        for id in extremeVertexIds { #expect(map.index(of: id) == nil) }
    }

    @Test func insertIfAbsentKeepsTheFirstIndex() {
        let map = VertexIndexMap()
        #expect(map.insertIfAbsent(42, 0) == (0, true))
        #expect(map.insertIfAbsent(-7, 1) == (1, true))
        #expect(map.insertIfAbsent(42, 5) == (0, false))
        #expect(map.insertIfAbsent(-7, 0) == (1, false))
        #expect(map.count == 2)
        #expect(map.index(of: 42) == 0)
        #expect(map.index(of: -7) == 1)
        #expect(map.index(of: 7) == nil)
    }

    @Test func updateValuesRewritesEveryIndexAndRemoveAllEmpties() {
        let map = VertexIndexMap()
        for (i, id) in extremeVertexIds.enumerated() { _ = map.insertIfAbsent(id, Int32(i)) }
        map.updateValues { 1000 - $0 }
        for (i, id) in extremeVertexIds.enumerated() { #expect(map.index(of: id) == 1000 - Int32(i), "id \(id)") }
        map.removeAll()
        #expect(map.count == 0)
        for id in extremeVertexIds { #expect(map.index(of: id) == nil) }
        #expect(map.insertIfAbsent(extremeVertexIds[0], 3) == (3, true))
    }

    /// Emptying by the inserted ids, latest first, leaves no entry behind, also where probe chains collide.
    @Test(arguments: [10, 3000])
    func removeAllByInsertedIdsEmptiesTheMap(ids: Int) {
        var rng = SplitMix64(seed: 0xFEED)
        let map = VertexIndexMap(expectedCount: 20_000)
        for round in 0..<3 {
            var inserted: [Int64] = []
            for _ in 0..<ids {
                let id = round == 1 ? Int64(inserted.count) * 65_536 : randomVertexId(&rng, range: 5_000)  // round 1: one hash run
                if map.insertIfAbsent(id, Int32(inserted.count)).inserted { inserted.append(id) }
            }
            #expect(map.count == inserted.count)
            map.removeAll(inserted: inserted[...])
            #expect(map.count == 0)
            for id in inserted { #expect(map.index(of: id) == nil, "id \(id) in round \(round)") }
        }
        #expect(map.insertIfAbsent(7, 0) == (0, true) && map.index(of: 7) == 0)
    }

    @Test func extremeIdsAreOrdinaryKeys() {
        let map = VertexIndexMap()
        for (i, id) in extremeVertexIds.enumerated() { #expect(map.insertIfAbsent(id, Int32(i)) == (Int32(i), true)) }
        #expect(map.count == extremeVertexIds.count)
        for (i, id) in extremeVertexIds.enumerated() { #expect(map.index(of: id) == Int32(i), "id \(id)") }
    }

    /// 200k operations, a quarter of them repeats, from 16 entries through many doublings (or none, when
    /// the map is sized up front), checked against a `Dictionary`.
    @Test(arguments: [0, 1000, 400_000])
    func agreesWithADictionaryThroughGrowth(expectedCount: Int) {
        var rng = SplitMix64(seed: 0xC0FFEE)
        let map = VertexIndexMap(expectedCount: expectedCount)
        var model: [Int64: Int32] = [:]
        var drawn: [Int64] = []
        var wrongInserts = 0
        for _ in 0..<200_000 {
            let id = !drawn.isEmpty && rng.next() % 4 == 0 ? drawn[Int(rng.next() % UInt64(drawn.count))] : randomVertexId(&rng, range: 1 << 40)
            drawn.append(id)
            let fresh = Int32(model.count)
            let result = map.insertIfAbsent(id, fresh)
            if let existing = model[id] {
                if result != (existing, false) { wrongInserts += 1 }
            } else {
                if result != (fresh, true) { wrongInserts += 1 }
                model[id] = fresh
            }
        }
        #expect(wrongInserts == 0)
        #expect(model.count > 100_000)
        #expect(map.count == model.count)
        let wrong = model.filter { map.index(of: $0.key) != $0.value }
        #expect(wrong.isEmpty, "\(wrong.count) ids with a wrong index, e.g. \(Array(wrong.prefix(3)))")
        var missing = 0
        var foundMissing = 0
        while missing < 20_000 {
            let id = Int64(bitPattern: rng.next())
            guard model[id] == nil else { continue }
            missing += 1
            if map.index(of: id) != nil { foundMissing += 1 }
        }
        #expect(foundMissing == 0)
    }

    /// Ids that agree in their low or high bits still land in distinct entries.
    @Test func idsSharingBitsStayDistinct() {
        let map = VertexIndexMap()
        var ids: [Int64] = []
        for i in 0..<20_000 as Range<Int64> {
            ids.append(i << 32)
            ids.append(i << 44)
            ids.append(~(i << 20))
        }
        var expected: [Int64: Int32] = [:]
        for id in ids {
            let (index, inserted) = map.insertIfAbsent(id, Int32(expected.count))
            if inserted { expected[id] = index } else { #expect(expected[id] == index) }
        }
        #expect(map.count == Set(ids).count)
        #expect(expected.allSatisfy { map.index(of: $0.key) == $0.value })
        #expect(map.index(of: 20_000 << 32) == nil)
    }
}
