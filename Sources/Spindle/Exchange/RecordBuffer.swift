import SpindleCore

/// Records bound for partitions, held in memory before a spill: (partition, key, value) records in one
/// contiguous byte arena plus a compact entry array, sortable by (partition, key bytes) and writable as a
/// partitioned file (the plain store of a ``PartitionedSpillBuffer``).
///
/// Appending copies key and value into the arena (amortized growth, no per-record allocation). `sort()` is
/// stable: records with equal partition and key keep their insertion order. The arena is limited to 4 GiB
/// (entry offsets are u32); callers spill long before that.
final class RecordBuffer {
    /// One record (24 bytes): the first 8 key bytes big-endian (zero-padded), its partition, and where key and
    /// value live in the arena (the value follows the key).
    struct Entry {
        var prefix: UInt64
        var partition: UInt32
        var offset: UInt32
        var keyLength: UInt32
        var valueLength: UInt32
    }

    /// The mutable state, in one struct so appending a record costs a single exclusive access.
    private struct Core {
        var arena: UnsafeMutableRawPointer
        var arenaCapacity: Int
        var arenaCount = 0
        var entries: UnsafeMutablePointer<Entry>
        var entryCapacity: Int
        var count = 0
        /// Whether the entries are known to be in sort order already.
        var sorted = true
        /// Keeps the touching loads of `write(to:)` from being optimized away.
        var touchSink: UInt8 = 0

        @inline(__always)
        mutating func append(_ partition: Int, _ key: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer) {
            let needed = arenaCount + key.count + value.count
            precondition(needed <= Int(UInt32.max), "RecordBuffer: arena over 4 GiB; spill earlier")
            precondition(partition >= 0 && partition <= Int(UInt32.max), "RecordBuffer: bad partition \(partition)")
            if needed > arenaCapacity { growArena(needed) }
            if count == entryCapacity { growEntries() }
            let start = arena + arenaCount
            RecordBlock.copy(key, to: start)
            RecordBlock.copy(value, to: start + key.count)
            let entry = Entry(
                prefix: RecordBlock.keyPrefix(key), partition: UInt32(truncatingIfNeeded: partition),
                offset: UInt32(truncatingIfNeeded: arenaCount),
                keyLength: UInt32(truncatingIfNeeded: key.count), valueLength: UInt32(truncatingIfNeeded: value.count))
            if sorted && count > 0 && RecordBuffer.less(entry, entries[count - 1], arena) { sorted = false }
            (entries + count).initialize(to: entry)
            count += 1
            arenaCount = needed
        }

        mutating func growArena(_ needed: Int) {
            let capacity = Swift.min(Swift.max(needed, arenaCapacity * 2), Int(UInt32.max))
            let bigger = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
            bigger.copyMemory(from: arena, byteCount: arenaCount)
            arena.deallocate()
            arena = bigger
            arenaCapacity = capacity
        }

        mutating func growEntries() {
            let capacity = entryCapacity * 2
            let bigger = UnsafeMutablePointer<Entry>.allocate(capacity: capacity)
            bigger.moveInitialize(from: entries, count: count)
            entries.deallocate()
            entries = bigger
            entryCapacity = capacity
        }
    }

    private var core: Core

    /// An empty buffer with room for `arenaCapacity` data bytes and `entryCapacity` records before it grows.
    init(arenaCapacity: Int = 1 << 16, entryCapacity: Int = 1024) {
        let arenaCapacity = Swift.max(arenaCapacity, 16), entryCapacity = Swift.max(entryCapacity, 16)
        core = Core(
            arena: .allocate(byteCount: arenaCapacity, alignment: 16), arenaCapacity: arenaCapacity,
            entries: .allocate(capacity: entryCapacity), entryCapacity: entryCapacity)
    }

    deinit {
        core.arena.deallocate()
        core.entries.deallocate()
    }

    /// Number of records.
    var count: Int { core.count }

    /// Bytes of key and value data in the arena.
    var arenaCount: Int { core.arenaCount }

    /// Bytes in use (arena data plus entries): what counts against a memory budget.
    var byteCount: Int { core.arenaCount + core.count * MemoryLayout<Entry>.stride }

    /// Bytes allocated (arena and entry capacities), at least `byteCount`. Sorting temporarily needs another
    /// `count * 24` bytes.
    var allocatedByteCount: Int { core.arenaCapacity + core.entryCapacity * MemoryLayout<Entry>.stride }

    /// Appends a record for `partition` (0 ..< 2^32), copying key and value.
    func append(partition: Int, key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer) {
        core.append(partition, key, value)
    }

    /// The sort order: partition, then key bytes, then insertion order (arena offset, with a zero-length record
    /// before a non-empty one at the same offset). A strict total order, so any correct sort is stable.
    @inline(__always)
    static func less(_ a: Entry, _ b: Entry, _ arena: UnsafeRawPointer) -> Bool {
        if a.partition != b.partition { return a.partition < b.partition }
        if a.prefix != b.prefix { return a.prefix < b.prefix }
        return tieLess(a, b, arena)
    }

    /// `less` for equal partitions and prefixes: the key bytes after the prefix, then insertion order.
    static func tieLess(_ a: Entry, _ b: Entry, _ arena: UnsafeRawPointer) -> Bool {
        let c = RecordBlock.compareAfterEqualPrefix(
            UnsafeRawBufferPointer(start: arena + Int(a.offset), count: Int(a.keyLength)),
            UnsafeRawBufferPointer(start: arena + Int(b.offset), count: Int(b.keyLength)))
        if c != 0 { return c < 0 }
        if a.offset != b.offset { return a.offset < b.offset }
        return a.keyLength &+ a.valueLength < b.keyLength &+ b.valueLength
    }

    /// Sorts the records by (partition, key bytes), stably; does nothing if they were appended in order.
    func sort() {
        guard !core.sorted else { return }
        EntrySorter.sort(core.entries, core.count, arena: core.arena)
        core.sorted = true
    }

    /// Partition of record `i` (in the current order).
    func partition(at i: Int) -> Int {
        precondition(i >= 0 && i < core.count, "RecordBuffer: index out of range")
        return Int(core.entries[i].partition)
    }

    /// Key of record `i`; valid until the buffer is next modified.
    func key(at i: Int) -> UnsafeRawBufferPointer {
        precondition(i >= 0 && i < core.count, "RecordBuffer: index out of range")
        let e = core.entries[i]
        return UnsafeRawBufferPointer(start: core.arena + Int(e.offset), count: Int(e.keyLength))
    }

    /// Value of record `i`; valid until the buffer is next modified.
    func value(at i: Int) -> UnsafeRawBufferPointer {
        precondition(i >= 0 && i < core.count, "RecordBuffer: index out of range")
        let e = core.entries[i]
        return UnsafeRawBufferPointer(start: core.arena + Int(e.offset) + Int(e.keyLength), count: Int(e.valueLength))
    }

    /// Sorts if needed, then appends every record to `writer` in (partition, key) order.
    func write(to writer: PartitionedFileWriter) throws {
        sort()
        let arena = UnsafeRawPointer(core.arena), entries = core.entries, count = core.count
        // Sorted entries visit the arena in random order. Each batch first touches all its records in a tight
        // loop, so their cache misses overlap, then appends them from cache.
        var touched: UInt8 = 0
        var batchStart = 0
        while batchStart < count {
            let batchEnd = Swift.min(batchStart + RecordBuffer.writeBatch, count)
            for i in batchStart..<batchEnd {
                touched &+= arena.load(fromByteOffset: Int(entries[i].offset), as: UInt8.self)
            }
            for i in batchStart..<batchEnd {
                let e = entries[i]
                let start = arena + Int(e.offset)
                try writer.append(
                    partition: Int(e.partition),
                    key: UnsafeRawBufferPointer(start: start, count: Int(e.keyLength)),
                    value: UnsafeRawBufferPointer(start: start + Int(e.keyLength), count: Int(e.valueLength)))
            }
            batchStart = batchEnd
        }
        core.touchSink = touched
    }

    /// Records per batch in `write(to:)`.
    static let writeBatch = 32

    /// Removes all records, keeping the arena and entry capacity.
    func removeAll() {
        core.count = 0
        core.arenaCount = 0
        core.sorted = true
    }
}
