import Foundation

/// Edge-list inputs for the Pregel tests, written SNAP-style (a `#` header, tab-separated `src dst [weight]`).
enum GraphFixtures {
    /// A hand-made weighted graph: a 1→2→3→1 cycle with a parallel 1→2 edge and a 3→3 self-loop, a comment
    /// and a blank line in the middle, mixed spaces and tabs, weights on some lines (2.5, 0.5, 4), a negative
    /// id (-4), and vertex 7 that only appears as a target (the one dangling vertex).
    /// Vertices {-4, 1, 2, 3, 7, 100}; 10 edges; weakly connected.
    static let handMadeText = """
        # Hand-made graph for the Pregel oracles
        # FromNodeId\tToNodeId\tWeight
        1\t2
        2\t3\t2.5
        3\t1
        1 2
        3\t3
        # a comment between edges

        3   -4\t0.5
        -4\t100
        2\t7
        100\t1\t4
        -4 3 \t 1

        """

    /// A skewed R-MAT graph (quadrant probabilities a=0.57, b=0.19, c=0.19, d=0.05) with 2^scale raw ids and
    /// edgeFactor * 2^scale edges, deterministic in `seed`, ids scrambled by `scrambledID`. Self-loops and
    /// parallel edges are kept. `weighted` adds weights (multiples of 0.25 in 0...10, some lines without a
    /// weight); `extremeIds` maps raw ids 0 and 1 to Int64.max and Int64.min.
    static func rmat(scale: Int = 9, edgeFactor: Int = 8, seed: UInt64, weighted: Bool = false, extremeIds: Bool = false) -> [OracleGraph.Edge] {
        var rng = SplitMix64(seed: seed)
        var edges: [OracleGraph.Edge] = []
        for _ in 0..<(edgeFactor << scale) {
            var source = 0
            var target = 0
            for _ in 0..<scale {
                let p = rng.unit()
                let (s, t) = p < 0.57 ? (0, 0) : p < 0.76 ? (0, 1) : p < 0.95 ? (1, 0) : (1, 1)
                source = source << 1 | s
                target = target << 1 | t
            }
            let weight = weighted ? Double(rng.next() % 41) / 4 : 1
            edges.append(OracleGraph.Edge(source: scrambledID(source, extreme: extremeIds), target: scrambledID(target, extreme: extremeIds), weight: weight))
        }
        return edges
    }

    /// Sparse scrambled ids: raw * 7919 + 1_000_000_007, negated when raw % 5 == 2; with `extreme`, raw 0 and 1
    /// become Int64.max and Int64.min.
    static func scrambledID(_ raw: Int, extreme: Bool = false) -> Int64 {
        if extreme && raw == 0 { return .max }
        if extreme && raw == 1 { return .min }
        let id = Int64(raw) * 7919 + 1_000_000_007
        return raw % 5 == 2 ? -id : id
    }

    /// A graph of several weakly connected components with known membership (`groups`, each sorted): a chain
    /// with random edge directions, a directed cycle, a star whose edges all point at the centre, a random
    /// tree, two clusters joined by one edge, five isolated edges, and a vertex with only a self-loop. Ids are
    /// random, distinct, of both signs; the edges are shuffled.
    static func components(seed: UInt64) -> (edges: [OracleGraph.Edge], groups: [[Int64]]) {
        var rng = SplitMix64(seed: seed)
        var used: Set<Int64> = []
        func freshIDs(_ count: Int) -> [Int64] {
            var ids: [Int64] = []
            while ids.count < count {
                let id = Int64(bitPattern: rng.next()) % 1_000_000_000_000
                if used.insert(id).inserted { ids.append(id) }
            }
            return ids
        }
        var edges: [OracleGraph.Edge] = []
        var groups: [[Int64]] = []
        func edge(_ a: Int64, _ b: Int64) { edges.append(OracleGraph.Edge(source: a, target: b, weight: 1)) }

        let chain = freshIDs(6)
        for i in 1..<chain.count {
            if rng.next() % 2 == 0 { edge(chain[i - 1], chain[i]) } else { edge(chain[i], chain[i - 1]) }
        }
        let cycle = freshIDs(5)
        for i in 0..<cycle.count { edge(cycle[i], cycle[(i + 1) % cycle.count]) }
        let star = freshIDs(8)
        for leaf in star.dropFirst() { edge(leaf, star[0]) }
        let tree = freshIDs(20)
        for i in 1..<tree.count { edge(tree[i], tree[Int(rng.next() % UInt64(i))]) }
        let left = freshIDs(4)
        let right = freshIDs(4)
        for i in 1..<4 {
            edge(left[i - 1], left[i])
            edge(right[i], right[i - 1])
        }
        edge(right[0], left[0])
        groups += [chain, cycle, star, tree, left + right]
        for _ in 0..<5 {
            let pair = freshIDs(2)
            edge(pair[0], pair[1])
            groups.append(pair)
        }
        let loner = freshIDs(1)[0]
        edge(loner, loner)
        groups.append([loner])

        for i in stride(from: edges.count - 1, to: 0, by: -1) { edges.swapAt(i, Int(rng.next() % UInt64(i + 1))) }
        return (edges, groups.map { $0.sorted() })
    }

    /// SNAP-style text: `# title`, a column header, then one `src<TAB>dst` line per edge; a weight column is
    /// added when `weighted` (integral weights printed without a fraction, every eighth line left without one
    /// when its weight is 1).
    static func snapText(_ edges: [OracleGraph.Edge], title: String, weighted: Bool = false) -> String {
        var text = "# \(title)\n# Nodes: \(Set(edges.flatMap { [$0.source, $0.target] }).count) Edges: \(edges.count)\n"
        text += weighted ? "# FromNodeId\tToNodeId\tWeight\n" : "# FromNodeId\tToNodeId\n"
        for (i, e) in edges.enumerated() {
            text += "\(e.source)\t\(e.target)"
            if weighted && !(e.weight == 1 && i % 8 == 0) {
                text += e.weight == e.weight.rounded() ? "\t\(Int64(e.weight))" : "\t\(e.weight)"
            }
            text += "\n"
        }
        return text
    }

    /// Writes `text` to `path` (UTF-8), creating the parent directory; returns `path`.
    @discardableResult
    static func write(_ text: String, to path: String) throws -> String {
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }
}

extension SplitMix64 {
    /// A uniform Double in [0, 1).
    mutating func unit() -> Double { Double(next() >> 11) / 9_007_199_254_740_992 }
}
