import Testing

@testable import Spindle
@testable import SpindleTools

/// The edges of every vertex of `graph`, as (target, value) lists by vertex id.
private func adjacency<E>(_ graph: GraphPartition<E>) -> [Int64: [(Int64, E)]] {
    var result: [Int64: [(Int64, E)]] = [:]
    for i in 0..<graph.vertexCount {
        result[graph.ids[i]] = (0..<graph.outDegree(i)).map { (graph.edgeTarget(i, $0), graph.edgeValue(i, $0)) }
    }
    return result
}

@Suite struct GraphPartitionTests {
    @Test func emptyBuilderGivesAnEmptyPartition() {
        let graph = GraphPartitionBuilder<Double>().build()
        #expect(graph.vertexCount == 0)
        #expect(graph.edgeCount == 0)
        #expect(graph.offsets == [0])
        #expect(graph.localIndex(of: 0) == nil)
        #expect(GraphPartition<Int>.build(unsorted: [], vertices: []).vertexCount == 0)
    }

    @Test func buildsCSRArraysInVertexOrder() {
        var builder = GraphPartitionBuilder<Double>()
        builder.addEdge(from: -5, to: 1, value: 0.5)
        builder.addEdge(from: -5, to: 9, value: 1.5)
        builder.addVertex(3)
        builder.addEdge(from: 7, to: -5, value: 2)
        let graph = builder.build()
        #expect(graph.ids == [-5, 3, 7])
        #expect(graph.offsets == [0, 2, 2, 3])
        #expect(graph.targets == [1, 9, -5])
        #expect(graph.edgeValues == [0.5, 1.5, 2])
        #expect(graph.outDegree(0) == 2 && graph.outDegree(1) == 0 && graph.outDegree(2) == 1)
        #expect(graph.edgeRange(0) == (0, 2) && graph.edgeRange(1) == (2, 2) && graph.edgeRange(2) == (2, 3))
        #expect(graph.edgeTarget(0, 1) == 9)
        #expect(graph.edgeValue(2, 0) == 2)
        #expect(graph.vertexCount == 3 && graph.edgeCount == 3)
    }

    @Test func keepsSelfLoopsAndParallelEdgesInInsertionOrder() {
        var builder = GraphPartitionBuilder<String>()
        builder.addEdge(from: 4, to: 4, value: "loop")
        builder.addEdge(from: 4, to: 8, value: "first")
        builder.addEdge(from: 4, to: 8, value: "second")
        builder.addEdge(from: 4, to: 4, value: "loop again")
        let graph = builder.build()
        #expect(graph.ids == [4])
        #expect(graph.targets == [4, 8, 8, 4])
        #expect(graph.edgeValues == ["loop", "first", "second", "loop again"])
    }

    @Test func vertexKnownOnlyAsATargetHasNoOutEdges() {
        var builder = GraphPartitionBuilder<Int>()
        builder.addVertex(2)
        builder.addVertex(2)
        builder.addVertex(2)
        builder.addEdge(from: 5, to: 2, value: 1)
        builder.addVertex(6)
        let graph = builder.build()
        #expect(graph.ids == [2, 5, 6])
        #expect(graph.outDegree(0) == 0)
        #expect(graph.outDegree(2) == 0)
    }

    @Test func vertexMarkerBeforeOrAfterItsEdgesGivesOneVertex() {
        var before = GraphPartitionBuilder<Int>()
        before.addVertex(1)
        before.addEdge(from: 1, to: 2, value: 10)
        var after = GraphPartitionBuilder<Int>()
        after.addEdge(from: 1, to: 2, value: 10)
        after.addVertex(1)
        after.addEdge(from: 1, to: 3, value: 11)
        #expect(before.build().ids == [1] && before.build().targets == [2])
        #expect(after.build().ids == [1] && after.build().targets == [2, 3])
    }

    @Test func localIndexFindsEveryIdAndNothingElse() {
        let ids: [Int64] = [.min, -10, -1, 0, 3, 4, 100, .max]
        var builder = GraphPartitionBuilder<Int>()
        for id in ids { builder.addVertex(id) }
        let graph = builder.build()
        for (i, id) in ids.enumerated() { #expect(graph.localIndex(of: id) == i) }
        for missing: Int64 in [.min + 1, -11, -2, 1, 2, 5, 99, 101, .max - 1] { #expect(graph.localIndex(of: missing) == nil) }
    }

    @Test func unsortedConvenienceSortsBySourceAndKeepsEdgeOrder() {
        let graph = GraphPartition<Int>.build(unsorted: [(9, 1, 0), (2, 9, 1), (9, 2, 2), (2, 9, 3), (9, 1, 4)], vertices: [1, 9, 1, 20])
        #expect(graph.ids == [1, 2, 9, 20])
        #expect(graph.offsets == [0, 0, 2, 5, 5])
        #expect(graph.targets == [9, 9, 1, 2, 1])
        #expect(graph.edgeValues == [1, 3, 0, 2, 4])
    }

    @Test func randomGraphsMatchADictionaryModel() {
        var random = SeededRandom(seed: 2024)
        for _ in 0..<100 {
            let idRange: ClosedRange<Int64> = Bool.random(using: &random) ? -20...20 : Int64.min...Int64.max
            let edgeCount = Int.random(in: 0...200, using: &random)
            var edges: [(Int64, Int64, Int)] = []
            var model: [Int64: [(Int64, Int)]] = [:]
            for value in 0..<edgeCount {
                let source = Int64.random(in: idRange, using: &random)
                let target = Int64.random(in: idRange, using: &random)
                edges.append((source, target, value))
                model[source, default: []].append((target, value))
            }
            let vertices = (0..<Int.random(in: 0...30, using: &random)).map { _ in Int64.random(in: idRange, using: &random) }
            for v in vertices where model[v] == nil { model[v] = [] }

            let graph = GraphPartition.build(unsorted: edges, vertices: vertices)
            #expect(graph.ids == model.keys.sorted())
            #expect(graph.edgeCount == edgeCount)
            #expect(graph.offsets.count == graph.vertexCount + 1)
            #expect(zip(graph.offsets, graph.offsets.dropFirst()).allSatisfy { $0 <= $1 })
            let actual = adjacency(graph)
            for (id, expected) in model {
                let got = actual[id] ?? []
                #expect(got.map(\.0) == expected.map(\.0), "targets of \(id)")
                #expect(got.map(\.1) == expected.map(\.1), "values of \(id)")
                #expect(graph.localIndex(of: id).map { graph.ids[$0] } == id)
            }
            for _ in 0..<20 {
                let probe = Int64.random(in: idRange, using: &random)
                #expect((graph.localIndex(of: probe) != nil) == (model[probe] != nil))
            }
        }
    }
}
