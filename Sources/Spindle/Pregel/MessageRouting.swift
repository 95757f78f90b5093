import SpindleCore

/// Message targets resolved once, for jobs with a combiner: every out-edge of a partition has a *slot*,
/// one per distinct target vertex per destination partition. A superstep combines what is sent along
/// edges into a dense array of slots and ships each destination partition its stretch of slots without
/// keys; the receiver maps slot numbers to its local vertex indices once (``InboundRouting``).
struct MessageRouting: Sendable {
    /// Slot of each out-edge (same order as the partition's `targets`).
    let edgeSlots: [Int32]
    /// Slots of destination partition q are `slotBase[q]..<slotBase[q+1]`.
    let slotBase: [Int]
    /// The target vertex id of each slot (within a destination partition, in order of first appearance
    /// along the edges, so the same graph always gets the same slots).
    let slotTargets: [Int64]
    /// The edges into each slot, transposed: slot `s` is the target of the out-edges of local vertices
    /// `slotSources[slotEdgeStart[s]..<slotEdgeStart[s+1]]` (one entry per edge). Lets a superstep in which
    /// most vertices send to all their neighbours gather each slot's messages in one pass over the slots.
    let slotEdgeStart: [Int32]
    let slotSources: [Int32]

    init<E>(graph: GraphPartition<E>, partitioner: VertexPartitioner) {
        let partitions = partitioner.partitions
        var perPartition = Array(repeating: [Int64](), count: partitions)
        let slotOf = VertexIndexMap(expectedCount: graph.targets.count / 8)
        let edges = graph.targets.count
        var local = [Int32](repeating: 0, count: edges)
        graph.targets.withUnsafeBufferPointer { targets in
            for e in 0..<edges {
                let target = targets[e]
                if let slot = slotOf.index(of: target) {
                    local[e] = slot
                } else {
                    let q = partitioner.partition(of: target)
                    let slot = Int32(perPartition[q].count)
                    perPartition[q].append(target)
                    _ = slotOf.insertIfAbsent(target, slot)
                    local[e] = slot
                }
            }
        }
        var base = [0]
        var targets: [Int64] = []
        targets.reserveCapacity(slotOf.count)
        for q in 0..<partitions {
            targets += perPartition[q]
            base.append(targets.count)
        }
        for e in 0..<edges { local[e] += Int32(base[partitioner.partition(of: graph.targets[e])]) }
        var start = [Int32](repeating: 0, count: targets.count + 1)
        for e in 0..<edges { start[Int(local[e]) + 1] += 1 }
        for s in 0..<targets.count { start[s + 1] += start[s] }
        var fill = start
        var sources = [Int32](repeating: 0, count: edges)
        for v in 0..<graph.vertexCount {
            for e in graph.offsets[v]..<graph.offsets[v + 1] {
                let s = Int(local[e])
                sources[Int(fill[s])] = Int32(v)
                fill[s] += 1
            }
        }
        edgeSlots = local
        slotBase = base
        slotTargets = targets
        slotEdgeStart = start
        slotSources = sources
    }

    /// The slot target ids for destination partition q, as little-endian bytes (what the receiver resolves).
    func targetBytes(for q: Int) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity((slotBase[q + 1] - slotBase[q]) * 8)
        for id in slotTargets[slotBase[q]..<slotBase[q + 1]] { withUnsafeBytes(of: id.littleEndian) { bytes.append(contentsOf: $0) } }
        return bytes
    }
}

/// The receiving side of ``MessageRouting``: for each sending partition, the local vertex index of each slot.
struct InboundRouting: Sendable {
    let localIndices: [[Int32]]
}
