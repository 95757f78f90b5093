/// An immutable, heap-allocated copy of segment bytes (e.g. received from the network) whose address never moves,
/// so cursors over it can outlive any `withUnsafeBytes` scope; `cursor(source:)` keeps the buffer alive.
/// Sendable: the bytes are never written after initialisation.
final class BlockBuffer: @unchecked Sendable {
    private let storage: UnsafeMutableRawBufferPointer
    /// Number of bytes held.
    let count: Int

    /// Copies `bytes`.
    init(copying bytes: UnsafeRawBufferPointer) {
        storage = BlockBuffer.copy(bytes)
        count = bytes.count
    }

    /// Copies the bytes of `array`.
    init(_ array: [UInt8]) {
        storage = array.withUnsafeBytes { BlockBuffer.copy($0) }
        count = array.count
    }

    /// Takes ownership of `storage` (allocated with `UnsafeMutableRawBufferPointer.allocate(byteCount:alignment:)`),
    /// of which the first `count` bytes are held; it is deallocated with this buffer.
    init(adopting storage: UnsafeMutableRawBufferPointer, count: Int) {
        precondition(count <= storage.count, "BlockBuffer: adopting \(count) bytes of a \(storage.count)-byte allocation")
        self.storage = storage
        self.count = count
    }

    private static func copy(_ bytes: UnsafeRawBufferPointer) -> UnsafeMutableRawBufferPointer {
        let storage = UnsafeMutableRawBufferPointer.allocate(byteCount: Swift.max(bytes.count, 1), alignment: 16)
        if let source = bytes.baseAddress, bytes.count > 0 {
            storage.baseAddress!.copyMemory(from: source, byteCount: bytes.count)
        }
        return storage
    }

    deinit { storage.deallocate() }

    /// The bytes; valid while this object is alive.
    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: storage.baseAddress, count: count) }

    /// A cursor over the held blocks that keeps this buffer alive.
    func cursor(source: String, baseOffset: Int = 0) -> RecordCursor {
        RecordCursor(blocks: bytes, source: source, baseOffset: baseOffset, owner: self)
    }
}
