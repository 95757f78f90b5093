import Testing

@testable import Spindle

@Suite struct MessageRoutingTests {
    /// A partition of `sources` random sources with up to 12 edges each to `targetRange` random targets
    /// (so targets repeat), self-loops, extreme ids, and a few vertices without edges.
    static func randomGraph(seed: UInt64, sources: Int = 2000, targetRange: UInt64 = 3000) -> GraphPartition<Void> {
        var rng = SplitMix64(seed: seed)
        var edges: [(Int64, Int64, Void)] = []
        for _ in 0..<sources {
            let source = randomVertexId(&rng, range: 100_000)
            for _ in 0..<(rng.next() % 13) {
                let target = rng.next() % 20 == 0 ? source : randomVertexId(&rng, range: targetRange)
                edges.append((source, target, ()))
            }
        }
        return GraphPartition.build(unsorted: edges, vertices: [-42, 42, .max])
    }

    /// Checks every documented property of `routing` for `graph`.
    static func expectConsistent<E>(_ routing: MessageRouting, _ graph: GraphPartition<E>, _ partitioner: VertexPartitioner, edgesPerTable: Int = 1 << 16) {
        let partitions = partitioner.partitions
        let slots = routing.slotTargets.count
        #expect(routing.edgeSlots.count == graph.edgeCount)
        #expect(routing.slotBase.count == partitions + 1)
        #expect(routing.slotBase.first == 0 && routing.slotBase.last == slots)
        #expect(zip(routing.slotBase, routing.slotBase.dropFirst()).allSatisfy { $0 <= $1 })
        // Each edge's slot: in its target's partition's range, naming its target.
        var badEdges: [Int] = []
        for e in 0..<graph.edgeCount {
            let s = Int(routing.edgeSlots[e])
            let q = partitioner.partition(of: graph.targets[e])
            if !(routing.slotBase[q]..<routing.slotBase[q + 1]).contains(s) || routing.slotTargets[s] != graph.targets[e] { badEdges.append(e) }
        }
        #expect(badEdges.isEmpty, "edges with a wrong slot: \(badEdges.prefix(5))")
        // Per destination: the distinct targets of its edges, by edge count (capped), then by target group, then in
        // order of first appearance.
        let groups = MessageRouting.targetGroups(edges: graph.edgeCount, partitions: partitions, edgesPerTable: edgesPerTable)
        var edgesInto: [Int64: Int] = [:]
        for target in graph.targets { edgesInto[target, default: 0] += 1 }
        for q in 0..<partitions {
            var seen = Set<Int64>()
            let inOrder = graph.targets.filter { partitioner.partition(of: $0) == q && seen.insert($0).inserted }
            func order(_ item: (offset: Int, element: Int64)) -> (Int, Int, Int) {
                (min(edgesInto[item.element]!, MessageRouting.countClasses), MessageRouting.targetGroup(of: item.element, groups: groups), item.offset)
            }
            let expected = inOrder.enumerated().sorted { order($0) < order($1) }.map(\.element)
            #expect(firstDifference(Array(routing.slotTargets[routing.slotBase[q]..<routing.slotBase[q + 1]]), expected) == nil, "partition \(q)")
            #expect(firstDifference(routing.targetBytes(for: q), expected.flatMap { id in withUnsafeBytes(of: id.littleEndian, Array.init) }) == nil)
        }
        // The transpose: per slot, the local index of the source of each of its edges, ascending.
        var expectedSources = [[Int32]](repeating: [], count: slots)
        for v in 0..<graph.vertexCount {
            for e in graph.offsets[v]..<graph.offsets[v + 1] { expectedSources[Int(routing.edgeSlots[e])].append(Int32(v)) }
        }
        #expect(routing.slotEdgeStart.count == slots + 1)
        #expect(routing.slotEdgeStart.first == 0 && routing.slotEdgeStart.last.map(Int.init) == graph.edgeCount)
        #expect(routing.slotSources.count == graph.edgeCount)
        let badSlots = (0..<slots).filter { s in
            Array(routing.slotSources[Int(routing.slotEdgeStart[s])..<Int(routing.slotEdgeStart[s + 1])]) != expectedSources[s]
        }
        #expect(badSlots.isEmpty, "slots with wrong sources: \(badSlots.prefix(5))")
    }

    @Test func smallGraphGetsSlotsByEdgeCountThenFirstAppearance() {
        let graph = GraphPartition<Void>.build(unsorted: [(1, 5, ()), (1, 7, ()), (2, 5, ()), (3, 3, ()), (3, 5, ())], vertices: [])
        let routing = MessageRouting(graph: graph, partitioner: VertexPartitioner(partitions: 1))
        #expect(routing.slotTargets == [7, 3, 5])
        #expect(routing.edgeSlots == [2, 0, 2, 1, 2])
        #expect(routing.slotBase == [0, 3])
        #expect(routing.slotEdgeStart == [0, 1, 2, 5])
        #expect(routing.slotSources == [0, 2, 0, 1, 2])
    }

    @Test func slotsAreRankedByCappedCountThenSlotOrder() {
        // counts[i + 1] is slot i's count; counts above the cap share a class.
        let cap = Int32(MessageRouting.countClasses)
        var rank: [Int32] = []
        MessageRouting.rankByCount([0, 3, 1, cap + 5, 3, cap, 1], into: &rank)
        #expect(rank == [2, 0, 4, 3, 5, 1])
        MessageRouting.rankByCount([0], into: &rank)
        #expect(rank.isEmpty)
    }

    @Test(arguments: [1, 3, 8], [1 as UInt64, 2, 3])
    func randomGraphsRouteConsistently(partitions: Int, seed: UInt64) {
        let graph = Self.randomGraph(seed: seed)
        let partitioner = VertexPartitioner(partitions: partitions)
        let routing = MessageRouting(graph: graph, partitioner: partitioner)
        Self.expectConsistent(routing, graph, partitioner)
        let again = MessageRouting(graph: graph, partitioner: partitioner)
        #expect(firstDifference(again.edgeSlots, routing.edgeSlots) == nil, "same slots every time")
        #expect(firstDifference(again.slotTargets, routing.slotTargets) == nil, "same slots every time")
        #expect(firstDifference(again.slotSources, routing.slotSources) == nil, "same slots every time")
    }

    /// Many edges per target (a few hundred targets) and many distinct ones (each edge its own target); with
    /// one lookup table per destination and with many target groups.
    @Test(arguments: [1, 3, 8], [1 << 16, 64])
    func denseAndSparseTargetsRouteConsistently(partitions: Int, edgesPerTable: Int) {
        let partitioner = VertexPartitioner(partitions: partitions)
        for graph in [Self.randomGraph(seed: 7, targetRange: 300), Self.randomGraph(seed: 8, targetRange: 1 << 40)] {
            let routing = MessageRouting(graph: graph, partitioner: partitioner, edgesPerTable: edgesPerTable)
            Self.expectConsistent(routing, graph, partitioner, edgesPerTable: edgesPerTable)
        }
    }

    @Test func targetGroupsArePowersOfTwoCoveringTheEdges() {
        #expect(MessageRouting.targetGroups(edges: 100, partitions: 4, edgesPerTable: 1000) == 1)
        #expect(MessageRouting.targetGroups(edges: 4001, partitions: 4, edgesPerTable: 1000) == 2)
        #expect(MessageRouting.targetGroups(edges: 2_000_000, partitions: 8, edgesPerTable: 1 << 16) == 4)
        #expect(MessageRouting.targetGroups(edges: .max / 2, partitions: 1, edgesPerTable: 1) == 64)
        var rng = SplitMix64(seed: 9)
        let counts = (0..<8000).reduce(into: [Int](repeating: 0, count: 8)) { counts, _ in
            counts[MessageRouting.targetGroup(of: randomVertexId(&rng), groups: 8)] += 1
        }
        #expect(counts.allSatisfy { $0 > 700 }, "groups of random ids are about even: \(counts)")
    }

    @Test(arguments: [1, 3, 8])
    func graphsWithoutEdgesHaveNoSlots(partitions: Int) {
        let partitioner = VertexPartitioner(partitions: partitions)
        for graph in [GraphPartition<Void>(), GraphPartition<Void>.build(unsorted: [], vertices: [1, 2, 3])] {
            let routing = MessageRouting(graph: graph, partitioner: partitioner)
            #expect(routing.slotTargets.isEmpty && routing.edgeSlots.isEmpty && routing.slotSources.isEmpty)
            #expect(routing.slotBase == Array(repeating: 0, count: partitions + 1))
            #expect(routing.slotEdgeStart == [0])
        }
    }
}
