import Testing

@Suite struct OracleComponentsTests {
    @Test func labelIsTheSmallestIdWhateverTheDirection() {
        let g = OracleGraph(edges: [(5, 1), (5, 9), (20, 30), (40, 30), (-3, -3)].map { OracleGraph.Edge(source: $0.0, target: $0.1, weight: 1) })
        #expect(PregelOracle.connectedComponents(g) == [1: 1, 5: 1, 9: 1, 20: 20, 30: 20, 40: 20, -3: -3])
    }

    @Test func handMadeGraphIsOneComponentLabelledByItsNegativeId() throws {
        let labels = PregelOracle.connectedComponents(try OracleGraph(parsing: GraphFixtures.handMadeText))
        #expect(labels == [-4: -4, 1: -4, 2: -4, 3: -4, 7: -4, 100: -4])
    }

    @Test func componentsFixtureMatchesItsConstruction() {
        for seed in [UInt64(1), 2, 3] {
            let (edges, groups) = GraphFixtures.components(seed: seed)
            let labels = PregelOracle.connectedComponents(OracleGraph(edges: edges))
            var expected: [Int64: Int64] = [:]
            for group in groups { for v in group { expected[v] = group.min()! } }
            #expect(groups.count == 11)
            #expect(labels == expected)
            #expect(Set(labels.values).count == groups.count)
        }
    }

    @Test func undirectedFlagDoesNotChangeComponents() {
        let edges = GraphFixtures.components(seed: 4).edges + GraphFixtures.rmat(scale: 8, edgeFactor: 1, seed: 4)
        let directed = PregelOracle.connectedComponents(OracleGraph(edges: edges))
        #expect(directed == PregelOracle.connectedComponents(OracleGraph(edges: edges, undirected: true)))
        #expect(Set(directed.values).count > 1)
    }
}
