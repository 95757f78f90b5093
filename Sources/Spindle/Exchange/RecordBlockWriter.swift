import SpindleCore
import SpindlePosix

/// Packs records into checksummed blocks (see `RecordBlock` for the format) and emits each finished block to a
/// `FileWriter` or to an in-memory byte array.
///
/// Records are copied into a reusable block buffer, so appending does not allocate per record. Call `flush()`
/// to close the current block (e.g. at a partition boundary); nothing is emitted for an empty block.
final class RecordBlockWriter {
    /// Where finished blocks go.
    private enum Sink {
        case file(FileWriter)
        case memory
    }

    private let sink: Sink
    /// Blocks emitted so far when writing to memory.
    private(set) var memoryBytes: [UInt8] = []
    /// Header followed by the payload under construction.
    private var buffer: UnsafeMutableRawBufferPointer
    /// Bytes of payload in the current block.
    private var payloadCount = 0

    /// Records appended so far (including those still in the open block).
    private(set) var recordCount = 0
    /// Blocks emitted so far.
    private(set) var blockCount = 0
    /// Bytes emitted to the sink so far (headers included; the open block is not counted until flushed).
    private(set) var bytesWritten = 0
    /// Bytes of the open block's payload, not yet emitted.
    var pendingBytes: Int { payloadCount }

    /// A writer that emits blocks to `file` (which the caller closes).
    init(file: FileWriter) {
        sink = .file(file)
        buffer = RecordBlockWriter.allocateBuffer(RecordBlock.targetPayloadSize)
    }

    /// A writer that collects blocks in `memoryBytes`.
    init() {
        sink = .memory
        buffer = RecordBlockWriter.allocateBuffer(RecordBlock.targetPayloadSize)
    }

    deinit { buffer.deallocate() }

    private static func allocateBuffer(_ payloadCapacity: Int) -> UnsafeMutableRawBufferPointer {
        .allocate(byteCount: RecordBlock.headerSize + payloadCapacity, alignment: 16)
    }

    /// Appends one record; emits the open block first if the record would push it past the target size.
    func append(key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer) throws {
        let size = RecordBlock.encodedSize(keyCount: key.count, valueCount: value.count)
        if payloadCount > 0 && payloadCount + size > RecordBlock.targetPayloadSize {
            try flush()
        }
        let needed = RecordBlock.headerSize + payloadCount + size
        if needed > buffer.count {
            precondition(payloadCount + size <= RecordBlock.maxPayloadSize, "RecordBlockWriter: record of \(size) bytes is too large")
            let bigger = RecordBlockWriter.allocateBuffer(needed - RecordBlock.headerSize)
            bigger.baseAddress!.copyMemory(from: buffer.baseAddress!, byteCount: RecordBlock.headerSize + payloadCount)
            buffer.deallocate()
            buffer = bigger
        }
        var p = buffer.baseAddress! + RecordBlock.headerSize + payloadCount
        p += RecordBlock.storeVarint(key.count, at: p)
        if let k = key.baseAddress, key.count > 0 { p.copyMemory(from: k, byteCount: key.count) }
        p += key.count
        p += RecordBlock.storeVarint(value.count, at: p)
        if let v = value.baseAddress, value.count > 0 { p.copyMemory(from: v, byteCount: value.count) }
        payloadCount += size
        recordCount += 1
        if payloadCount >= RecordBlock.targetPayloadSize {
            try flush()
        }
    }

    /// Closes the open block and emits it (header and payload); does nothing when the block is empty.
    func flush() throws {
        guard payloadCount > 0 else { return }
        let base = buffer.baseAddress!
        let payload = UnsafeRawBufferPointer(start: base + RecordBlock.headerSize, count: payloadCount)
        base.storeBytes(of: UInt32(payloadCount).littleEndian, toByteOffset: 0, as: UInt32.self)
        base.storeBytes(of: CRC32C.checksum(payload).littleEndian, toByteOffset: 4, as: UInt32.self)
        let block = UnsafeRawBufferPointer(start: base, count: RecordBlock.headerSize + payloadCount)
        switch sink {
        case .file(let file): try file.write(block)
        case .memory: memoryBytes.append(contentsOf: block)
        }
        bytesWritten += block.count
        blockCount += 1
        payloadCount = 0
        // Give back the memory of an oversized record's block.
        if buffer.count > 2 * (RecordBlock.headerSize + RecordBlock.targetPayloadSize) {
            buffer.deallocate()
            buffer = RecordBlockWriter.allocateBuffer(RecordBlock.targetPayloadSize)
        }
    }

    /// Returns the blocks collected in memory and empties the collection (memory sink only; counters are kept).
    func takeMemoryBytes() -> [UInt8] {
        defer { memoryBytes = [] }
        return memoryBytes
    }
}
