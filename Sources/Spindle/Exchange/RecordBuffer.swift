import SpindleCore

/// In-memory map output before a spill: (partition, key, value) records in one contiguous byte arena plus a
/// compact entry array, sortable by (partition, key bytes) and writable as a partitioned file.
///
/// Appending copies key and value into the arena (amortized growth, no per-record allocation). `sort()` is
/// stable: records with equal partition and key keep their insertion order. The arena is limited to 4 GiB
/// (entry offsets are u32); callers spill long before that.
final class RecordBuffer {
    /// One record: its partition, the first 8 key bytes big-endian (zero-padded) and where key and value live.
    struct Entry {
        /// First 8 key bytes as a big-endian integer, so integer order is key byte order on those bytes.
        var prefix: UInt64
        var partition: UInt32
        /// Arena offset of the key; the value follows it.
        var offset: UInt32
        var keyLength: UInt32
        var valueLength: UInt32
    }

    private var arena: UnsafeMutableRawPointer
    private var arenaCapacity: Int
    /// Bytes of key and value data in the arena.
    private(set) var arenaCount = 0
    private var entries: [Entry] = []
    private var sorted = true

    /// An empty buffer with room for `arenaCapacity` data bytes and `entryCapacity` records before it grows.
    init(arenaCapacity: Int = 1 << 16, entryCapacity: Int = 1024) {
        self.arenaCapacity = Swift.max(arenaCapacity, 16)
        arena = .allocate(byteCount: self.arenaCapacity, alignment: 16)
        entries.reserveCapacity(entryCapacity)
    }

    deinit { arena.deallocate() }

    /// Number of records.
    var count: Int { entries.count }

    /// Bytes in use (arena data plus entries): what counts against the map task's memory budget.
    var byteCount: Int { arenaCount + entries.count * MemoryLayout<Entry>.stride }

    /// Bytes allocated (arena and entry capacities), at least `byteCount`.
    var allocatedByteCount: Int { arenaCapacity + entries.capacity * MemoryLayout<Entry>.stride }

    /// Appends a record for `partition` (0 ..< 2^32), copying key and value.
    func append(partition: Int, key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer) {
        let size = key.count + value.count
        let needed = arenaCount + size
        precondition(needed <= Int(UInt32.max), "RecordBuffer: arena over 4 GiB; spill earlier")
        precondition(partition >= 0 && partition <= Int(UInt32.max), "RecordBuffer: bad partition \(partition)")
        if needed > arenaCapacity { grow(to: needed) }
        let start = arena + arenaCount
        if let k = key.baseAddress, key.count > 0 { start.copyMemory(from: k, byteCount: key.count) }
        if let v = value.baseAddress, value.count > 0 { (start + key.count).copyMemory(from: v, byteCount: value.count) }
        let entry = Entry(prefix: RecordBuffer.prefix(key), partition: UInt32(partition), offset: UInt32(arenaCount),
                          keyLength: UInt32(key.count), valueLength: UInt32(value.count))
        if sorted, let last = entries.last, RecordBuffer.less(entry, last, arena) { sorted = false }
        entries.append(entry)
        arenaCount = needed
    }

    private func grow(to needed: Int) {
        let capacity = Swift.min(Swift.max(needed, arenaCapacity * 2), Int(UInt32.max))
        let bigger = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
        bigger.copyMemory(from: arena, byteCount: arenaCount)
        arena.deallocate()
        arena = bigger
        arenaCapacity = capacity
    }

    /// The first up-to-8 bytes of `key`, zero-padded, as a big-endian integer.
    @inline(__always)
    static func prefix(_ key: UnsafeRawBufferPointer) -> UInt64 {
        if key.count >= 8 { return UInt64(bigEndian: key.baseAddress!.loadUnaligned(as: UInt64.self)) }
        var value: UInt64 = 0
        for i in 0..<key.count { value |= UInt64(key[i]) << (56 - 8 * UInt64(i)) }
        return value
    }

    /// The sort order: partition, then key bytes, then insertion order (arena offset, with a zero-length record
    /// before a non-empty one at the same offset). A strict total order, so any correct sort is stable.
    @inline(__always)
    static func less(_ a: Entry, _ b: Entry, _ arena: UnsafeRawPointer) -> Bool {
        if a.partition != b.partition { return a.partition < b.partition }
        if a.prefix != b.prefix { return a.prefix < b.prefix }
        return tieLess(a, b, arena)
    }

    /// `less` for equal partitions and prefixes: the bytes after the prefix, then insertion order.
    static func tieLess(_ a: Entry, _ b: Entry, _ arena: UnsafeRawPointer) -> Bool {
        if a.keyLength <= 8 || b.keyLength <= 8 {
            // The shorter key is a prefix of the longer one (or they are equal).
            if a.keyLength != b.keyLength { return a.keyLength < b.keyLength }
        } else {
            let x = UnsafeRawBufferPointer(start: arena + Int(a.offset) + 8, count: Int(a.keyLength) - 8)
            let y = UnsafeRawBufferPointer(start: arena + Int(b.offset) + 8, count: Int(b.keyLength) - 8)
            let c = ByteString.compare(x, y)
            if c != 0 { return c < 0 }
        }
        if a.offset != b.offset { return a.offset < b.offset }
        return a.keyLength &+ a.valueLength < b.keyLength &+ b.valueLength
    }

    /// Sorts the records by (partition, key bytes), stably. Uses a temporary buffer the size of the entry array.
    func sort() {
        guard !sorted else { return }
        let arena = UnsafeRawPointer(self.arena)
        entries.withUnsafeMutableBufferPointer { buffer in
            EntrySorter.sort(buffer, arena: arena)
        }
        sorted = true
    }

    /// Partition of record `i` (in the current order).
    func partition(at i: Int) -> Int { Int(entries[i].partition) }

    /// Key of record `i`; valid until the buffer is next modified.
    func key(at i: Int) -> UnsafeRawBufferPointer {
        let e = entries[i]
        return UnsafeRawBufferPointer(start: arena + Int(e.offset), count: Int(e.keyLength))
    }

    /// Value of record `i`; valid until the buffer is next modified.
    func value(at i: Int) -> UnsafeRawBufferPointer {
        let e = entries[i]
        return UnsafeRawBufferPointer(start: arena + Int(e.offset) + Int(e.keyLength), count: Int(e.valueLength))
    }

    /// Sorts if needed, then appends every record to `writer` in (partition, key) order.
    func write(to writer: PartitionedFileWriter) throws {
        sort()
        let arena = UnsafeRawPointer(self.arena)
        try entries.withUnsafeBufferPointer { buffer in
            for e in buffer {
                let start = arena + Int(e.offset)
                try writer.append(partition: Int(e.partition),
                                  key: UnsafeRawBufferPointer(start: start, count: Int(e.keyLength)),
                                  value: UnsafeRawBufferPointer(start: start + Int(e.keyLength), count: Int(e.valueLength)))
            }
        }
    }

    /// Removes all records, keeping the arena and entry capacity.
    func removeAll() {
        entries.removeAll(keepingCapacity: true)
        arenaCount = 0
        sorted = true
    }
}
