/// Splits an incoming byte stream into `Frame`s, however the bytes happen to be chunked.
///
/// Feed bytes with `append` (or let a socket read directly into `withWritableSpace`), then call `nextFrame()`
/// until it returns nil. The buffer is a single array with a read index and a write index; consumed bytes are
/// reclaimed by resetting when the buffer drains, or by compacting once they outnumber the unread bytes,
/// so each byte is copied O(1) times on average. Capacity grows to the largest frame seen and is kept.
package struct FrameDecoder: Sendable {
    /// Largest accepted frame length (the header's length field: kind byte + payload), checked on the length
    /// prefix before any byte of the frame is buffered for it. Adjustable, so a connection can accept only
    /// handshake-sized frames until its peer is authenticated; a change applies from the next `nextFrame()`.
    package var maxFrameSize: Int {
        didSet { precondition(maxFrameSize >= 1, "maxFrameSize must allow at least the kind byte") }
    }

    /// Backing storage; bytes in `readIndex ..< writeIndex` are buffered, bytes after `writeIndex` are free space.
    private var storage: [UInt8] = []
    /// Start of the first unconsumed byte.
    private var readIndex = 0
    /// End of the buffered bytes.
    private var writeIndex = 0

    /// Creates a decoder accepting frames whose length field (kind + payload) is at most `maxFrameSize` (default 64 MiB).
    package init(maxFrameSize: Int = 64 << 20) {
        precondition(maxFrameSize >= 1, "maxFrameSize must allow at least the kind byte")
        self.maxFrameSize = maxFrameSize
    }

    /// Number of bytes received but not yet returned as part of a frame.
    package var bufferedByteCount: Int { writeIndex - readIndex }

    /// Appends received bytes.
    package mutating func append(_ bytes: UnsafeRawBufferPointer) {
        guard !bytes.isEmpty else { return }
        reserveFreeSpace(bytes.count)
        storage.withUnsafeMutableBytes { destination in
            UnsafeMutableRawBufferPointer(rebasing: destination[writeIndex ..< writeIndex + bytes.count])
                .copyMemory(from: bytes)
        }
        writeIndex += bytes.count
    }

    /// Appends received bytes.
    package mutating func append(contentsOf bytes: [UInt8]) {
        bytes.withUnsafeBytes { append($0) }
    }

    /// Lends `body` at least `minimumCapacity` bytes of free space at the end of the buffer, e.g. for a socket
    /// `read`; `body` returns how many bytes it wrote there (0 ... space count), which is also returned
    /// (so 0 can signal end of stream). If `body` throws, nothing is added.
    @discardableResult
    package mutating func withWritableSpace(
        minimumCapacity: Int,
        _ body: (UnsafeMutableRawBufferPointer) throws -> Int
    ) rethrows -> Int {
        precondition(minimumCapacity >= 0, "minimumCapacity must not be negative")
        reserveFreeSpace(Swift.max(minimumCapacity, 1))
        let start = writeIndex
        let written = try storage.withUnsafeMutableBytes { all in
            let space = UnsafeMutableRawBufferPointer(rebasing: all[start...])
            let written = try body(space)
            precondition(written >= 0 && written <= space.count, "withWritableSpace body reported \(written) bytes written")
            return written
        }
        writeIndex += written
        return written
    }

    /// Returns the next complete frame, or nil if more bytes are needed. As soon as the 4 length bytes are
    /// buffered the length is validated, so an oversized or empty frame throws without waiting for its payload.
    /// After a throw the stream is unusable (the same error repeats); close the connection.
    package mutating func nextFrame() throws(FrameError) -> Frame? {
        let available = writeIndex - readIndex
        guard available >= 4 else { return nil }
        let length = storage.withUnsafeBytes { raw in
            UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: readIndex, as: UInt32.self))
        }
        guard length != 0 else { throw FrameError.emptyFrame }
        guard UInt64(length) <= UInt64(maxFrameSize) else {
            throw FrameError.oversized(length: length, maximum: maxFrameSize)
        }
        let total = 4 + Int(length)
        guard available >= total else { return nil }
        let kind = storage[readIndex + 4]
        let payload = [UInt8](storage[readIndex + 5 ..< readIndex + total])
        readIndex += total
        if readIndex == writeIndex {
            // Drained: reuse the whole buffer from the start at no cost.
            readIndex = 0
            writeIndex = 0
        }
        return Frame(kind: kind, payload: payload)
    }

    /// Makes sure at least `count` bytes are free after `writeIndex`, compacting or growing as needed.
    private mutating func reserveFreeSpace(_ count: Int) {
        if storage.count - writeIndex >= count { return }
        let live = writeIndex - readIndex
        // Compact only when the consumed prefix is at least as large as the live bytes being moved, so every
        // moved byte is paid for by a consumed one (amortised O(1)); otherwise growing is the cheaper choice.
        if readIndex > 0 && readIndex >= live {
            if live > 0 {
                let from = readIndex
                storage.withUnsafeMutableBytes { raw in
                    // copyMemory has memmove semantics, so the overlapping move is safe.
                    raw.baseAddress!.copyMemory(from: raw.baseAddress! + from, byteCount: live)
                }
            }
            readIndex = 0
            writeIndex = live
            if storage.count - writeIndex >= count { return }
        }
        let needed = writeIndex + count
        let newCount = Swift.max(needed, storage.count * 2, 4096)
        storage.append(contentsOf: repeatElement(0, count: newCount - storage.count))
    }
}
