import SpindleCore

/// Iterates the records of a segment (whole checksummed blocks, format in `RecordBlock`) without copying them.
///
/// Each block's CRC32C is verified when the cursor enters it, and record framing is checked against the block's
/// bounds; damage throws `CorruptDataError` naming `source` and the byte offset (`baseOffset` + position in the
/// segment). `key` and `value` point into the segment's memory: they stay valid while that memory lives (the
/// optional `owner` is retained for this purpose), not just until the next call.
struct RecordCursor {
    private let base: UnsafeRawPointer?
    private let count: Int
    /// File or stream named in errors.
    let source: String
    /// Offset of the segment within `source`, added to positions in errors.
    let baseOffset: Int
    private let owner: AnyObject?
    /// Skip the checksum of every block (see `init`).
    private let checksumsVerified: Bool
    /// Hands the pages of blocks already read back to `owner` (see `init`).
    private var releaser: PageReleaser?
    /// Start of the next block to enter.
    private var nextBlock = 0
    /// Position of the next record in the current block, and the block's end.
    private var position = 0
    private var blockEnd = 0

    /// The current record's key (empty before the first `next()`).
    private(set) var key = UnsafeRawBufferPointer(start: nil, count: 0)
    /// The current record's value (empty before the first `next()`).
    private(set) var value = UnsafeRawBufferPointer(start: nil, count: 0)
    /// Records returned so far.
    private(set) var recordIndex = 0

    /// A cursor over `blocks`, which must stay alive (keep `owner`, if given, referenced). `checksumsVerified`:
    /// the caller has checked every block's CRC32C already (as `SegmentFetcher` does when a segment arrives)
    /// or the bytes never left this process's memory, so the cursor checks only the framing. `releasingPages`:
    /// the blocks are read once, front to back, so the pages of blocks left behind may be released (when
    /// `owner` is a memory-mapped file; see ``PageReleasing``); records already returned stay readable.
    init(
        blocks: UnsafeRawBufferPointer, source: String, baseOffset: Int = 0, owner: AnyObject? = nil, checksumsVerified: Bool = false,
        releasingPages: Bool = false
    ) {
        self.checksumsVerified = checksumsVerified
        releaser = releasingPages ? PageReleaser(owner: owner, start: blocks.baseAddress) : nil
        base = blocks.count > 0 ? blocks.baseAddress : nil
        count = blocks.count
        self.source = source
        self.baseOffset = baseOffset
        self.owner = owner
    }

    /// Moves to the next record; returns false at the end of the segment. Throws `CorruptDataError`.
    @inline(__always)
    mutating func next() throws(CorruptDataError) -> Bool {
        if position < blockEnd {
            try readRecord()
            return true
        }
        guard nextBlock < count else { return false }
        try enterBlock()
        try readRecord()
        return true
    }

    private func corrupt(_ at: Int, _ detail: String) -> CorruptDataError {
        CorruptDataError(source: source, offset: baseOffset + at, detail: detail)
    }

    /// Validates the header and checksum of the block at `nextBlock` and positions at its first record.
    private mutating func enterBlock() throws(CorruptDataError) {
        let base = base!
        let start = nextBlock
        releaser?.consumed(upTo: base + start)
        guard count - start >= RecordBlock.headerSize else {
            throw corrupt(start, "truncated block header (\(count - start) bytes left)")
        }
        let length = Int(RecordBlock.loadU32(base, start))
        let stored = RecordBlock.loadU32(base, start + 4)
        guard length > 0 else { throw corrupt(start, "block with empty payload") }
        let payloadStart = start + RecordBlock.headerSize
        guard length <= count - payloadStart else {
            throw corrupt(start, "block payload of \(length) bytes runs past the end of the segment (\(count - payloadStart) bytes left)")
        }
        guard checksumsVerified || CRC32C.checksum(UnsafeRawBufferPointer(start: base + payloadStart, count: length)) == stored else {
            throw corrupt(start, "block checksum mismatch")
        }
        position = payloadStart
        blockEnd = payloadStart + length
        nextBlock = blockEnd
    }

    /// Decodes the record at `position`, which is inside the current block.
    @inline(__always)
    private mutating func readRecord() throws(CorruptDataError) {
        let base = base!
        let start = position
        var pos = start
        guard let keyCount = RecordBlock.loadVarint(base, &pos, blockEnd), keyCount <= blockEnd - pos else {
            throw corrupt(start, "bad key length in record framing")
        }
        let keyStart = pos
        pos += keyCount
        guard let valueCount = RecordBlock.loadVarint(base, &pos, blockEnd), valueCount <= blockEnd - pos else {
            throw corrupt(start, "bad value length in record framing")
        }
        key = UnsafeRawBufferPointer(start: base + keyStart, count: keyCount)
        value = UnsafeRawBufferPointer(start: base + pos, count: valueCount)
        position = pos + valueCount
        recordIndex += 1
    }
}
