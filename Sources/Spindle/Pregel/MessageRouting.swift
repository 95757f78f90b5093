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
    /// edges into them, then by first appearance along the edges, so the same graph always gets the same slots.
    let slotTargets: [Int64]
    /// The edges into each slot, transposed: slot `s` is the target of the out-edges of local vertices
    /// `slotSources[slotEdgeStart[s]..<slotEdgeStart[s+1]]` (one entry per edge). Lets a superstep in which
    /// most vertices send to all their neighbours gather each slot's messages in one pass over the slots.
    let slotEdgeStart: [Int32]
    let slotSources: [Int32]

    /// Resolves the edges of `graph`. Works one destination partition at a time (edges bucketed by their
    /// target's partition first), so each lookup table stays small enough for the caches. (A radix sort by
    /// target instead measured a third slower on this project's machine.)
    init<E>(graph: GraphPartition<E>, partitioner: VertexPartitioner) {
        let partitions = partitioner.partitions
        let edges = graph.targets.count
        // The source vertex of every edge, and the edges bucketed by destination partition (in edge order).
        var edgeSource = [Int32](repeating: 0, count: edges)
        for v in 0..<graph.vertexCount {
            for e in graph.offsets[v]..<graph.offsets[v + 1] { edgeSource[e] = Int32(v) }
        }
        var destination = [UInt32](repeating: 0, count: edges)
        var bucketStart = [Int](repeating: 0, count: partitions + 1)
        graph.targets.withUnsafeBufferPointer { targets in
            for e in 0..<edges {
                let q = partitioner.partition(of: targets[e])
                destination[e] = UInt32(q)
                bucketStart[q + 1] += 1
            }
        }
        for q in 0..<partitions { bucketStart[q + 1] += bucketStart[q] }
        var bucket = [Int32](repeating: 0, count: edges)
        var next = bucketStart
        for e in 0..<edges {
            let q = Int(destination[e])
            bucket[next[q]] = Int32(e)
            next[q] += 1
        }
        var local = [Int32](repeating: 0, count: edges)
        var targets: [Int64] = []
        var base = [0]
        var start: [Int32] = [0]
        var sources = [Int32](repeating: 0, count: edges)
        var perSlot: [Int32] = []
        var appearance: [Int64] = []
        var rank: [Int32] = []
        for q in 0..<partitions {
            // Slots of q numbered in order of first appearance along the edges...
            let first = targets.count
            let slotOf = VertexIndexMap(expectedCount: (bucketStart[q + 1] - bucketStart[q]) / 4)
            appearance.removeAll(keepingCapacity: true)
            for k in bucketStart[q]..<bucketStart[q + 1] {
                let e = Int(bucket[k])
                let target = graph.targets[e]
                let (slot, inserted) = slotOf.insertIfAbsent(target, Int32(appearance.count))
                if inserted { appearance.append(target) }
                local[e] = slot
            }
            let slots = appearance.count
            perSlot.removeAll(keepingCapacity: true)
            perSlot.append(contentsOf: repeatElement(0, count: slots + 1))
            for k in bucketStart[q]..<bucketStart[q + 1] { perSlot[Int(local[Int(bucket[k])]) + 1] += 1 }
            // ...then ordered by their number of edges (stable): runs of equal counts keep the trip count of
            // the gather's inner loop predictable.
            Self.rankByCount(perSlot, into: &rank)
            targets.append(contentsOf: repeatElement(0, count: slots))
            for i in 0..<slots { targets[first + Int(rank[i])] = appearance[i] }
            for k in bucketStart[q]..<bucketStart[q + 1] {
                let e = Int(bucket[k])
                local[e] = Int32(first) + rank[Int(local[e])]
            }
            base.append(targets.count)
            // The edges into each slot of q, in source order.
            perSlot.removeAll(keepingCapacity: true)
            perSlot.append(contentsOf: repeatElement(0, count: slots + 1))
            for k in bucketStart[q]..<bucketStart[q + 1] { perSlot[Int(local[Int(bucket[k])]) - first + 1] += 1 }
            for i in 0..<slots { perSlot[i + 1] += perSlot[i] }
            let offset = Int32(bucketStart[q])
            for i in stride(from: 1, through: slots, by: 1) { start.append(offset + perSlot[i]) }
            for k in bucketStart[q]..<bucketStart[q + 1] {
                let e = Int(bucket[k])
                let i = Int(local[e]) - first
                sources[Int(offset + perSlot[i])] = edgeSource[e]
                perSlot[i] += 1
            }
        }
        edgeSlots = local
        slotBase = base
        slotTargets = targets
        slotEdgeStart = start
        slotSources = sources
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

/// The receiving side of ``MessageRouting``: for each sending partition, the local vertex index of each slot.
struct InboundRouting: Sendable {
    let localIndices: [[Int32]]
}
