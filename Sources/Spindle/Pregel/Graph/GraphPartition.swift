/// One partition's vertices and their out-edges in compressed sparse row form. Local vertex `i` has id
/// `ids[i]` (ascending, unique) and out-edges `offsets[i]..<offsets[i + 1]` of `targets` and `edgeValues`.
/// Immutable once built (see `GraphPartitionBuilder`). Once a job with a combiner has resolved its message slots,
/// ``readingTargets(through:)`` gives the same graph without its own target array: an edge's target is then read
/// as its slot's target (8 bytes per edge less).
final class GraphPartition<EdgeValue> {
    /// The vertex ids, sorted ascending, unique.
    let ids: [Int64]
    /// `ids.count + 1` ascending edge offsets, from 0 to `targets.count`.
    let offsets: [Int]
    /// The target id of every edge, grouped by source in local order; empty when targets are read through slots.
    private let storedTargets: [Int64]
    /// When targets are read through message slots: the slot of every edge, and the target id of every slot.
    private let edgeSlots: [Int32]
    private let slotTargets: [Int64]
    /// Whether edge targets are read through message slots.
    let targetsThroughSlots: Bool
    /// Number of edges.
    let edgeCount: Int
    /// The value of every edge, parallel to `targets`.
    let edgeValues: [EdgeValue]
    /// The local index of every id.
    let index: VertexIndexMap

    /// Wraps CSR arrays; they must satisfy the invariants documented on the properties (checked). `index`, when
    /// given, must map `ids[i]` to `i`; otherwise it is built.
    convenience init(ids: [Int64], offsets: [Int], targets: [Int64], edgeValues: [EdgeValue], index: VertexIndexMap? = nil) {
        self.init(
            ids: ids, offsets: offsets, edgeCount: targets.count, storedTargets: targets, edgeSlots: [], slotTargets: [],
            targetsThroughSlots: false, edgeValues: edgeValues, index: index)
    }

    /// A graph of these vertices and edges that reads edge `e`'s target as `routing.slotTargets[routing.edgeSlots[e]]`
    /// from the start (a graph image's, which keeps no target array): `offsets` must run ascending from 0 to
    /// `routing.edgeSlots.count`, with one edge value per edge, and `ids` be ascending (checked by the caller; the
    /// counts are checked here).
    convenience init(ids: [Int64], offsets: [Int], edgeValues: [EdgeValue], targetsThrough routing: MessageRouting) {
        self.init(
            ids: ids, offsets: offsets, edgeCount: routing.edgeSlots.count, storedTargets: [], edgeSlots: routing.edgeSlots,
            slotTargets: routing.slotTargets, targetsThroughSlots: true, edgeValues: edgeValues, index: nil)
    }

    /// Every stored property; checks the counts, and builds the index unless given.
    private init(
        ids: [Int64], offsets: [Int], edgeCount: Int, storedTargets: [Int64], edgeSlots: [Int32], slotTargets: [Int64],
        targetsThroughSlots: Bool, edgeValues: [EdgeValue], index: VertexIndexMap?
    ) {
        precondition(offsets.count == ids.count + 1, "offsets needs ids.count + 1 entries")
        precondition(offsets.first == 0 && offsets.last == edgeCount, "offsets must run from 0 to the edge count")
        precondition(edgeValues.count == edgeCount, "one edge value per edge is needed")
        precondition((targetsThroughSlots ? edgeSlots.count : storedTargets.count) == edgeCount, "one target or slot per edge is needed")
        self.ids = ids
        self.offsets = offsets
        self.storedTargets = storedTargets
        self.edgeSlots = edgeSlots
        self.slotTargets = slotTargets
        self.targetsThroughSlots = targetsThroughSlots
        self.edgeCount = edgeCount
        self.edgeValues = edgeValues
        if let index {
            self.index = index
        } else {
            self.index = VertexIndexMap(expectedCount: ids.count)
            for (i, id) in ids.enumerated() { _ = self.index.insertIfAbsent(id, Int32(i)) }
        }
    }

    /// This graph reading its edge targets through `routing`'s slots, which must have been resolved from it,
    /// without an array of its own (self when it does so already).
    func readingTargets(through routing: MessageRouting) -> GraphPartition {
        if targetsThroughSlots { return self }
        return GraphPartition(
            ids: ids, offsets: offsets, edgeCount: edgeCount, storedTargets: [], edgeSlots: routing.edgeSlots, slotTargets: routing.slotTargets,
            targetsThroughSlots: true, edgeValues: edgeValues, index: index)
    }

    /// The target id of every edge, grouped by source in local order. Built (O(edges)) when targets are read
    /// through slots; per-edge code uses ``target(ofEdge:)``.
    var targets: [Int64] {
        targetsThroughSlots ? edgeSlots.map { slotTargets[Int($0)] } : storedTargets
    }

    /// The target id of edge `e` (an index into the partition's edges).
    @inline(__always)
    func target(ofEdge e: Int) -> Int64 {
        targetsThroughSlots ? slotTargets[Int(edgeSlots[e])] : storedTargets[e]
    }

    /// An empty partition.
    convenience init() {
        self.init(ids: [], offsets: [0], targets: [], edgeValues: [])
    }

    /// Number of vertices.
    var vertexCount: Int { ids.count }

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
        return target(ofEdge: offsets[i] + k)
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
