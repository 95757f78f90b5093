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
    /// The target vertex id of each slot. Within a destination partition, slots are ordered by the number of
    /// edges into them, then by target group (see `init`), then by first appearance along the edges, so the
    /// same graph always gets the same slots.
    let slotTargets: [Int64]
    /// The edges into each slot, transposed: slot `s` is the target of the out-edges of local vertices
    /// `slotSources[slotEdgeStart[s]..<slotEdgeStart[s+1]]` (one entry per edge). Lets a superstep in which
    /// most vertices send to all their neighbours gather each slot's messages in one pass over the slots.
    let slotEdgeStart: [Int32]
    let slotSources: [Int32]

    /// Resolves the edges of `graph`. Works one destination partition at a time, and within it one group of
    /// targets at a time (edges bucketed by their target's partition and by other bits of its hash), so each
    /// lookup table holds at most about `edgesPerTable` edges' targets and stays in the cache. (A radix sort by
    /// target instead measured a third slower on this project's machine.)
    init<E>(graph: GraphPartition<E>, partitioner: VertexPartitioner, edgesPerTable: Int = 1 << 16) {
        let partitions = partitioner.partitions
        let edges = graph.targets.count
        let groups = Self.targetGroups(edges: edges, partitions: partitions, edgesPerTable: edgesPerTable)
        // The edges bucketed by (destination partition, target group), in edge order, each with its target and
        // source, so that every later pass reads its bucket sequentially.
        var destination = [UInt32](unsafeUninitializedCapacity: edges) { $1 = edges }
        var bucketStart = [Int](repeating: 0, count: partitions * groups + 1)
        graph.targets.withUnsafeBufferPointer { targets in
            for e in 0..<edges {
                let b = partitioner.partition(of: targets[e]) * groups + Self.targetGroup(of: targets[e], groups: groups)
                destination[e] = UInt32(b)
                bucketStart[b + 1] += 1
            }
        }
        for b in 0..<(partitions * groups) { bucketStart[b + 1] += bucketStart[b] }
        var bucketed = [BucketedEdge](unsafeUninitializedCapacity: edges) { $1 = edges }
        var next = bucketStart
        for v in 0..<graph.vertexCount {
            for e in graph.offsets[v]..<graph.offsets[v + 1] {
                let b = Int(destination[e])
                bucketed[next[b]] = BucketedEdge(target: graph.targets[e], edge: Int32(e), source: Int32(v))
                next[b] += 1
            }
        }
        // The slot of each bucketed edge, and of each edge.
        var slotOf = [Int32](unsafeUninitializedCapacity: edges) { $1 = edges }
        var local = [Int32](unsafeUninitializedCapacity: edges) { $1 = edges }
        var targets: [Int64] = []
        var base = [0]
        var start: [Int32] = [0]
        var sources = [Int32](unsafeUninitializedCapacity: edges) { $1 = edges }
        var perSlot: [Int32] = []
        var appearance: [Int64] = []
        var rank: [Int32] = []
        for q in 0..<partitions {
            // Slots of q numbered group by group, in order of first appearance along the edges...
            let first = targets.count
            let qEdges = bucketStart[q * groups]..<bucketStart[(q + 1) * groups]
            appearance.removeAll(keepingCapacity: true)
            for g in 0..<groups {
                let group = bucketStart[q * groups + g]..<bucketStart[q * groups + g + 1]
                let index = VertexIndexMap(expectedCount: group.count / 4)
                for k in group {
                    let target = bucketed[k].target
                    let (slot, inserted) = index.insertIfAbsent(target, Int32(appearance.count))
                    if inserted { appearance.append(target) }
                    slotOf[k] = slot
                }
            }
            let slots = appearance.count
            perSlot.removeAll(keepingCapacity: true)
            perSlot.append(contentsOf: repeatElement(0, count: slots + 1))
            for k in qEdges { perSlot[Int(slotOf[k]) + 1] += 1 }
            // ...then ordered by their number of edges (stable): runs of equal counts keep the trip count of
            // the gather's inner loop predictable.
            Self.rankByCount(perSlot, into: &rank)
            targets.append(contentsOf: repeatElement(0, count: slots))
            for i in 0..<slots { targets[first + Int(rank[i])] = appearance[i] }
            for k in qEdges {
                let slot = Int32(first) + rank[Int(slotOf[k])]
                slotOf[k] = slot
                local[Int(bucketed[k].edge)] = slot
            }
            base.append(targets.count)
            // The edges into each slot of q, in source order (a slot's edges share its group, in edge order).
            perSlot.removeAll(keepingCapacity: true)
            perSlot.append(contentsOf: repeatElement(0, count: slots + 1))
            for k in qEdges { perSlot[Int(slotOf[k]) - first + 1] += 1 }
            for i in 0..<slots { perSlot[i + 1] += perSlot[i] }
            let offset = Int32(qEdges.lowerBound)
            for i in stride(from: 1, through: slots, by: 1) { start.append(offset + perSlot[i]) }
            perSlot.withUnsafeMutableBufferPointer { next in
                sources.withUnsafeMutableBufferPointer { sources in
                    for k in qEdges {
                        let i = Int(slotOf[k]) - first
                        sources[Int(offset + next[i])] = bucketed[k].source
                        next[i] += 1
                    }
                }
            }
        }
        edgeSlots = local
        slotBase = base
        slotTargets = targets
        slotEdgeStart = start
        slotSources = sources
    }

    /// Target groups per destination partition: a power of two, so that a group has about `edgesPerTable` edges at most.
    static func targetGroups(edges: Int, partitions: Int, edgesPerTable: Int) -> Int {
        var groups = 1
        while groups < 64 && edges > groups * partitions * edgesPerTable { groups <<= 1 }
        return groups
    }

    /// The group of target `id` among `groups` (a power of two): bits of its hash that neither the partitioner
    /// (the top ones) nor the lookup tables (the bottom ones) use.
    @inline(__always) static func targetGroup(of id: Int64, groups: Int) -> Int {
        Int(truncatingIfNeeded: VertexIndexMap.mix(id) >> 32) & (groups - 1)
    }

    /// Counts above this share one class when slots are ordered by count.
    static let countClasses = 64

    /// `rank[i]`: the position of slot `i` when slots are ordered by their edge count (`counts[i + 1]`, capped
    /// at ``countClasses``), ties in slot order.
    static func rankByCount(_ counts: [Int32], into rank: inout [Int32]) {
        let slots = counts.count - 1
        var classStart = [Int32](repeating: 0, count: countClasses + 2)
        for i in 0..<slots { classStart[Int(min(counts[i + 1], Int32(countClasses))) + 1] += 1 }
        for c in 0...countClasses { classStart[c + 1] += classStart[c] }
        rank.removeAll(keepingCapacity: true)
        rank.append(contentsOf: repeatElement(0, count: slots))
        for i in 0..<slots {
            let c = Int(min(counts[i + 1], Int32(countClasses)))
            rank[i] = classStart[c]
            classStart[c] += 1
        }
    }

    /// The slot target ids for destination partition q, as little-endian bytes (what the receiver resolves).
    func targetBytes(for q: Int) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity((slotBase[q + 1] - slotBase[q]) * 8)
        for id in slotTargets[slotBase[q]..<slotBase[q + 1]] { withUnsafeBytes(of: id.littleEndian) { bytes.append(contentsOf: $0) } }
        return bytes
    }
}

/// An edge in ``MessageRouting``'s buckets: its target, its index, and its source's local index.
private struct BucketedEdge {
    var target: Int64
    var edge: Int32
    var source: Int32
}

/// The receiving side of ``MessageRouting``: for each sending partition, the local vertex index of each slot.
struct InboundRouting: Sendable {
    let localIndices: [[Int32]]
}
