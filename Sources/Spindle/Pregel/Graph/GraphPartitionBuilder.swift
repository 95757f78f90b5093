/// Builds a `GraphPartition` from vertices and edges fed in nondecreasing vertex-id order (as a sorted
/// merge yields them). Parallel edges and self-loops are kept, in insertion order.
struct GraphPartitionBuilder<EdgeValue> {
    private var ids: [Int64] = []
    /// The first edge of each vertex in `ids`.
    private var starts: [Int] = []
    private var targets: [Int64] = []
    private var edgeValues: [EdgeValue] = []

    /// An empty builder.
    init() {}

    /// Vertices added so far.
    var vertexCount: Int { ids.count }

    /// Edges added so far.
    var edgeCount: Int { targets.count }

    /// Reserves room for about `vertices` vertices and `edges` edges.
    mutating func reserveCapacity(vertices: Int, edges: Int) {
        ids.reserveCapacity(vertices)
        starts.reserveCapacity(vertices)
        targets.reserveCapacity(edges)
        edgeValues.reserveCapacity(edges)
    }

    /// Makes sure vertex `id` exists (with no out-edges unless `addEdge` adds some). Repeating the last
    /// id is fine; an id below the last one is a precondition failure.
    mutating func addVertex(_ id: Int64) {
        if let last = ids.last {
            if id == last { return }
            precondition(id > last, "GraphPartitionBuilder: vertex \(id) added after \(last); ids must be nondecreasing")
        }
        ids.append(id)
        starts.append(targets.count)
    }

    /// Adds the edge `from -> to` with `value`, creating vertex `from` if needed. `from` must not be below
    /// the last id added (precondition).
    mutating func addEdge(from source: Int64, to target: Int64, value: EdgeValue) {
        addVertex(source)
        targets.append(target)
        edgeValues.append(value)
    }

    /// The partition holding everything added so far.
    func build() -> GraphPartition<EdgeValue> {
        var offsets = starts
        offsets.append(targets.count)
        return GraphPartition(ids: ids, offsets: offsets, targets: targets, edgeValues: edgeValues)
    }

    /// Builds a partition from edges `(source, target, value)` in any order plus extra `vertices` (for
    /// instance ids known only as targets; duplicates allowed); edges of one source keep their order. For tests.
    static func build(unsorted edges: [(Int64, Int64, EdgeValue)], vertices: [Int64]) -> GraphPartition<EdgeValue> {
        // Sort edge indices by (source, position) so the result does not depend on sort stability.
        let order = edges.indices.sorted { (edges[$0].0, $0) < (edges[$1].0, $1) }
        let extra = vertices.sorted()
        var builder = GraphPartitionBuilder()
        var v = 0
        for e in order {
            let (source, target, value) = edges[e]
            while v < extra.count && extra[v] <= source {
                builder.addVertex(extra[v])
                v += 1
            }
            builder.addEdge(from: source, to: target, value: value)
        }
        while v < extra.count {
            builder.addVertex(extra[v])
            v += 1
        }
        return builder.build()
    }
}
