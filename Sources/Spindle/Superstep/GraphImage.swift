import SpindleCore
import SpindlePosix

/// A partition's graph image: the prepared partition before any superstep (Pregel: its vertex ids and edges in
/// CSR form, or its message routing in their stead; BSP: the state its loader made), written once by the worker
/// that built it from the load outputs (in the background, see ``GraphImageWriter``), under
/// `OUTPUT/_temporary/checkpoints/graph/partition-P`, so that a partition prepared again after a loss reads it back
/// instead of loading the input again (see `SuperstepBarrier+GraphImages.swift`).
///
/// Layout: `SPGI`, the layout byte (``layout``), the partition (8 bytes, little-endian), the body, and a CRC32C of
/// everything before it. Streamed to a temporary file renamed over the image only once complete (a write stopped
/// or failed midway deletes its temporary file), not fsynced: an image is a cache whose reader checks the
/// checksum, the magic, the layout and the partition before it trusts a byte of the body (the body's own reader
/// checks every count against the bytes left), and one torn by a machine crash is rebuilt from the input. An image
/// of another layout (an older build's) is refused like a damaged one.
enum GraphImage {
    static let magic: [UInt8] = Array("SPGI".utf8)
    /// The layout of the header and bodies this build writes and reads (2: Pregel images with a routing hold no
    /// target array).
    static let layout: UInt8 = 2
    private static var header: Int { magic.count + 1 + 8 }

    static func directory(root: String) -> String { "\(root)/graph" }
    static func path(root: String, partition: Int) -> String { "\(directory(root: root))/partition-\(partition)" }

    /// Writes the image of `partition` at `path`, streamed through a checksumming ``FileWriter`` into a temporary
    /// file renamed over `path` (``FileReplacement``, without its fsyncs; no copy of the image in memory): `body`
    /// writes the bytes after the header.
    /// - Parameter stop: asked before every array the body appends; true abandons the write (``Sink/Stopped``).
    /// - Throws: what writing throws, or ``Sink/Stopped``; the temporary file is deleted and `path` left as it was.
    static func write(_ path: String, partition: Int, stop: @escaping () -> Bool = { false }, body: (Sink) throws -> Void) throws {
        try FileReplacement.write(path, bufferSize: 1 << 20, checksummed: true, durable: false) { writer in
            let sink = Sink(writer: writer, stop: stop)
            try writer.write(magic + [layout])
            try sink.appendInteger(UInt64(partition))
            try body(sink)
            try writer.flush()
            guard let crc = writer.checksum else { preconditionFailure("a checksummed writer has a checksum") }
            try withUnsafeBytes(of: crc.littleEndian) { try writer.write($0) }
        }
    }

    /// Where a body writes: integers and raw arrays, in the layout ``read(_:partition:_:)`` expects.
    struct Sink {
        let writer: FileWriter
        let stop: () -> Bool

        /// Thrown when the write was stopped (its worker is exiting).
        struct Stopped: Error {}

        func appendInteger(_ value: UInt64) throws {
            try withUnsafeBytes(of: value.littleEndian) { try writer.write($0) }
        }

        /// Appends the raw bytes of `array` (a plain-data element type).
        func appendRaw<T>(_ array: [T]) throws {
            if stop() { throw Stopped() }
            try array.withUnsafeBytes { try writer.write($0) }
        }
    }

    /// Reads and checks the image of `partition` at `path`, then hands its body to `decode`.
    /// - Throws: ``CorruptDataError`` naming `path` when the file is missing, truncated, fails its checksum, is of
    ///   another layout, or is another partition's; what `decode` throws.
    static func read<T>(_ path: String, partition: Int, _ decode: (inout Reader) throws -> T) throws -> T {
        let bytes: [UInt8]
        do {
            bytes = try FileSystem.readFile(path)
        } catch {
            throw CorruptDataError(source: path, offset: 0, detail: "graph image unreadable (\(error))")
        }
        guard bytes.count >= header + 4 else { throw CorruptDataError(source: path, offset: 0, detail: "truncated graph image") }
        let body = bytes.count - 4
        let stored = bytes[body...].withUnsafeBytes { $0.loadUnaligned(as: UInt32.self) }.littleEndian
        guard stored == bytes[..<body].withUnsafeBytes({ CRC32C.checksum($0) }) else {
            throw CorruptDataError(source: path, offset: 0, detail: "graph image checksum mismatch")
        }
        guard Array(bytes[..<magic.count]) == magic else { throw CorruptDataError(source: path, offset: 0, detail: "not a graph image") }
        guard bytes[magic.count] == layout else {
            throw CorruptDataError(source: path, offset: magic.count, detail: "graph image of layout \(bytes[magic.count]), not \(layout)")
        }
        return try bytes[..<body].withUnsafeBytes { buffer in
            var reader = Reader(bytes: buffer, at: magic.count + 1, path: path)
            let stored = try reader.integer()
            guard stored == partition else {
                throw CorruptDataError(source: path, offset: magic.count + 1, detail: "graph image of partition \(stored), not \(partition)")
            }
            let value = try decode(&reader)
            guard reader.offset == buffer.count else {
                throw CorruptDataError(source: path, offset: reader.offset, detail: "\(buffer.count - reader.offset) bytes after the graph image")
            }
            return value
        }
    }

    /// A bounds-checked reader of an image's body.
    struct Reader {
        let bytes: UnsafeRawBufferPointer
        var offset: Int
        let path: String

        init(bytes: UnsafeRawBufferPointer, at offset: Int, path: String) {
            self.bytes = bytes
            self.offset = offset
            self.path = path
        }

        var remaining: Int { bytes.count - offset }

        /// A little-endian 64-bit count, at most 2^50.
        mutating func integer() throws -> Int {
            guard remaining >= 8 else { throw CorruptDataError(source: path, offset: offset, detail: "truncated graph image") }
            let value = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            guard value <= UInt64(ReportLimits.maxCount) else {
                throw CorruptDataError(source: path, offset: offset, detail: "graph image count \(value) out of range")
            }
            offset += 8
            return Int(value)
        }

        /// `count` elements of a plain-data type of `stride` bytes each, copied out.
        mutating func raw<T>(_ type: T.Type, count: Int) throws -> [T] {
            let stride = MemoryLayout<T>.stride
            guard count >= 0, count <= remaining / max(stride, 1) else {
                throw CorruptDataError(source: path, offset: offset, detail: "graph image holds fewer bytes than its counts say")
            }
            let start = offset
            offset += count * stride
            return [T](unsafeUninitializedCapacity: count) { buffer, initialized in
                if count > 0 { UnsafeMutableRawPointer(buffer.baseAddress!).copyMemory(from: bytes.baseAddress! + start, byteCount: count * stride) }
                initialized = count
            }
        }

        /// The rest of the body.
        mutating func rest() -> UnsafeRawBufferPointer {
            let slice = UnsafeRawBufferPointer(rebasing: bytes[offset...])
            offset = bytes.count
            return slice
        }
    }
}
