import SpindleCore
import SpindlePosix

/// A finished partitioned shuffle file, memory-mapped read-only (or held in memory, see `init(memory:name:)`), with
/// its footer validated (format in `RecordBlock`).
///
/// Opening checks the magic, the footer checksum and that the offsets start at 0, never decrease and end exactly
/// at the footer; block checksums are verified later by the cursors (or `BlockValidator`). Immutable and Sendable:
/// several threads may read segments or run cursors at once.
final class PartitionedFile: Sendable {
    /// The 4-byte magic at the very end of the file.
    static let magic: [UInt8] = Array("SPX1".utf8)
    /// Footer bytes besides the offsets: u32 R, u32 CRC, magic.
    static let footerTrailerSize = 12

    /// The path the file was opened from, or the name of an in-memory file (named in errors).
    let path: String
    /// Number of partitions R.
    let partitionCount: Int
    /// R+1 offsets: partition p is `offsets[p]..<offsets[p+1]`.
    let offsets: [Int]
    private let storage: Storage
    /// The blocks' CRC32C fields are not filled in: the file lives in this process's memory and is read here
    /// without checks; the exchange server sends each block to another process behind a header of its own
    /// with the checksum (``RecordBlock/storeHeader(payload:into:at:)``). Only files built by
    /// `DirectBlockFileBuilder` are.
    let checksumsPending: Bool

    private enum Storage: Sendable {
        case mapped(MappedFile)
        case memory(BlockBuffer)

        var bytes: UnsafeRawBufferPointer {
            switch self {
            case .mapped(let file): file.bytes
            case .memory(let buffer): buffer.bytes
            }
        }
    }

    /// The whole file's bytes, footer included; valid while this object lives.
    var contents: UnsafeRawBufferPointer { storage.bytes }

    /// Maps and validates the file at `path`; throws `CorruptDataError` (naming the path) for a bad footer or a
    /// truncated file, or the `SystemError` of open/mmap.
    /// With `checksumsPending`, the file holds the bytes of an in-memory file whose block checksums were left
    /// pending (a message log, see ``contents``).
    init(path: String, checksumsPending: Bool = false) throws {
        let mapped = try MappedFile(path: path)
        self.path = path
        self.checksumsPending = checksumsPending
        storage = .mapped(mapped)
        offsets = try PartitionedFile.readFooter(mapped.bytes, source: path)
        partitionCount = offsets.count - 1
    }

    /// A partitioned file held in memory: `bytes` as the file would hold them (see `PartitionedFileWriter.finishInMemory`).
    /// With `checksumsPending`, the blocks' CRC32C fields are not filled in yet (see ``checksumsPending``).
    /// Throws `CorruptDataError` naming `name` for a bad footer.
    init(memory bytes: BlockBuffer, name: String, checksumsPending: Bool = false) throws {
        path = name
        self.checksumsPending = checksumsPending
        storage = .memory(bytes)
        offsets = try PartitionedFile.readFooter(bytes.bytes, source: name)
        partitionCount = offsets.count - 1
    }

    /// Parses and validates the footer at the end of `bytes`, returning the R+1 partition offsets.
    static func readFooter(_ bytes: UnsafeRawBufferPointer, source: String) throws(CorruptDataError) -> [Int] {
        let size = bytes.count
        func corrupt(_ offset: Int, _ detail: String) -> CorruptDataError {
            CorruptDataError(source: source, offset: offset, detail: detail)
        }
        guard size >= 8 + footerTrailerSize, let base = bytes.baseAddress else {
            throw corrupt(0, "file of \(size) bytes is too short to hold a partition footer (truncated?)")
        }
        guard magic.withUnsafeBytes({ ByteString.compare($0, UnsafeRawBufferPointer(rebasing: bytes[(size - 4)...])) == 0 }) else {
            throw corrupt(size - 4, "missing \"SPX1\" footer magic (truncated or not a shuffle file)")
        }
        let countAt = size - footerTrailerSize
        let count = Int(RecordBlock.loadU32(base, countAt))
        let offsetsSize = (count + 1) * 8
        guard count >= 1, offsetsSize + footerTrailerSize <= size else {
            throw corrupt(countAt, "footer partition count \(count) does not fit a file of \(size) bytes")
        }
        let footerStart = countAt - offsetsSize
        let stored = RecordBlock.loadU32(base, size - 8)
        let actual = CRC32C.checksum(UnsafeRawBufferPointer(start: base + footerStart, count: offsetsSize + 4))
        guard stored == actual else {
            throw corrupt(size - 8, "footer checksum mismatch")
        }
        var offsets: [Int] = []
        offsets.reserveCapacity(count + 1)
        for i in 0...count {
            let value = RecordBlock.loadU64(base, footerStart + 8 * i)
            guard value <= UInt64(footerStart), value >= UInt64(offsets.last ?? 0) else {
                throw corrupt(footerStart + 8 * i, "partition offset \(i) is \(value), outside \(offsets.last ?? 0)...\(footerStart)")
            }
            offsets.append(Int(value))
        }
        guard offsets[0] == 0, offsets[count] == footerStart else {
            throw corrupt(footerStart, "partition offsets span \(offsets[0])..<\(offsets[count]) but the blocks occupy 0..<\(footerStart)")
        }
        return offsets
    }

    /// Byte size of each partition's segment.
    var partitionSizes: [Int] { (0..<partitionCount).map { offsets[$0 + 1] - offsets[$0] } }

    /// Whether the file is held in this process's memory (its blocks were checksummed as they were written here,
    /// or their checksums are pending), so that reading it here needs no checks.
    var isInMemory: Bool {
        if case .memory = storage { return true }
        return false
    }

    /// Releases the pages of a mapped file between `start` and `end` (see ``PageReleasing``).
    func releasePages(from start: UnsafeRawPointer, to end: UnsafeRawPointer) {
        if case .mapped(let file) = storage { file.releasePages(from: start, to: end) }
    }

    /// Releases the pages of partition `p`'s segment once it has been read or sent.
    func releasePages(of p: Int) {
        let segment = segment(p)
        guard let start = segment.baseAddress else { return }
        releasePages(from: start, to: start + segment.count)
    }

    /// Size of the whole file in bytes.
    var fileSize: Int { storage.bytes.count }

    /// Byte range of partition `p` within the file.
    func range(_ p: Int) -> Range<Int> {
        precondition(p >= 0 && p < partitionCount, "PartitionedFile: partition \(p) out of range 0..<\(partitionCount)")
        return offsets[p]..<offsets[p + 1]
    }

    /// The raw block bytes of partition `p` (empty for an empty partition); valid while this object lives.
    func segment(_ p: Int) -> UnsafeRawBufferPointer {
        let r = range(p)
        return UnsafeRawBufferPointer(rebasing: storage.bytes[r])
    }

    /// A cursor over the records of partition `p`; it keeps this file mapped and reports file offsets in errors.
    func cursor(_ p: Int, releasingPages: Bool = false) -> RecordCursor {
        RecordCursor(blocks: segment(p), source: path, baseOffset: offsets[p], owner: self, releasingPages: releasingPages)
    }
}
