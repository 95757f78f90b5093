import Testing

@Suite struct OracleShortestPathTests {
    /// From 1 in the hand-made graph: 1→2 (1), 2→7 (1), 2→3 (2.5), 3→-4 (0.5), -4→100 (1).
    @Test func handMadeDistancesFromOneByHand() throws {
        let d = PregelOracle.sssp(try OracleGraph(parsing: GraphFixtures.handMadeText), source: 1)
        #expect(d == [1: 0, 2: 1, 7: 2, 3: 3.5, -4: 4, 100: 5])
    }

    /// Undirected from 7: 7-2 (1), 2-1 (1), 1-3 via the 3→1 edge (1), 3-(-4) (0.5), -4-100 (1).
    @Test func undirectedFlagFollowsReversedEdges() throws {
        let d = PregelOracle.sssp(try OracleGraph(parsing: GraphFixtures.handMadeText, undirected: true), source: 7)
        #expect(d == [7: 0, 2: 1, 1: 2, 3: 3, -4: 3.5, 100: 4.5])
    }

    @Test func danglingSourceReachesOnlyItself() throws {
        let d = PregelOracle.sssp(try OracleGraph(parsing: GraphFixtures.handMadeText), source: 7)
        #expect(d[7] == 0)
        #expect(d.count == 6)
        #expect(d.filter { $0.value == nil }.count == 5)
    }

    @Test func sourceOutsideTheGraphLeavesEveryVertexUnreachable() throws {
        let d = PregelOracle.sssp(try OracleGraph(parsing: GraphFixtures.handMadeText), source: 99)
        #expect(d.count == 6)
        #expect(d.values.allSatisfy { $0 == nil })
    }

    @Test func cheapestParallelEdgeAndLongerCheaperPathWin() {
        let edges: [OracleGraph.Edge] = [
            .init(source: 0, target: 1, weight: 10), .init(source: 0, target: 1, weight: 4), .init(source: 0, target: 2, weight: 1),
            .init(source: 2, target: 3, weight: 1), .init(source: 3, target: 1, weight: 0.5), .init(source: 1, target: 4, weight: 0),
            .init(source: 5, target: 0, weight: 1),
        ]
        let d = PregelOracle.sssp(OracleGraph(edges: edges), source: 0)
        #expect(d == [0: 0, 1: 2.5, 2: 1, 3: 2, 4: 2.5, 5: nil])
    }

    /// Dijkstra agrees with plain Bellman-Ford relaxation on a weighted R-MAT graph.
    @Test func agreesWithBellmanFordOnRMAT() {
        let g = OracleGraph(edges: GraphFixtures.rmat(scale: 8, seed: 21, weighted: true))
        let source = g.edges[0].source
        var best: [Int64: Double] = [source: 0]
        var changed = true
        while changed {
            changed = false
            for e in g.edges {
                if let d = best[e.source], d + e.weight < best[e.target] ?? .infinity {
                    best[e.target] = d + e.weight
                    changed = true
                }
            }
        }
        let d = PregelOracle.sssp(g, source: source)
        #expect(d.count == g.vertices.count)
        for v in g.vertices { #expect(d[v]! == best[v]) }
        #expect(best.count > 1 && best.count < g.vertices.count)
    }
}
