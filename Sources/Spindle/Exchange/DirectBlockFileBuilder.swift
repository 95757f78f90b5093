import SpindleCore

/// Builds a partitioned file in memory (the format of `PartitionedFileWriter`, see `RecordBlock`) from large
/// records that each get a block of their own and are written in place: the caller fills each value directly
/// in the file's memory; nothing is copied. Used for dense blocks (one per destination) that mostly stay in
/// this process: their checksums are left for the exchange server to compute as it sends blocks to another
/// worker (see ``PartitionedFile/checksumsPending``).
final class DirectBlockFileBuilder {
    /// Names the file in errors.
    let name: String
    /// Number of partitions R.
    let partitionCount: Int
    private var storage: UnsafeMutableRawBufferPointer
    private var count = 0
    private var offsets: [Int] = [0]

    /// An empty file for `partitionCount` partitions with room for about `expectedBytes`.
    init(name: String, partitionCount: Int, expectedBytes: Int) {
        precondition(partitionCount >= 1 && partitionCount <= Int(UInt32.max), "DirectBlockFileBuilder: bad partition count \(partitionCount)")
        self.name = name
        self.partitionCount = partitionCount
        storage = .allocate(byteCount: max(64, expectedBytes + 16 * partitionCount + 64), alignment: 16)
        offsets.reserveCapacity(partitionCount + 1)
    }

    deinit { storage.deallocate() }

    private func reserve(_ more: Int) {
        guard count + more > storage.count else { return }
        let bigger = UnsafeMutableRawBufferPointer.allocate(byteCount: max(2 * storage.count, count + more), alignment: 16)
        bigger.baseAddress!.copyMemory(from: storage.baseAddress!, byteCount: count)
        storage.deallocate()
        storage = bigger
    }

    /// Appends a record to `partition` (nondecreasing, below `partitionCount`) in a block of its own; `fill`
    /// must write exactly `valueCount` bytes of value into the buffer it gets.
    func append(partition: Int, key: UnsafeRawBufferPointer, valueCount: Int, fill: (UnsafeMutableRawBufferPointer) throws -> Void) rethrows {
        precondition(partition >= offsets.count - 1 && partition < partitionCount, "DirectBlockFileBuilder: partition \(partition) out of order")
        while offsets.count <= partition { offsets.append(count) }
        let payloadCount = RecordBlock.encodedSize(keyCount: key.count, valueCount: valueCount)
        precondition(payloadCount <= RecordBlock.maxPayloadSize, "DirectBlockFileBuilder: record too large for a block")
        reserve(RecordBlock.headerSize + payloadCount)
        let block = storage.baseAddress! + count
        var p = block + RecordBlock.headerSize
        p += RecordBlock.storeVarint(key.count, at: p)
        RecordBlock.copy(key, to: p)
        p += key.count
        p += RecordBlock.storeVarint(valueCount, at: p)
        try fill(UnsafeMutableRawBufferPointer(start: p, count: valueCount))
        block.storeBytes(of: UInt32(payloadCount).littleEndian, toByteOffset: 0, as: UInt32.self)
        block.storeBytes(of: UInt32(0), toByteOffset: 4, as: UInt32.self)  // pending
        count += RecordBlock.headerSize + payloadCount
    }

    /// Adds the footer and returns the file, which now owns the memory, and each partition's byte size.
    /// The builder must not be used afterwards.
    func finish() throws -> (file: PartitionedFile, sizes: [Int]) {
        while offsets.count <= partitionCount { offsets.append(count) }
        let footer = PartitionedFileWriter.footer(offsets: offsets)
        reserve(footer.count)
        footer.withUnsafeBytes { storage.baseAddress!.advanced(by: count).copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
        count += footer.count
        let buffer = BlockBuffer(adopting: storage, count: count)
        storage = .allocate(byteCount: 1, alignment: 16)
        count = 0
        let sizes = (0..<partitionCount).map { offsets[$0 + 1] - offsets[$0] }
        return (try PartitionedFile(memory: buffer, name: name, checksumsPending: true), sizes)
    }
}
