/// A hash map from vertex id to a dense `Int32` index, for the per-edge lookups of graph loading and message
/// routing: open addressing with linear probing over one contiguous table of (id, index) entries, a
/// power-of-two capacity kept at most half full, no allocation per entry. Indices must be non-negative.
final class VertexIndexMap: @unchecked Sendable {  // Filled by one task; only read once that task has built it.
    private struct Entry {
        var key: Int64
        /// -1: the entry is free.
        var value: Int32
        /// Occurrences counted by ``number(_:into:tally:inserted:)`` (in what would be the entry's padding).
        var tally: Int32 = 0
    }
    private var entries: UnsafeMutablePointer<Entry>
    private var mask: Int
    /// Ids in the map.
    private(set) var count = 0

    /// An empty map with room for `expectedCount` ids before it grows.
    init(expectedCount: Int = 0) {
        var capacity = 16
        while capacity < 2 * expectedCount { capacity <<= 1 }
        entries = Self.allocate(capacity)
        mask = capacity - 1
    }

    deinit { entries.deallocate() }

    private static func allocate(_ capacity: Int) -> UnsafeMutablePointer<Entry> {
        let table = UnsafeMutablePointer<Entry>.allocate(capacity: capacity)
        table.initialize(repeating: Entry(key: 0, value: -1), count: capacity)
        return table
    }

    /// Mixes all 64 bits of the id into the low bits (MurmurHash3's finalizer).
    @inline(__always) static func mix(_ id: Int64) -> UInt64 {
        var h = UInt64(bitPattern: id)
        h ^= h >> 33
        h &*= 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 33
        h &*= 0xC4CE_B9FE_1A85_EC53
        h ^= h >> 33
        return h
    }

    /// The index stored for `id`, or nil.
    @inline(__always) func index(of id: Int64) -> Int32? {
        var slot = Int(truncatingIfNeeded: Self.mix(id)) & mask
        while true {
            let entry = entries[slot]
            if entry.value < 0 { return nil }
            if entry.key == id { return entry.value }
            slot = (slot + 1) & mask
        }
    }

    /// Stores `value` for `id` unless it has an index already; returns the index `id` has afterwards and
    /// whether it was inserted now.
    @inline(__always) func insertIfAbsent(_ id: Int64, _ value: Int32) -> (index: Int32, inserted: Bool) {
        let (slot, inserted) = insertSlot(id, value)
        return (entries[slot].value, inserted)
    }

    /// Numbers `ids` in order as `insertIfAbsent(id, count)` would, one by one (an id not in the map gets the
    /// map's size before its insertion): writes each id's index to `numbers` and calls `inserted` with each new id;
    /// with `tally`, also counts every id's occurrences (see ``tallies()``). Meant for a map whose values
    /// are all given this way. Reads a batch of ids' home slots before resolving them, so that their cache
    /// misses overlap instead of following one another.
    func number(_ ids: UnsafeBufferPointer<Int64>, into numbers: UnsafeMutablePointer<Int32>, tally: Bool, inserted: (Int64) -> Void) {
        let batch = 16
        withUnsafeTemporaryAllocation(of: (entry: Entry, slot: Int).self, capacity: batch) { peek in
            var start = 0
            while start < ids.count {
                let end = min(ids.count, start &+ batch)
                // Each id's home entry, loaded now: independent loads, so the CPU overlaps their misses.
                let peekMask = mask
                for k in start..<end {
                    let slot = Int(truncatingIfNeeded: Self.mix(ids[k])) & peekMask
                    peek[k &- start] = (entries[slot], slot)
                }
                for k in start..<end {
                    let id = ids[k]
                    let (entry, slot) = peek[k &- start]
                    // A present entry at the home slot stays (nothing is removed); a grown table moved it.
                    if entry.value >= 0 && entry.key == id && mask == peekMask {
                        if tally { entries[slot].tally &+= 1 }
                        numbers[k] = entry.value
                        continue
                    }
                    let (found, isNew) = insertSlot(id, Int32(truncatingIfNeeded: count))
                    if tally { entries[found].tally &+= 1 }
                    numbers[k] = entries[found].value
                    if isNew { inserted(id) }
                }
                start = end
            }
        }
    }

    /// The slot holding `id`, inserted with `value` if absent, and whether it was inserted now.
    @inline(__always) private func insertSlot(_ id: Int64, _ value: Int32) -> (slot: Int, inserted: Bool) {
        precondition(value >= 0, "VertexIndexMap indices are non-negative")
        if 2 * (count + 1) > mask + 1 { grow() }
        var slot = Int(truncatingIfNeeded: Self.mix(id)) & mask
        while true {
            let entry = entries[slot]
            if entry.value < 0 {
                entries[slot] = Entry(key: id, value: value)
                count += 1
                return (slot, true)
            }
            if entry.key == id { return (slot, false) }
            slot = (slot + 1) & mask
        }
    }

    /// The tallies counted by ``number(_:into:tally:inserted:)``, indexed by value; the map's values must be
    /// `0..<count` (as that method gives them).
    func tallies() -> [Int32] {
        var result = [Int32](repeating: 0, count: count)
        for slot in 0...mask where entries[slot].value >= 0 {
            let value = Int(entries[slot].value)
            precondition(value < count, "VertexIndexMap.tallies needs the values 0..<count")
            result[value] = entries[slot].tally
        }
        return result
    }

    /// Replaces every stored index `i` with `transform(i)`, which must be non-negative.
    func updateValues(_ transform: (Int32) -> Int32) {
        for slot in 0...mask where entries[slot].value >= 0 {
            let value = transform(entries[slot].value)
            precondition(value >= 0, "VertexIndexMap indices are non-negative")
            entries[slot].value = value
        }
    }

    /// Empties the map, keeping its capacity.
    func removeAll() {
        guard count > 0 else { return }
        entries.update(repeating: Entry(key: 0, value: -1), count: mask + 1)
        count = 0
    }

    /// Empties the map, which holds exactly the ids `inserted` (in the order they were inserted): a map much
    /// larger than its contents frees their entries one by one, latest first (so every probe chain it
    /// follows is still intact), instead of clearing the whole table.
    func removeAll<C: BidirectionalCollection<Int64>>(inserted: C) {
        guard count > 0 else { return }
        guard 8 * count < mask + 1 else { return removeAll() }
        precondition(inserted.count == count, "VertexIndexMap: removeAll(inserted:) needs every id it holds")
        for id in inserted.reversed() {
            var slot = Int(truncatingIfNeeded: Self.mix(id)) & mask
            while entries[slot].key != id || entries[slot].value < 0 { slot = (slot + 1) & mask }
            entries[slot] = Entry(key: 0, value: -1)
        }
        count = 0
    }

    private func grow() {
        let old = entries
        let oldCapacity = mask + 1
        entries = Self.allocate(2 * oldCapacity)
        mask = 2 * oldCapacity - 1
        for i in 0..<oldCapacity where old[i].value >= 0 {
            var slot = Int(truncatingIfNeeded: Self.mix(old[i].key)) & mask
            while entries[slot].value >= 0 { slot = (slot + 1) & mask }
            entries[slot] = old[i]
        }
        old.deallocate()
    }
}
