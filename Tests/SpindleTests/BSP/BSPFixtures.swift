import Foundation

/// Graph inputs for the BSP tests, built from the Pregel fixtures.
enum BSPFixtures {
    /// Writes into `dir/g/`: a skewed R-MAT graph (self-loops, parallel edges, sparse ids, Int64.min and
    /// Int64.max, target-only vertices) in two files, a sparse R-MAT graph (many small components), the
    /// components fixture (known groups, a self-loop-only vertex, isolated edges whose target appears nowhere
    /// else) and the hand-made graph. Returns the paths.
    static func writeGraphs(_ dir: TemporaryDirectory, seed: UInt64) throws -> [String] {
        let dense = GraphFixtures.rmat(scale: 9, edgeFactor: 8, seed: seed, extremeIds: true)
        let half = dense.count / 2
        let sparse = GraphFixtures.rmat(scale: 10, edgeFactor: 1, seed: seed + 100)
        let (components, _) = GraphFixtures.components(seed: seed + 200)
        return [
            try GraphFixtures.write(GraphFixtures.snapText(Array(dense[..<half]), title: "dense a"), to: dir.file("g/a.txt")),
            try GraphFixtures.write(GraphFixtures.snapText(Array(dense[half...]), title: "dense b"), to: dir.file("g/b.txt")),
            try GraphFixtures.write(GraphFixtures.snapText(sparse, title: "sparse"), to: dir.file("g/c.txt")),
            try GraphFixtures.write(GraphFixtures.snapText(components, title: "components"), to: dir.file("g/d.txt")),
            try GraphFixtures.write(GraphFixtures.handMadeText, to: dir.file("g/e.txt")),
        ]
    }

    /// A path through `length` distinct scattered ids (edge directions alternating), which takes many
    /// supersteps: the smallest label crosses partitions one hop per superstep.
    static func chain(length: Int, seed: UInt64) -> [OracleGraph.Edge] {
        var ids: [Int64] = []
        var x = seed
        while ids.count < length {
            x = x &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let id = Int64(bitPattern: x >> 20) % 1_000_000_000_000
            if !ids.contains(id) { ids.append(id) }
        }
        return (1..<length).map { i in
            i % 2 == 0
                ? OracleGraph.Edge(source: ids[i - 1], target: ids[i], weight: 1) : OracleGraph.Edge(source: ids[i], target: ids[i - 1], weight: 1)
        }
    }
}
