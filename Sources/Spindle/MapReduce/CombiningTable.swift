import SpindleCore

/// The map-side buffer of a job with a combiner: an open-addressing hash table from key bytes to one
/// combined value, so repeated keys (words) cost a lookup and a combine, not a record.
///
/// Layout, chosen so that a lookup touches one cache line: each slot holds the key's hash tag and length,
/// the key's offset in the byte arena, its first eight bytes and the combined value, side by side (32 bytes
/// for an `Int` value). A key of up to eight bytes (most words) is matched and combined without leaving the
/// slot; a longer one compares its remaining bytes in the arena. Everything is in manually managed
/// contiguous memory (no per-record objects). When ``byteCount`` passes the budget the owner spills the
/// contents, sorted by (partition, key), through a ``PartitionedSpillBuffer``.
@usableFromInline
final class CombiningTable<Value> {
    @usableFromInline let combine: @Sendable (inout Value, Value) -> Void
    /// The partition of each key, computed when the table is spilled.
    let partitioner: PartitionFunction
    /// `slotCount` slots of `slotStride` bytes. Per slot: the header word (0 = empty; otherwise the upper 32
    /// bits of the key's hash with bit 32 set, OR the key length), the key's arena offset, the first eight key
    /// bytes (``CombiningTable/keyHead(_:)``), then the value at `valueOffset`.
    @exclusivity(unchecked) @usableFromInline var slots: UnsafeMutableRawPointer
    @exclusivity(unchecked) @usableFromInline var slotMask: Int
    @exclusivity(unchecked) @usableFromInline var count = 0
    @exclusivity(unchecked) @usableFromInline var arena: UnsafeMutableRawPointer
    @exclusivity(unchecked) @usableFromInline var arenaCapacity: Int
    @exclusivity(unchecked) @usableFromInline var arenaCount = 0
    @usableFromInline let slotStride: Int
    @usableFromInline let slotAlignment: Int

    /// Byte offset of the value in a slot.
    @usableFromInline static var valueOffset: Int {
        let alignment = MemoryLayout<Value>.alignment
        return (24 + alignment - 1) / alignment * alignment
    }

    init(combine: @escaping @Sendable (inout Value, Value) -> Void, partitioner: PartitionFunction) {
        self.combine = combine
        self.partitioner = partitioner
        slotAlignment = Swift.max(8, MemoryLayout<Value>.alignment)
        slotStride = (Self.valueOffset + MemoryLayout<Value>.size + slotAlignment - 1) / slotAlignment * slotAlignment
        let slotCount = 1 << 12
        slots = Self.allocateSlots(slotCount, stride: slotStride, alignment: slotAlignment)
        slotMask = slotCount - 1
        arenaCapacity = 1 << 16
        arena = .allocate(byteCount: arenaCapacity, alignment: 8)
    }

    deinit {
        deinitializeValues()
        slots.deallocate()
        arena.deallocate()
    }

    /// Bytes in use, for the memory budget: keys, and two slots per entry (the load factor is at most 1/2).
    /// Capacity may be up to twice this; it drops at ``removeAll()``.
    @inlinable var byteCount: Int {
        arenaCount &+ count &* 2 &* slotStride
    }

    /// Combines `value` into the entry for `key`, inserting it if new.
    @inlinable func add(key: UnsafeRawBufferPointer, value: Value) {
        let head = Self.keyHead(key)
        let hash = Self.slotHash(key, head: head)
        let header = (hash | 0x1_0000_0000) & 0xFFFF_FFFF_0000_0000 | UInt64(truncatingIfNeeded: key.count)
        var slot = Int(truncatingIfNeeded: hash) & slotMask
        while true {
            let p = slots + slot &* slotStride
            let word = p.load(as: UInt64.self)
            if word == 0 {
                insert(key: key, header: header, head: head, value: value, at: p)
                return
            }
            if word == header && p.load(fromByteOffset: 16, as: UInt64.self) == head
                && (key.count <= 8
                    || memoryEqual(
                        arena + (Int(truncatingIfNeeded: p.load(fromByteOffset: 8, as: UInt64.self)) &+ 8), key.baseAddress! + 8, key.count &- 8))
            {
                combine(&(p + Self.valueOffset).assumingMemoryBound(to: Value.self).pointee, value)
                return
            }
            slot = (slot &+ 1) & slotMask
        }
    }

    @inlinable func insert(key: UnsafeRawBufferPointer, header: UInt64, head: UInt64, value: Value, at p: UnsafeMutableRawPointer) {
        if arenaCount &+ key.count > arenaCapacity { growArena(minimum: arenaCount &+ key.count) }
        if key.count > 0 { (arena + arenaCount).copyMemory(from: key.baseAddress!, byteCount: key.count) }
        p.storeBytes(of: header, as: UInt64.self)
        p.storeBytes(of: UInt64(arenaCount), toByteOffset: 8, as: UInt64.self)
        p.storeBytes(of: head, toByteOffset: 16, as: UInt64.self)
        (p + Self.valueOffset).initializeMemory(as: Value.self, to: value)
        arenaCount &+= key.count
        count &+= 1
        if count &* 2 > slotMask { growSlots() }
    }

    /// Where `key` (whose ``keyHead(_:)`` is `head`) lives in the table: one folded multiply of the head and
    /// length for a key of up to eight bytes (they are the whole key), ``StableHash`` for a longer one.
    @inlinable @inline(__always)
    static func slotHash(_ key: UnsafeRawBufferPointer, head: UInt64) -> UInt64 {
        guard key.count <= 8 else { return StableHash.hash(key) }
        let product = (head ^ 0x9E37_79B9_7F4A_7C15).multipliedFullWidth(by: 0xD6E8_FEB8_6659_FD93 ^ UInt64(truncatingIfNeeded: key.count))
        return product.high ^ product.low
    }

    /// The first eight bytes of `key`, zero-padded, little-endian: with the length, the whole of a short key.
    @inlinable @inline(__always)
    static func keyHead(_ key: UnsafeRawBufferPointer) -> UInt64 {
        let n = key.count
        guard n > 0, let p = key.baseAddress else { return 0 }
        if n >= 8 { return UInt64(littleEndian: p.loadUnaligned(as: UInt64.self)) }
        if n >= 4 {
            // Two overlapping 4-byte loads; the overlap carries the same bytes in both.
            let low = UInt64(UInt32(littleEndian: p.loadUnaligned(as: UInt32.self)))
            let high = UInt64(UInt32(littleEndian: p.loadUnaligned(fromByteOffset: n &- 4, as: UInt32.self)))
            return low | high &<< UInt64(truncatingIfNeeded: (n &- 4) &* 8)
        }
        let first = UInt64(p.load(as: UInt8.self))
        let middle = UInt64(p.load(fromByteOffset: n &>> 1, as: UInt8.self))
        let last = UInt64(p.load(fromByteOffset: n &- 1, as: UInt8.self))
        return first | middle &<< UInt64(truncatingIfNeeded: (n &>> 1) &* 8) | last &<< UInt64(truncatingIfNeeded: (n &- 1) &* 8)
    }

    /// The key bytes of the entry in the occupied slot at `p`.
    func key(at p: UnsafeRawPointer) -> UnsafeRawBufferPointer {
        let length = Int(truncatingIfNeeded: p.load(as: UInt64.self) & 0xFFFF_FFFF)
        return UnsafeRawBufferPointer(start: arena + Int(truncatingIfNeeded: p.load(fromByteOffset: 8, as: UInt64.self)), count: length)
    }

    /// Calls `body` with each occupied slot, in slot order.
    func forEachSlot(_ body: (UnsafeMutableRawPointer) throws -> Void) rethrows {
        for slot in 0...slotMask {
            let p = slots + slot * slotStride
            if p.load(as: UInt64.self) != 0 { try body(p) }
        }
    }

    /// Calls `body` with the key bytes and value of each entry, in slot order.
    func forEachEntry(_ body: (UnsafeRawBufferPointer, Value) throws -> Void) rethrows {
        try forEachSlot { p in try body(key(at: p), (p + Self.valueOffset).assumingMemoryBound(to: Value.self).pointee) }
    }

    /// Empties the table, keeping its capacity.
    func removeAll() {
        deinitializeValues()
        slots.initializeMemory(as: UInt8.self, repeating: 0, count: (slotMask + 1) * slotStride)
        count = 0
        arenaCount = 0
    }

    private func deinitializeValues() {
        forEachSlot { p in (p + Self.valueOffset).assumingMemoryBound(to: Value.self).deinitialize(count: 1) }
    }

    private static func allocateSlots(_ slotCount: Int, stride: Int, alignment: Int) -> UnsafeMutableRawPointer {
        let slots = UnsafeMutableRawPointer.allocate(byteCount: slotCount * stride, alignment: alignment)
        slots.initializeMemory(as: UInt8.self, repeating: 0, count: slotCount * stride)
        return slots
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

    /// Doubles the slots, keeping the load factor at most 1/2; entries move with their values.
    @usableFromInline func growSlots() {
        let oldSlots = slots
        let oldCount = slotMask + 1
        let slotCount = oldCount * 2
        slots = Self.allocateSlots(slotCount, stride: slotStride, alignment: slotAlignment)
        slotMask = slotCount - 1
        for old in 0..<oldCount {
            let source = oldSlots + old * slotStride
            guard source.load(as: UInt64.self) != 0 else { continue }
            let key = key(at: source)
            var slot = Int(truncatingIfNeeded: Self.slotHash(key, head: Self.keyHead(key))) & slotMask
            while (slots + slot * slotStride).load(as: UInt64.self) != 0 { slot = (slot + 1) & slotMask }
            let target = slots + slot * slotStride
            target.copyMemory(from: source, byteCount: Self.valueOffset)
            (target + Self.valueOffset).moveInitializeMemory(
                as: Value.self, from: (source + Self.valueOffset).assumingMemoryBound(to: Value.self), count: 1)
        }
        oldSlots.deallocate()
    }
}

extension CombiningTable: SpillableRecords where Value: WireCodable {
    /// Writes the entries sorted by (partition, key) with the radix sort of ``RecordBuffer``'s entries. Each
    /// sort entry's `valueLength` field carries the entry's slot number instead: keys are distinct, so the
    /// sort never compares it.
    func write(to writer: PartitionedFileWriter) throws {
        let order = UnsafeMutablePointer<RecordBuffer.Entry>.allocate(capacity: Swift.max(count, 1))
        defer { order.deallocate() }
        var n = 0
        forEachSlot { p in
            let key = key(at: p)
            let partition = partitioner.partition(key: key)
            (order + n).initialize(
                to: RecordBuffer.Entry(
                    prefix: RecordBlock.keyPrefix(key), partition: UInt32(truncatingIfNeeded: partition),
                    offset: UInt32(truncatingIfNeeded: key.baseAddress! - UnsafeRawPointer(arena)),
                    keyLength: UInt32(truncatingIfNeeded: key.count), valueLength: UInt32(truncatingIfNeeded: (p - slots) / slotStride)))
            n += 1
        }
        EntrySorter.sort(order, n, arena: arena)
        var encoder = WireWriter()
        for i in 0..<n {
            let e = order[i]
            encoder.removeAll(keepingCapacity: true)
            (slots + Int(e.valueLength) * slotStride + Self.valueOffset).assumingMemoryBound(to: Value.self).pointee.encode(to: &encoder)
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
