/// A hash map from vertex id to a dense `Int32` index, for the per-edge lookups of graph loading and message
/// routing: open addressing with linear probing over one contiguous table of (id, index) entries, a
/// power-of-two capacity kept at most half full, no allocation per entry. Indices must be non-negative.
final class VertexIndexMap: @unchecked Sendable {  // Filled by one task; only read once that task has built it.
    private struct Entry {
        var key: Int64
        /// -1: the entry is free.
        var value: Int32
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
        precondition(value >= 0, "VertexIndexMap indices are non-negative")
        if 2 * (count + 1) > mask + 1 { grow() }
        var slot = Int(truncatingIfNeeded: Self.mix(id)) & mask
        while true {
            let entry = entries[slot]
            if entry.value < 0 {
                entries[slot] = Entry(key: id, value: value)
                count += 1
                return (value, true)
            }
            if entry.key == id { return (entry.value, false) }
            slot = (slot + 1) & mask
        }
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
