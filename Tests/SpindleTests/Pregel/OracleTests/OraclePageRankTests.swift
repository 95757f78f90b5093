import Testing

@Suite struct OraclePageRankTests {
    private func graph(_ pairs: [(Int64, Int64)], undirected: Bool = false) -> OracleGraph {
        OracleGraph(edges: pairs.map { OracleGraph.Edge(source: $0.0, target: $0.1, weight: 1) }, undirected: undirected)
    }

    /// Whether `actual` (present) is within `tolerance` of `expected`.
    private func near(_ actual: Double?, _ expected: Double, _ tolerance: Double = 1e-15) -> Bool {
        guard let actual else { return false }
        return abs(actual - expected) < tolerance
    }

    private func sum(_ ranks: [Int64: Double]) -> Double { ranks.keys.sorted().reduce(0) { $0 + ranks[$1]! } }

    @Test func threeCycleStaysUniform() {
        let ranks = PregelOracle.pagerank(graph([(1, 2), (2, 3), (3, 1)]))
        #expect(ranks.count == 3)
        for id in [Int64(1), 2, 3] { #expect(near(ranks[id], 1.0 / 3)) }
    }

    @Test func zeroIterationsIsOneOverN() {
        let ranks = PregelOracle.pagerank(graph([(10, 20), (20, 30), (30, 40)]), iterations: 0)
        #expect(ranks == [10: 0.25, 20: 0.25, 30: 0.25, 40: 0.25])
    }

    /// 1→2, 1→3, 2→3 with 3 dangling. One step from 1/3 each, by hand (d = 0.85, N = 3):
    /// base = 0.15/3 + 0.85 * (1/3)/3 = 13/90; r(1) = base; r(2) = base + 0.85 * (1/3)/2 = 103/360;
    /// r(3) = base + 0.85 * ((1/3)/2 + 1/3) = 205/360.
    @Test func danglingVertexAfterOneStepByHand() {
        let ranks = PregelOracle.pagerank(graph([(1, 2), (1, 3), (2, 3)]), iterations: 1)
        #expect(near(ranks[1], 13.0 / 90))
        #expect(near(ranks[2], 103.0 / 360))
        #expect(near(ranks[3], 205.0 / 360))
    }

    /// Same graph at the fixed point: with c = r(1), r(2) = c + 0.425c = 1.425c and r(3) = c + 0.425c + 0.85 * 1.425c
    /// = 2.63625c; the ranks sum to 1, so c = 1 / 5.06125.
    @Test func danglingVertexFixedPointByHand() {
        let (ranks, steps) = PregelOracle.pagerank(graph([(1, 2), (1, 3), (2, 3)]), tolerance: 1e-15)
        #expect(steps > 20 && steps < 1000)
        let c: Double = 1 / 5.06125
        #expect(near(ranks[1], c, 1e-13))
        #expect(near(ranks[2], 1.425 * c, 1e-13))
        #expect(near(ranks[3], 2.63625 * c, 1e-13))
    }

    /// An undirected star, centre 0 and k = 4 leaves: l = (1-d)/n + d*c/k and c = (1-d)/n + d*k*l give
    /// c = (1 + d*k) / (n * (1 + d)) = 4.4 / 9.25 and l = (1 - c) / 4.
    @Test func undirectedStarFixedPointByHand() {
        let star = graph([(0, 1), (0, 2), (0, 3), (0, 4)], undirected: true)
        let (ranks, _) = PregelOracle.pagerank(star, tolerance: 1e-15)
        let centre: Double = 4.4 / 9.25
        let leafRank: Double = (1 - centre) / 4
        #expect(near(ranks[0], centre, 1e-13))
        for leaf in [Int64(1), 2, 3, 4] { #expect(near(ranks[leaf], leafRank, 1e-13)) }
    }

    /// Leaves point at a dangling centre: one step gives leaves (0.15 + 0.85 * r(centre)) / 5 and the centre that
    /// plus 0.85 * 4 * (1/5), by hand.
    @Test func directedStarIntoDanglingCentreOneStep() {
        let ranks = PregelOracle.pagerank(graph([(1, 0), (2, 0), (3, 0), (4, 0)]), iterations: 1)
        let leaf: Double = 0.15 / 5 + 0.85 * (0.2 / 5)
        let centre: Double = leaf + 0.85 * 0.8
        #expect(near(ranks[1], leaf))
        #expect(near(ranks[0], centre))
    }

    @Test func parallelEdgesAndSelfLoopsCountPerLine() {
        // 1 has out-degree 3 (two lines to 2, one self-loop): 2 gets 2/3 of 1's share, 1 keeps 1/3.
        let ranks = PregelOracle.pagerank(graph([(1, 2), (1, 2), (1, 1), (2, 1)]), iterations: 1)
        let two: Double = 0.075 + 0.85 * (0.5 * 2 / 3)
        let one: Double = 0.075 + 0.85 * (0.5 / 3 + 0.5)
        #expect(near(ranks[2], two))
        #expect(near(ranks[1], one))
    }

    @Test func ranksSumToOne() throws {
        let graphs = [
            try OracleGraph(parsing: GraphFixtures.handMadeText),
            OracleGraph(edges: GraphFixtures.rmat(scale: 9, seed: 7)),
            OracleGraph(edges: GraphFixtures.rmat(scale: 8, seed: 3), undirected: true),
            OracleGraph(edges: GraphFixtures.components(seed: 5).edges),
        ]
        for g in graphs {
            #expect(near(sum(PregelOracle.pagerank(g)), 1, 1e-12))
            #expect(near(sum(PregelOracle.pagerank(g, damping: 0.5, iterations: 3)), 1, 1e-12))
        }
    }

    @Test func toleranceStopsAtTheFirstSmallChange() {
        let g = OracleGraph(edges: GraphFixtures.rmat(scale: 8, seed: 11))
        let (ranks, steps) = PregelOracle.pagerank(g, tolerance: 1e-6)
        #expect(ranks == PregelOracle.pagerank(g, iterations: steps))
        let before = PregelOracle.pagerank(g, iterations: steps - 1)
        let l1 = { (a: [Int64: Double], b: [Int64: Double]) in g.vertices.reduce(0.0) { $0 + abs(a[$1]! - b[$1]!) } }
        #expect(l1(ranks, before) < 1e-6)
        #expect(l1(before, PregelOracle.pagerank(g, iterations: steps - 2)) >= 1e-6)
    }

    @Test func toleranceRespectsTheIterationCap() {
        let g = graph([(1, 2), (2, 3), (3, 1), (3, 2)])
        let (ranks, steps) = PregelOracle.pagerank(g, tolerance: 0, maxIterations: 7)
        #expect(steps == 7)
        #expect(ranks == PregelOracle.pagerank(g, iterations: 7))
    }

    @Test func emptyGraphHasNoRanks() {
        #expect(PregelOracle.pagerank(OracleGraph(edges: [])).isEmpty)
    }
}
