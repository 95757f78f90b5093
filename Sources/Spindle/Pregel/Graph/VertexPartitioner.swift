/// Which partition holds a vertex: a hash of the id, the same in every process of a run. Loaders send
/// edges to their source's partition with it, and senders route messages to their target's partition.
struct VertexPartitioner: Sendable, Equatable {
    /// Number of partitions (at least 1).
    let partitions: Int

    init(partitions: Int) {
        precondition(partitions >= 1, "a graph needs at least one partition")
        self.partitions = partitions
    }

    /// The partition of vertex `id`, in `0..<partitions`: the high 32 bits of the mixed id scaled to the
    /// partition count (``VertexIndexMap`` uses the low bits, so the two stay independent).
    @inline(__always) func partition(of id: Int64) -> Int {
        Int(((VertexIndexMap.mix(id) >> 32) &* UInt64(partitions)) >> 32)
    }
}
