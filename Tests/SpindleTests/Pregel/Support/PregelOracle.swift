import Foundation

/// Sequential references of the built-in Pregel jobs (pagerank, cc, sssp), written for clarity, not speed.
enum PregelOracle {
    /// PageRank by `iterations` power-iteration steps from r0 = 1/N (networkx's definition on a multigraph):
    /// r'(v) = (1-d)/N + d * (dangling/N + Σ over edges u→v of r(u)/outdeg(u)), dangling = Σ r over vertices
    /// of out-degree 0. Empty for an empty graph.
    static func pagerank(_ graph: OracleGraph, damping: Double = 0.85, iterations: Int = 20) -> [Int64: Double] {
        var ranks = initialRanks(graph)
        for _ in 0..<iterations { ranks = pagerankStep(graph, ranks, damping: damping) }
        return ranks
    }

    /// PageRank iterated until the L1 change Σ|r' - r| of one step is below `tolerance`, or `maxIterations`
    /// steps; returns the ranks and the number of steps taken (the step that went below the tolerance counts).
    static func pagerank(_ graph: OracleGraph, damping: Double = 0.85, tolerance: Double, maxIterations: Int = 1000)
        -> (ranks: [Int64: Double], iterations: Int)
    {
        var ranks = initialRanks(graph)
        var steps = 0
        while steps < maxIterations {
            let next = pagerankStep(graph, ranks, damping: damping)
            steps += 1
            let change = graph.vertices.reduce(0.0) { $0 + abs(next[$1]! - ranks[$1]!) }
            ranks = next
            if change < tolerance { break }
        }
        return (ranks, steps)
    }

    /// Every vertex at 1/N.
    static func initialRanks(_ graph: OracleGraph) -> [Int64: Double] {
        let n = Double(graph.vertices.count)
        return Dictionary(uniqueKeysWithValues: graph.vertices.map { ($0, 1 / n) })
    }

    /// One power-iteration step of PageRank from `ranks`.
    static func pagerankStep(_ graph: OracleGraph, _ ranks: [Int64: Double], damping: Double) -> [Int64: Double] {
        let n = Double(graph.vertices.count)
        let outDegrees = graph.outDegrees
        var dangling = 0.0
        for v in graph.vertices where outDegrees[v]! == 0 { dangling += ranks[v]! }
        var incoming: [Int64: Double] = [:]
        for edge in graph.edges { incoming[edge.target, default: 0] += ranks[edge.source]! / Double(outDegrees[edge.source]!) }
        var next: [Int64: Double] = [:]
        for v in graph.vertices { next[v] = (1 - damping) / n + damping * (dangling / n + incoming[v, default: 0]) }
        return next
    }

    /// Weakly connected components: each vertex labelled with the smallest id in its component, edges taken
    /// as undirected.
    static func connectedComponents(_ graph: OracleGraph) -> [Int64: Int64] {
        var neighbours: [Int64: [Int64]] = [:]
        for edge in graph.edges {
            neighbours[edge.source, default: []].append(edge.target)
            neighbours[edge.target, default: []].append(edge.source)
        }
        var labels: [Int64: Int64] = [:]
        // Vertices are visited in ascending order, so the first vertex of each new component is its smallest id.
        for start in graph.vertices where labels[start] == nil {
            labels[start] = start
            var stack = [start]
            while let v = stack.popLast() {
                for w in neighbours[v, default: []] where labels[w] == nil {
                    labels[w] = start
                    stack.append(w)
                }
            }
        }
        return labels
    }

    /// Directed single-source shortest path distances over the edge weights (assumed non-negative), by
    /// Dijkstra; nil for an unreachable vertex, and for every vertex when `source` is not in the graph.
    static func sssp(_ graph: OracleGraph, source: Int64) -> [Int64: Double?] {
        var outEdges: [Int64: [OracleGraph.Edge]] = [:]
        for edge in graph.edges { outEdges[edge.source, default: []].append(edge) }
        var best: [Int64: Double] = [:]
        var settled: Set<Int64> = []
        var queue = DistanceQueue()
        if graph.vertices.contains(source) {
            best[source] = 0
            queue.push(source, 0)
        }
        while let (v, d) = queue.pop() {
            guard !settled.contains(v), d == best[v] else { continue }
            settled.insert(v)
            for edge in outEdges[v, default: []] {
                let candidate = d + edge.weight
                if best[edge.target].map({ candidate < $0 }) ?? true {
                    best[edge.target] = candidate
                    queue.push(edge.target, candidate)
                }
            }
        }
        var result: [Int64: Double?] = [:]
        for v in graph.vertices { result[v] = .some(best[v]) }
        return result
    }
}

/// A binary min-heap of (vertex, distance) for Dijkstra; stale entries are skipped by the caller.
private struct DistanceQueue {
    private var heap: [(vertex: Int64, distance: Double)] = []

    mutating func push(_ vertex: Int64, _ distance: Double) {
        heap.append((vertex, distance))
        var i = heap.count - 1
        while i > 0, heap[(i - 1) / 2].distance > heap[i].distance {
            heap.swapAt(i, (i - 1) / 2)
            i = (i - 1) / 2
        }
    }

    mutating func pop() -> (Int64, Double)? {
        guard let top = heap.first else { return nil }
        heap.swapAt(0, heap.count - 1)
        heap.removeLast()
        var i = 0
        while true {
            var smallest = i
            for child in [2 * i + 1, 2 * i + 2] where child < heap.count && heap[child].distance < heap[smallest].distance { smallest = child }
            if smallest == i { break }
            heap.swapAt(i, smallest)
            i = smallest
        }
        return (top.vertex, top.distance)
    }
}
