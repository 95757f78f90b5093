import SpindleCore

/// The map-side buffer of a job with a combiner: an open-addressing hash table from key bytes to one
/// combined value, so repeated keys (words) cost a lookup and a combine, not a record.
///
/// Keys live in one byte arena; hashes, key positions and values in parallel manually managed arrays
/// (no per-record objects). When ``byteCount`` passes the budget the owner spills the sorted contents
/// and calls ``removeAll()``.
@usableFromInline
final class CombiningTable<Value> {
    @usableFromInline let combine: @Sendable (inout Value, Value) -> Void
    @usableFromInline var slots: UnsafeMutablePointer<Int32>
    @usableFromInline var slotMask: Int
    @usableFromInline var hashes: UnsafeMutablePointer<UInt64>
    @usableFromInline var keyStarts: UnsafeMutablePointer<Int>
    @usableFromInline var keyLengths: UnsafeMutablePointer<Int32>
    @usableFromInline var values: UnsafeMutablePointer<Value>
    @usableFromInline var entryCapacity: Int
    @usableFromInline var count = 0
    @usableFromInline var arena: UnsafeMutableRawPointer
    @usableFromInline var arenaCapacity: Int
    @usableFromInline var arenaCount = 0

    init(combine: @escaping @Sendable (inout Value, Value) -> Void) {
        self.combine = combine
        let slotCount = 1 << 12
        slots = .allocate(capacity: slotCount)
        slots.initialize(repeating: -1, count: slotCount)
        slotMask = slotCount - 1
        entryCapacity = slotCount / 2
        hashes = .allocate(capacity: entryCapacity)
        keyStarts = .allocate(capacity: entryCapacity)
        keyLengths = .allocate(capacity: entryCapacity)
        values = .allocate(capacity: entryCapacity)
        arenaCapacity = 1 << 16
        arena = .allocate(byteCount: arenaCapacity, alignment: 8)
    }

    deinit {
        values.deinitialize(count: count)
        values.deallocate()
        slots.deallocate()
        hashes.deallocate()
        keyStarts.deallocate()
        keyLengths.deallocate()
        arena.deallocate()
    }

    /// Bytes held, for the memory budget.
    @inlinable var byteCount: Int {
        arenaCapacity + (slotMask + 1) * 4 + entryCapacity * (8 + 8 + 4 + MemoryLayout<Value>.stride)
    }

    /// Combines `value` into the entry for `key` (whose ``StableHash`` is `hash`), inserting it if new.
    @inlinable func add(key: UnsafeRawBufferPointer, hash: UInt64, value: Value) {
        var slot = Int(truncatingIfNeeded: hash) & slotMask
        while true {
            let entry = Int(slots[slot])
            if entry < 0 {
                insert(key: key, hash: hash, value: value, slot: slot)
                return
            }
            if hashes[entry] == hash && Int(keyLengths[entry]) == key.count
                && (key.count == 0 || memoryEqual(arena + keyStarts[entry], key.baseAddress!, key.count))
            {
                combine(&values[entry], value)
                return
            }
            slot = (slot + 1) & slotMask
        }
    }

    @usableFromInline func insert(key: UnsafeRawBufferPointer, hash: UInt64, value: Value, slot: Int) {
        if arenaCount + key.count > arenaCapacity { growArena(minimum: arenaCount + key.count) }
        if key.count > 0 { (arena + arenaCount).copyMemory(from: key.baseAddress!, byteCount: key.count) }
        hashes[count] = hash
        keyStarts[count] = arenaCount
        keyLengths[count] = Int32(key.count)
        (values + count).initialize(to: value)
        slots[slot] = Int32(count)
        arenaCount += key.count
        count += 1
        if count == entryCapacity { growEntries() }
    }

    /// The key bytes of entry `i`.
    func key(_ i: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: arena + keyStarts[i], count: Int(keyLengths[i]))
    }

    /// Empties the table, keeping its capacity.
    func removeAll() {
        values.deinitialize(count: count)
        slots.update(repeating: -1, count: slotMask + 1)
        count = 0
        arenaCount = 0
    }

    private func growArena(minimum: Int) {
        var capacity = arenaCapacity * 2
        while capacity < minimum { capacity *= 2 }
        let bigger = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 8)
        bigger.copyMemory(from: arena, byteCount: arenaCount)
        arena.deallocate()
        arena = bigger
        arenaCapacity = capacity
    }

    private func growEntries() {
        let capacity = entryCapacity * 2
        func grow<T>(_ p: UnsafeMutablePointer<T>) -> UnsafeMutablePointer<T> {
            let q = UnsafeMutablePointer<T>.allocate(capacity: capacity)
            q.moveInitialize(from: p, count: count)
            p.deallocate()
            return q
        }
        hashes = grow(hashes)
        keyStarts = grow(keyStarts)
        keyLengths = grow(keyLengths)
        values = grow(values)
        entryCapacity = capacity
        // Keep the load factor at most 1/2.
        let slotCount = capacity * 2
        slots.deallocate()
        slots = .allocate(capacity: slotCount)
        slots.initialize(repeating: -1, count: slotCount)
        slotMask = slotCount - 1
        for entry in 0..<count {
            var slot = Int(truncatingIfNeeded: hashes[entry]) & slotMask
            while slots[slot] >= 0 { slot = (slot + 1) & slotMask }
            slots[slot] = Int32(entry)
        }
    }
}

/// Byte equality of two memory ranges, eight bytes at a time.
@inlinable @inline(__always)
func memoryEqual(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, _ count: Int) -> Bool {
    var i = 0
    while i + 8 <= count {
        if a.loadUnaligned(fromByteOffset: i, as: UInt64.self) != b.loadUnaligned(fromByteOffset: i, as: UInt64.self) { return false }
        i += 8
    }
    while i < count {
        if a.load(fromByteOffset: i, as: UInt8.self) != b.load(fromByteOffset: i, as: UInt8.self) { return false }
        i += 1
    }
    return true
}
