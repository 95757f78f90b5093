import SpindleCore

/// The map-side buffer of a job with a combiner: an open-addressing hash table from key bytes to one
/// combined value, so repeated keys (words) cost a lookup and a combine, not a record.
///
/// Layout, chosen for few cache misses per lookup: each slot is one `UInt64` holding the upper 32 bits of
/// the key's hash and its entry number, so most probes are settled without touching anything else; an
/// entry is one `UInt64` (key offset and length in the byte arena) plus its value. Everything is in
/// manually managed contiguous memory (no per-record objects). When ``byteCount`` passes the budget the
/// owner spills the contents, sorted by (partition, key), through a ``PartitionedSpillBuffer``.
@usableFromInline
final class CombiningTable<Value> {
    @usableFromInline let combine: @Sendable (inout Value, Value) -> Void
    /// The partition of each key, computed when the table is spilled.
    let partitioner: PartitionFunction
    /// 0 = empty; otherwise `hash >> 32 << 32 | (entry + 1)`.
    @exclusivity(unchecked) @usableFromInline var slots: UnsafeMutablePointer<UInt64>
    @exclusivity(unchecked) @usableFromInline var slotMask: Int
    /// Per entry: `keyOffset << 32 | keyLength`.
    @exclusivity(unchecked) @usableFromInline var keys: UnsafeMutablePointer<UInt64>
    @exclusivity(unchecked) @usableFromInline var values: UnsafeMutablePointer<Value>
    @exclusivity(unchecked) @usableFromInline var entryCapacity: Int
    @exclusivity(unchecked) @usableFromInline var count = 0
    @exclusivity(unchecked) @usableFromInline var arena: UnsafeMutableRawPointer
    @exclusivity(unchecked) @usableFromInline var arenaCapacity: Int
    @exclusivity(unchecked) @usableFromInline var arenaCount = 0

    init(combine: @escaping @Sendable (inout Value, Value) -> Void, partitioner: PartitionFunction) {
        self.combine = combine
        self.partitioner = partitioner
        let slotCount = 1 << 12
        slots = .allocate(capacity: slotCount)
        slots.initialize(repeating: 0, count: slotCount)
        slotMask = slotCount - 1
        entryCapacity = slotCount / 2
        keys = .allocate(capacity: entryCapacity)
        values = .allocate(capacity: entryCapacity)
        arenaCapacity = 1 << 16
        arena = .allocate(byteCount: arenaCapacity, alignment: 8)
    }

    deinit {
        values.deinitialize(count: count)
        values.deallocate()
        slots.deallocate()
        keys.deallocate()
        arena.deallocate()
    }

    /// Bytes in use, for the memory budget: keys, entries and their share of slots (the load factor is
    /// at most 1/2, so two slots per entry). Capacity may be up to twice this; it drops at ``removeAll()``.
    @inlinable var byteCount: Int {
        arenaCount &+ count &* (8 &+ 16 &+ MemoryLayout<Value>.stride)
    }

    /// Combines `value` into the entry for `key` (whose ``StableHash`` is `hash`), inserting it if new.
    @inlinable func add(key: UnsafeRawBufferPointer, hash: UInt64, value: Value) {
        let tag = hash & 0xFFFF_FFFF_0000_0000
        var slot = Int(truncatingIfNeeded: hash) & slotMask
        while true {
            let word = slots[slot]
            if word == 0 {
                insert(key: key, tag: tag, value: value, slot: slot)
                return
            }
            if word & 0xFFFF_FFFF_0000_0000 == tag {
                let entry = Int(truncatingIfNeeded: word & 0xFFFF_FFFF) &- 1
                let info = keys[entry]
                if Int(truncatingIfNeeded: info & 0xFFFF_FFFF) == key.count
                    && (key.count == 0 || memoryEqual(arena + Int(truncatingIfNeeded: info >> 32), key.baseAddress!, key.count))
                {
                    combine(&values[entry], value)
                    return
                }
            }
            slot = (slot &+ 1) & slotMask
        }
    }

    @inlinable func insert(key: UnsafeRawBufferPointer, tag: UInt64, value: Value, slot: Int) {
        if arenaCount &+ key.count > arenaCapacity { growArena(minimum: arenaCount &+ key.count) }
        if key.count > 0 { (arena + arenaCount).copyMemory(from: key.baseAddress!, byteCount: key.count) }
        keys[count] = UInt64(arenaCount) << 32 | UInt64(key.count)
        (values + count).initialize(to: value)
        slots[slot] = tag | UInt64(count &+ 1)
        arenaCount &+= key.count
        count &+= 1
        if count == entryCapacity { growEntries() }
    }

    /// The key bytes of entry `i`.
    func key(_ i: Int) -> UnsafeRawBufferPointer {
        let info = keys[i]
        return UnsafeRawBufferPointer(start: arena + Int(info >> 32), count: Int(info & 0xFFFF_FFFF))
    }

    /// Empties the table, keeping its capacity.
    func removeAll() {
        values.deinitialize(count: count)
        slots.update(repeating: 0, count: slotMask + 1)
        count = 0
        arenaCount = 0
    }

    @usableFromInline func growArena(minimum: Int) {
        var capacity = arenaCapacity * 2
        while capacity < minimum { capacity *= 2 }
        precondition(capacity < 1 << 32, "a combining table's keys exceed 4 GiB; lower --memory")
        let bigger = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 8)
        bigger.copyMemory(from: arena, byteCount: arenaCount)
        arena.deallocate()
        arena = bigger
        arenaCapacity = capacity
    }

    @usableFromInline func growEntries() {
        let capacity = entryCapacity * 2
        let biggerKeys = UnsafeMutablePointer<UInt64>.allocate(capacity: capacity)
        biggerKeys.moveInitialize(from: keys, count: count)
        keys.deallocate()
        keys = biggerKeys
        let biggerValues = UnsafeMutablePointer<Value>.allocate(capacity: capacity)
        biggerValues.moveInitialize(from: values, count: count)
        values.deallocate()
        values = biggerValues
        entryCapacity = capacity
        // Keep the load factor at most 1/2: rehash the tags into twice as many slots.
        let oldSlots = slots
        let oldCount = slotMask + 1
        let slotCount = capacity * 2
        slots = .allocate(capacity: slotCount)
        slots.initialize(repeating: 0, count: slotCount)
        slotMask = slotCount - 1
        for i in 0..<oldCount where oldSlots[i] != 0 {
            let word = oldSlots[i]
            let entry = Int(word & 0xFFFF_FFFF) - 1
            var slot = Int(truncatingIfNeeded: StableHash.hash(key(entry))) & slotMask
            while slots[slot] != 0 { slot = (slot + 1) & slotMask }
            slots[slot] = word
        }
        oldSlots.deallocate()
    }
}

extension CombiningTable: SpillableRecords where Value: WireCodable {
    /// Writes the entries sorted by (partition, key) with the radix sort of ``RecordBuffer``'s entries. Each
    /// sort entry's `valueLength` field carries the table entry's number instead: keys are distinct, so the
    /// sort never compares it.
    func write(to writer: PartitionedFileWriter) throws {
        let order = UnsafeMutablePointer<RecordBuffer.Entry>.allocate(capacity: Swift.max(count, 1))
        defer { order.deallocate() }
        for entry in 0..<count {
            let info = keys[entry]
            let key = UnsafeRawBufferPointer(start: arena + Int(info >> 32), count: Int(info & 0xFFFF_FFFF))
            let partition = partitioner.partition(key: key, hash: StableHash.hash(key))
            (order + entry).initialize(
                to: RecordBuffer.Entry(
                    prefix: RecordBlock.keyPrefix(key), partition: UInt32(truncatingIfNeeded: partition), offset: UInt32(truncatingIfNeeded: info >> 32),
                    keyLength: UInt32(truncatingIfNeeded: info & 0xFFFF_FFFF), valueLength: UInt32(truncatingIfNeeded: entry)))
        }
        EntrySorter.sort(order, count, arena: arena)
        var encoder = WireWriter()
        for i in 0..<count {
            let e = order[i]
            encoder.removeAll(keepingCapacity: true)
            values[Int(e.valueLength)].encode(to: &encoder)
            let key = UnsafeRawBufferPointer(start: arena + Int(e.offset), count: Int(e.keyLength))
            try encoder.bytes.withUnsafeBytes { try writer.append(partition: Int(e.partition), key: key, value: $0) }
        }
    }
}

/// Byte equality of two memory ranges, eight bytes at a time.
@inlinable @inline(__always)
func memoryEqual(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, _ count: Int) -> Bool {
    var i = 0
    while i &+ 8 <= count {
        if a.loadUnaligned(fromByteOffset: i, as: UInt64.self) != b.loadUnaligned(fromByteOffset: i, as: UInt64.self) { return false }
        i &+= 8
    }
    while i < count {
        if a.load(fromByteOffset: i, as: UInt8.self) != b.load(fromByteOffset: i, as: UInt8.self) { return false }
        i &+= 1
    }
    return true
}
