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
        let edges = graph.edgeCount
        // (So edge, vertex and slot numbers fit the 32-bit conversions below; the assembler refuses larger partitions.)
        precondition(edges < Int(Int32.max), "MessageRouting: a partition of \(edges) edges")
        let groups = Self.targetGroups(edges: edges, partitions: partitions, edgesPerTable: edgesPerTable)
        let buckets = partitions * groups
        // The edges bucketed by (destination partition, target group), in edge order, each with its target and
        // source, so that every later pass reads its bucket sequentially. (Every element of the uninitialised
        // arrays is written before it is read.)
        var bucketStart = [Int](repeating: 0, count: buckets + 1)
        var bucketed = [BucketedEdge](unsafeUninitializedCapacity: edges) { $1 = edges }
        var slotOf = [Int32](unsafeUninitializedCapacity: edges) { $1 = edges }
        var local = [Int32](unsafeUninitializedCapacity: edges) { $1 = edges }
        var sources = [Int32](unsafeUninitializedCapacity: edges) { $1 = edges }
        var targets: [Int64] = []
        var base = [0]
        var start: [Int32] = [0]
        var appearance: [Int64] = []
        var perSlot: [Int32] = []
        var rank: [Int32] = []
        let edgeTargets = graph.targets
        edgeTargets.withUnsafeBufferPointer { graphTargets in
            graph.offsets.withUnsafeBufferPointer { offsets in
                slotOf.withUnsafeMutableBufferPointer { slotOf in
                    // Bucket of each edge (kept in `slotOf` until the slots replace it), and the bucket sizes.
                    for e in 0..<edges {
                        let target = graphTargets[e]
                        let b = partitioner.partition(of: target) &* groups &+ Self.targetGroup(of: target, groups: groups)
                        slotOf[e] = Int32(truncatingIfNeeded: b)
                        bucketStart[b &+ 1] &+= 1
                    }
                    for b in 0..<buckets { bucketStart[b + 1] += bucketStart[b] }
                    var next = bucketStart
                    bucketed.withUnsafeMutableBufferPointer { bucketed in
                        next.withUnsafeMutableBufferPointer { next in
                            for v in 0..<graph.vertexCount {
                                for e in offsets[v]..<offsets[v &+ 1] {
                                    let b = Int(slotOf[e])
                                    bucketed[next[b]] = BucketedEdge(
                                        target: graphTargets[e], edge: Int32(truncatingIfNeeded: e), source: Int32(truncatingIfNeeded: v))
                                    next[b] &+= 1
                                }
                            }
                        }
                    }
                }
            }
        }
        // One lookup table for every group, emptied in between, sized for the largest group.
        let index = VertexIndexMap(expectedCount: (0..<buckets).map { bucketStart[$0 + 1] - bucketStart[$0] }.max()! / 4)
        bucketed.withUnsafeBufferPointer { bucketed in
            slotOf.withUnsafeMutableBufferPointer { slotOf in
                for q in 0..<partitions {
                    // Slots of q numbered group by group, in order of first appearance along the edges...
                    let first = targets.count
                    let qEdges = bucketStart[q * groups]..<bucketStart[(q + 1) * groups]
                    appearance.removeAll(keepingCapacity: true)
                    for g in 0..<groups {
                        let groupFirst = appearance.count
                        defer { index.removeAll(inserted: appearance[groupFirst...]) }
                        for k in bucketStart[q * groups + g]..<bucketStart[q * groups + g + 1] {
                            let target = bucketed[k].target
                            let (slot, inserted) = index.insertIfAbsent(target, Int32(truncatingIfNeeded: appearance.count))
                            if inserted { appearance.append(target) }
                            slotOf[k] = slot
                        }
                    }
                    let slots = appearance.count
                    perSlot.removeAll(keepingCapacity: true)
                    perSlot.append(contentsOf: repeatElement(0, count: slots + 1))
                    perSlot.withUnsafeMutableBufferPointer { perSlot in
                        for k in qEdges { perSlot[Int(slotOf[k]) &+ 1] &+= 1 }
                    }
                    // ...then ordered by their number of edges (stable): runs of equal counts keep the trip count of
                    // the gather's inner loop predictable.
                    Self.rankByCount(perSlot, into: &rank)
                    targets.append(contentsOf: repeatElement(0, count: slots))
                    // Where each ranked slot's edges start in `sources`: its predecessors' edge counts summed.
                    var edgeStart = [Int32](repeating: 0, count: slots + 1)
                    for i in 0..<slots {
                        let r = Int(rank[i])
                        targets[first + r] = appearance[i]
                        edgeStart[r + 1] = perSlot[i + 1]
                    }
                    let offset = Int32(qEdges.lowerBound)
                    edgeStart[0] = offset
                    for r in 0..<slots { edgeStart[r + 1] &+= edgeStart[r] }
                    start.append(contentsOf: edgeStart[1...])
                    base.append(targets.count)
                    // One pass over q's edges: each edge's final slot, and its source in the slot's stretch of
                    // `sources` (a slot's edges share its group, in edge order, so the sources come out ascending).
                    rank.withUnsafeBufferPointer { rank in
                        local.withUnsafeMutableBufferPointer { local in
                            sources.withUnsafeMutableBufferPointer { sources in
                                edgeStart.withUnsafeMutableBufferPointer { next in
                                    for k in qEdges {
                                        let r = Int(rank[Int(slotOf[k])])
                                        let edge = bucketed[k]
                                        local[Int(edge.edge)] = Int32(truncatingIfNeeded: first &+ r)
                                        sources[Int(next[r])] = edge.source
                                        next[r] &+= 1
                                    }
                                }
                            }
                        }
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
