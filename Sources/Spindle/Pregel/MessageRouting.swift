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
    /// The target vertex id of each slot (sorted within each destination partition).
    let slotTargets: [Int64]

    init<E>(graph: GraphPartition<E>, partitioner: PartitionFunction) {
        let partitions = partitioner.partitions
        var perPartition = Array(repeating: [Int64](), count: partitions)
        var destination = [Int32](repeating: 0, count: graph.targets.count)
        var keyBytes = [UInt8](repeating: 0, count: 8)
        for (e, target) in graph.targets.enumerated() {
            keyBytes.removeAll(keepingCapacity: true)
            target.appendShuffleBytes(to: &keyBytes)
            let q = keyBytes.withUnsafeBytes { partitioner.partition(key: $0, hash: StableHash.hash($0)) }
            destination[e] = Int32(q)
            perPartition[q].append(target)
        }
        var base = [0]
        var targets: [Int64] = []
        for q in 0..<partitions {
            let unique = Array(Set(perPartition[q])).sorted()
            perPartition[q] = unique
            targets += unique
            base.append(targets.count)
        }
        var slots = [Int32](repeating: 0, count: graph.targets.count)
        for (e, target) in graph.targets.enumerated() {
            let q = Int(destination[e])
            let list = perPartition[q]
            var low = 0
            var high = list.count
            while low < high {
                let mid = (low + high) / 2
                if list[mid] < target { low = mid + 1 } else { high = mid }
            }
            slots[e] = Int32(base[q] + low)
        }
        edgeSlots = slots
        slotBase = base
        slotTargets = targets
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

/// Sends along edges combined into dense slots (see ``MessageRouting``), on the sending partition.
@usableFromInline
final class DenseOutbox<Message: WireCodable & Sendable> {
    @usableFromInline let combine: @Sendable (inout Message, Message) -> Void
    @usableFromInline let values: UnsafeMutablePointer<Message>
    @usableFromInline let present: UnsafeMutablePointer<Bool>
    @usableFromInline let count: Int
    @exclusivity(unchecked) @usableFromInline var sends = 0

    init(slots: Int, combine: @escaping @Sendable (inout Message, Message) -> Void) {
        count = slots
        self.combine = combine
        values = .allocate(capacity: max(1, slots))
        present = .allocate(capacity: max(1, slots))
        present.initialize(repeating: false, count: max(1, slots))
    }

    deinit {
        for i in 0..<count where present[i] { (values + i).deinitialize(count: 1) }
        values.deallocate()
        present.deallocate()
    }

    @inlinable func add(slot: Int, _ message: Message) {
        sends &+= 1
        if present[slot] {
            combine(&values[slot], message)
        } else {
            (values + slot).initialize(to: message)
            present[slot] = true
        }
    }

    /// The dense block for slots `range`: varint slot count, a presence bitmap, then the present values.
    func block(_ range: Range<Int>) -> [UInt8] {
        var w = WireWriter(reservingCapacity: range.count / 8 + 16)
        w.writeVarint(UInt64(range.count))
        var bits = [UInt8](repeating: 0, count: (range.count + 7) / 8)
        for (k, slot) in range.enumerated() where present[slot] { bits[k >> 3] |= 1 << (k & 7) }
        w.writeRaw(bits)
        for slot in range where present[slot] { values[slot].encode(to: &w) }
        return w.bytes
    }

    /// Combines a dense block from sender into `inbox` through the sender's slot-to-local-index map.
    static func scatter(
        _ block: UnsafeRawBufferPointer, localIndices: [Int32], into inbox: inout [Message?],
        combine: @Sendable (inout Message, Message) -> Void, source: String
    ) throws -> Int {
        var r = WireReader(block)
        let count = Int(try r.readVarint())
        guard count == localIndices.count else {
            throw CorruptDataError(source: source, offset: 0, detail: "a dense message block has \(count) slots, the routing \(localIndices.count)")
        }
        let bits = try r.readRaw(count: (count + 7) / 8)
        var received = 0
        for k in 0..<count where bits[k >> 3] & (1 << (k & 7)) != 0 {
            let message = try Message(from: &r)
            let local = Int(localIndices[k])
            if inbox[local] == nil { inbox[local] = message } else { combine(&inbox[local]!, message) }
            received += 1
        }
        try r.expectEnd()
        return received
    }
}
