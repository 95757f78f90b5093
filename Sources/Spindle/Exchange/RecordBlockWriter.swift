import SpindleCore
import SpindlePosix

/// Packs records into checksummed blocks (see `RecordBlock` for the format) and emits each finished block to a
/// `FileWriter` or to an in-memory byte array.
///
/// Records are copied into a reusable block buffer, so appending does not allocate per record. Call `flush()`
/// to close the current block (e.g. at a partition boundary); nothing is emitted for an empty block.
final class RecordBlockWriter {
    /// The writer's mutable state, kept in one struct so a record costs a single exclusive access.
    private struct Core {
        /// Header followed by the payload under construction.
        var buffer: UnsafeMutableRawBufferPointer
        var payloadCount = 0
        var recordCount = 0
        var blockCount = 0
        var bytesWritten = 0
        var memoryBytes: [UInt8] = []

        @inline(__always)
        mutating func append(_ key: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer, _ file: FileWriter?) throws {
            let size = RecordBlock.encodedSize(keyCount: key.count, valueCount: value.count)
            if payloadCount > 0 && payloadCount + size > RecordBlock.targetPayloadSize {
                try flush(file)
            }
            let needed = RecordBlock.headerSize + payloadCount + size
            if needed > buffer.count { grow(needed) }
            var p = buffer.baseAddress! + RecordBlock.headerSize + payloadCount
            p += RecordBlock.storeVarint(key.count, at: p)
            RecordBlock.copy(key, to: p)
            p += key.count
            p += RecordBlock.storeVarint(value.count, at: p)
            RecordBlock.copy(value, to: p)
            payloadCount += size
            recordCount += 1
            if payloadCount >= RecordBlock.targetPayloadSize {
                try flush(file)
            }
        }

        mutating func grow(_ needed: Int) {
            precondition(needed - RecordBlock.headerSize <= RecordBlock.maxPayloadSize, "RecordBlockWriter: record too large for a block")
            let bigger = RecordBlockWriter.allocateBuffer(needed - RecordBlock.headerSize)
            bigger.baseAddress!.copyMemory(from: buffer.baseAddress!, byteCount: RecordBlock.headerSize + payloadCount)
            buffer.deallocate()
            buffer = bigger
        }

        mutating func flush(_ file: FileWriter?) throws {
            guard payloadCount > 0 else { return }
            let base = buffer.baseAddress!
            let payload = UnsafeRawBufferPointer(start: base + RecordBlock.headerSize, count: payloadCount)
            base.storeBytes(of: UInt32(payloadCount).littleEndian, toByteOffset: 0, as: UInt32.self)
            base.storeBytes(of: CRC32C.checksum(payload).littleEndian, toByteOffset: 4, as: UInt32.self)
            let block = UnsafeRawBufferPointer(start: base, count: RecordBlock.headerSize + payloadCount)
            if let file { try file.write(block) } else { memoryBytes.append(contentsOf: block) }
            bytesWritten += block.count
            blockCount += 1
            payloadCount = 0
            // Give back the memory of an oversized record's block.
            if buffer.count > 2 * (RecordBlock.headerSize + RecordBlock.targetPayloadSize) {
                buffer.deallocate()
                buffer = RecordBlockWriter.allocateBuffer(RecordBlock.targetPayloadSize)
            }
        }
    }

    /// Destination of blocks; nil means `memoryBytes`.
    private let file: FileWriter?
    private var core: Core

    /// A writer that emits blocks to `file` (which the caller closes).
    init(file: FileWriter) {
        self.file = file
        core = Core(buffer: RecordBlockWriter.allocateBuffer(RecordBlock.targetPayloadSize))
    }

    /// A writer that collects blocks in `memoryBytes`, with room reserved for `expectedBytes`.
    init(expectedBytes: Int = 0) {
        file = nil
        core = Core(buffer: RecordBlockWriter.allocateBuffer(RecordBlock.targetPayloadSize))
        core.memoryBytes.reserveCapacity(expectedBytes)
    }

    deinit { core.buffer.deallocate() }

    private static func allocateBuffer(_ payloadCapacity: Int) -> UnsafeMutableRawBufferPointer {
        .allocate(byteCount: RecordBlock.headerSize + payloadCapacity, alignment: 16)
    }

    /// Records appended so far (including those still in the open block).
    var recordCount: Int { core.recordCount }
    /// Blocks emitted so far.
    var blockCount: Int { core.blockCount }
    /// Bytes emitted to the sink so far (headers included; the open block is not counted until flushed).
    var bytesWritten: Int { core.bytesWritten }
    /// Bytes of the open block's payload, not yet emitted.
    var pendingBytes: Int { core.payloadCount }
    /// Blocks emitted so far when writing to memory (empty for a file sink).
    var memoryBytes: [UInt8] { core.memoryBytes }

    /// Appends one record; emits the open block first if the record would push it past the target size, and
    /// emits the block right away once it reaches the target (so an oversized record sits in a block of its own).
    func append(key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer) throws {
        try core.append(key, value, file)
    }

    /// Closes the open block and emits it (header and payload); does nothing when the block is empty.
    func flush() throws {
        try core.flush(file)
    }

    /// Returns the blocks collected in memory and empties the collection (memory sink only; counters are kept).
    func takeMemoryBytes() -> [UInt8] {
        defer { core.memoryBytes = [] }
        return core.memoryBytes
    }
}
