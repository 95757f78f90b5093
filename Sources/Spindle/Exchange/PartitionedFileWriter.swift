import SpindleCore
import SpindlePosix

/// Writes one partitioned shuffle file: the blocks of partition 0, then partition 1, ..., then the offsets
/// footer (format in `RecordBlock`).
///
/// Records must arrive in nondecreasing partition order (a precondition); keys within a partition are expected
/// sorted, which debug builds verify. Call `finish` exactly once to write the footer and close the file; an
/// unfinished file has no footer and is rejected by `PartitionedFile`.
final class PartitionedFileWriter {
    /// Where the file is written.
    let path: String
    /// Number of partitions R.
    let partitionCount: Int
    /// nil: the file is built in memory (`init(memoryNamed:partitionCount:)`).
    private let file: FileWriter?
    private let blocks: RecordBlockWriter
    /// offsets[p] for partitions already started; grows to R+1 entries by `finish`.
    private var offsets: [Int] = [0]
    private var finished = false
    #if DEBUG
        private var lastKey: [UInt8] = []
        private var lastKeyPartition = -1
    #endif

    /// Creates (or truncates) the file at `path` for `partitionCount` partitions (at least 1).
    init(path: String, partitionCount: Int) throws {
        precondition(partitionCount >= 1 && partitionCount <= Int(UInt32.max), "PartitionedFileWriter: bad partition count \(partitionCount)")
        self.path = path
        self.partitionCount = partitionCount
        let file = try FileWriter(path: path, mode: .createTruncate)
        self.file = file
        blocks = RecordBlockWriter(file: file)
        offsets.reserveCapacity(partitionCount + 1)
    }

    /// Builds the file in memory, to be finished with `finishInMemory()`; `name` stands for the path in errors.
    /// Room is reserved for `expectedBytes` of records.
    init(memoryNamed name: String, partitionCount: Int, expectedBytes: Int = 0) {
        precondition(partitionCount >= 1 && partitionCount <= Int(UInt32.max), "PartitionedFileWriter: bad partition count \(partitionCount)")
        path = name
        self.partitionCount = partitionCount
        file = nil
        blocks = RecordBlockWriter(expectedBytes: expectedBytes + 1024 + 16 * partitionCount)
        offsets.reserveCapacity(partitionCount + 1)
    }

    /// The partition records currently go to.
    var currentPartition: Int { offsets.count - 1 }

    /// Records appended so far.
    var recordCount: Int { blocks.recordCount }

    /// Bytes written so far, counting the open block (footer excluded until `finish`).
    var byteCount: Int { blocks.bytesWritten + (blocks.pendingBytes > 0 ? RecordBlock.headerSize + blocks.pendingBytes : 0) }

    /// Appends a record to `partition`, which must be >= the previous record's partition and < `partitionCount`.
    func append(partition: Int, key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer) throws {
        precondition(!finished, "PartitionedFileWriter: append after finish")
        precondition(
            partition >= currentPartition && partition < partitionCount,
            "PartitionedFileWriter: partition \(partition) out of order (current \(currentPartition), count \(partitionCount))")
        if partition != currentPartition {
            try advance(to: partition)
        }
        #if DEBUG
            lastKey.withUnsafeBytes { last in
                assert(
                    lastKeyPartition != partition || ByteString.compare(last, key) <= 0,
                    "PartitionedFileWriter: keys within partition \(partition) are not sorted")
            }
            lastKey.removeAll(keepingCapacity: true)
            lastKey.append(contentsOf: key)
            lastKeyPartition = partition
        #endif
        try blocks.append(key: key, value: value)
    }

    /// Closes the open block and starts `partition` (empty partitions in between get empty ranges).
    private func advance(to partition: Int) throws {
        try blocks.flush()
        while offsets.count <= partition {
            offsets.append(blocks.bytesWritten)
        }
    }

    /// Writes the footer, optionally fsyncs, closes the file, and returns each partition's byte size.
    @discardableResult
    func finish(sync: Bool = true) throws -> [Int] {
        guard let file else { preconditionFailure("PartitionedFileWriter: finish of an in-memory file; use finishInMemory") }
        try closeBlocks()
        try file.write(PartitionedFileWriter.footer(offsets: offsets))
        if sync { try file.sync() }
        try file.close()
        return (0..<partitionCount).map { offsets[$0 + 1] - offsets[$0] }
    }

    /// Finishes an in-memory file: returns it, readable and servable like a mapped one, and each partition's byte size.
    func finishInMemory() throws -> (file: PartitionedFile, sizes: [Int]) {
        precondition(file == nil, "PartitionedFileWriter: finishInMemory of a file on disk; use finish")
        try closeBlocks()
        var bytes = blocks.takeMemoryBytes()
        bytes += PartitionedFileWriter.footer(offsets: offsets)
        let finished = try PartitionedFile(memory: BlockBuffer(bytes), name: path)
        return (finished, (0..<partitionCount).map { offsets[$0 + 1] - offsets[$0] })
    }

    private func closeBlocks() throws {
        precondition(!finished, "PartitionedFileWriter: finish called twice")
        finished = true
        try blocks.flush()
        while offsets.count <= partitionCount {
            offsets.append(blocks.bytesWritten)
        }
    }

    /// Encodes the footer for R+1 offsets: offsets, R, CRC32C of both, magic.
    static func footer(offsets: [Int]) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(offsets.count * 8 + 12)
        for offset in offsets {
            withUnsafeBytes(of: UInt64(offset).littleEndian) { bytes.append(contentsOf: $0) }
        }
        withUnsafeBytes(of: UInt32(offsets.count - 1).littleEndian) { bytes.append(contentsOf: $0) }
        let crc = CRC32C.checksum(bytes)
        withUnsafeBytes(of: crc.littleEndian) { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: PartitionedFile.magic)
        return bytes
    }
}
