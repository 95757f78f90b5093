/// One partition's vertices and their out-edges in compressed sparse row form. Local vertex `i` has id
/// `ids[i]` (ascending, unique) and out-edges `offsets[i]..<offsets[i + 1]` of `targets` and `edgeValues`.
/// Immutable once built (see `GraphPartitionBuilder`).
final class GraphPartition<EdgeValue> {
    /// The vertex ids, sorted ascending, unique.
    let ids: [Int64]
    /// `ids.count + 1` ascending edge offsets, from 0 to `targets.count`.
    let offsets: [Int]
    /// The target id of every edge, grouped by source in local order.
    let targets: [Int64]
    /// The value of every edge, parallel to `targets`.
    let edgeValues: [EdgeValue]
    /// The local index of every id.
    let index: VertexIndexMap

    /// Wraps CSR arrays; they must satisfy the invariants documented on the properties (checked). `index`, when
    /// given, must map `ids[i]` to `i`; otherwise it is built.
    init(ids: [Int64], offsets: [Int], targets: [Int64], edgeValues: [EdgeValue], index: VertexIndexMap? = nil) {
        precondition(offsets.count == ids.count + 1, "offsets needs ids.count + 1 entries")
        precondition(offsets.first == 0 && offsets.last == targets.count, "offsets must run from 0 to targets.count")
        precondition(targets.count == edgeValues.count, "targets and edgeValues differ in length")
        self.ids = ids
        self.offsets = offsets
        self.targets = targets
        self.edgeValues = edgeValues
        if let index {
            self.index = index
        } else {
            self.index = VertexIndexMap(expectedCount: ids.count)
            for (i, id) in ids.enumerated() { _ = self.index.insertIfAbsent(id, Int32(i)) }
        }
    }

    /// An empty partition.
    convenience init() {
        self.init(ids: [], offsets: [0], targets: [], edgeValues: [])
    }

    /// Number of vertices.
    var vertexCount: Int { ids.count }

    /// Number of edges.
    var edgeCount: Int { targets.count }

    /// Number of out-edges of local vertex `i`.
    @inline(__always)
    func outDegree(_ i: Int) -> Int { offsets[i + 1] - offsets[i] }

    /// The half-open range `(start, end)` of local vertex `i`'s edges in `targets` and `edgeValues`.
    @inline(__always)
    func edgeRange(_ i: Int) -> (Int, Int) { (offsets[i], offsets[i + 1]) }

    /// The target of out-edge `k` (0..<outDegree(i)) of local vertex `i`.
    @inline(__always)
    func edgeTarget(_ i: Int, _ k: Int) -> Int64 {
        precondition(k >= 0 && k < outDegree(i), "edge index out of range")
        return targets[offsets[i] + k]
    }

    /// The value of out-edge `k` (0..<outDegree(i)) of local vertex `i`.
    @inline(__always)
    func edgeValue(_ i: Int, _ k: Int) -> EdgeValue {
        precondition(k >= 0 && k < outDegree(i), "edge index out of range")
        return edgeValues[offsets[i] + k]
    }

    /// The local index of vertex `id`, or nil if this partition does not hold it.
    @inline(__always)
    func localIndex(of id: Int64) -> Int? { index.index(of: id).map { Int($0) } }

    /// Builds a partition from edges `(source, target, value)` in any order plus extra `vertices` (for
    /// instance ids known only as targets); edges of one source keep their order. For tests.
    static func build(unsorted edges: [(Int64, Int64, EdgeValue)], vertices: [Int64]) -> GraphPartition {
        GraphPartitionBuilder.build(unsorted: edges, vertices: vertices)
    }
}

extension GraphPartition: Sendable where EdgeValue: Sendable {}
