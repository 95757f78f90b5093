import SpindleCore
import SpindlePosix

/// Checkpoints of a superstep job under `OUTPUT/_temporary/checkpoints/superstep-S/`: per partition a state
/// file (Pregel: vertex values and halt flags; BSP: the partition's halt flag and `State`; CRC32C-checked)
/// and a message file (the messages sent in superstep S, in checked blocks), and `MANIFEST`, written by the
/// coordinator last, after every partition's files were fsynced. Every file ends with a CRC32C of its bytes and
/// is written atomically (fsync, rename). A checkpoint without a manifest, or with any damaged file (the
/// manifest included), does not count: ``verify(_:superstep:partitions:aggregators:)`` says so and recovery falls
/// back to the checkpoint before it.
enum CheckpointStore {
    static let stateMagic: [UInt8] = Array("SPST".utf8)
    static let blobMagic: [UInt8] = Array("SPSB".utf8)
    static let manifestMagic: [UInt8] = Array("SPMF".utf8)

    static func directory(root: String, superstep: Int) -> String { "\(root)/superstep-\(superstep)" }
    static func statePath(_ dir: String, partition: Int) -> String { "\(dir)/state-\(partition)" }
    static func messagesPath(_ dir: String, partition: Int) -> String { "\(dir)/messages-\(partition)" }

    /// Writes a partition's values and halt flags atomically (fsync, rename).
    static func writeState<V: WireCodable>(_ path: String, values: [V], halted: [Bool]) throws {
        var w = WireWriter(reservingCapacity: values.count * 9 + 16)
        w.writeRaw(stateMagic)
        w.write(values.count)
        for value in values { value.encode(to: &w) }
        var bits = [UInt8](repeating: 0, count: (halted.count + 7) / 8)
        for (i, h) in halted.enumerated() where h { bits[i / 8] |= 1 << (i % 8) }
        w.writeRaw(bits)
        try seal(&w, to: path)
    }

    /// Reads and checks a state file written by ``writeState(_:values:halted:)``.
    /// - Throws: ``CorruptDataError`` when the checksum, the framing or the vertex count is wrong.
    static func readState<V: WireCodable>(_ path: String, expectedCount: Int, as: V.Type) throws -> (values: [V], halted: [Bool]) {
        try readSealed(path, magic: stateMagic, what: "a checkpoint state file") { r in
            let count = try r.read(Int.self)
            guard count == expectedCount else {
                throw CorruptDataError(source: path, offset: 0, detail: "checkpoint holds \(count) vertices, the partition has \(expectedCount)")
            }
            var values: [V] = []
            values.reserveCapacity(count)
            for _ in 0..<count { values.append(try V(from: &r)) }
            let bits = try r.readRaw(count: (count + 7) / 8)
            let halted = (0..<count).map { bits[$0 / 8] & (1 << ($0 % 8)) != 0 }
            return (values, halted)
        }
    }

    /// Writes a state file holding whatever `encode` writes, atomically (fsync, rename), framed and
    /// CRC32C-checked like ``writeState(_:values:halted:)`` so ``verify(_:partitions:)`` checks it too.
    static func writeBlob(_ path: String, reservingCapacity: Int = 256, _ encode: (inout WireWriter) -> Void) throws {
        var w = WireWriter(reservingCapacity: reservingCapacity + blobMagic.count + 4)
        w.writeRaw(blobMagic)
        encode(&w)
        try seal(&w, to: path)
    }

    /// Reads a file written by ``writeBlob(_:reservingCapacity:_:)``: checks its checksum and framing, then
    /// hands its contents to `decode`, which must consume all of them.
    /// - Throws: ``CorruptDataError`` when the checksum or the framing is wrong, and what `decode` throws.
    static func readBlob<T>(_ path: String, _ decode: (inout WireReader) throws -> T) throws -> T {
        try readSealed(path, magic: blobMagic, what: "a checkpoint state file of a BSP job", decode)
    }

    /// Appends the CRC32C of everything written so far and writes the file atomically.
    private static func seal(_ w: inout WireWriter, to path: String) throws {
        let crc = w.bytes.withUnsafeBytes { CRC32C.checksum($0) }
        w.writeFixed(crc)
        try FileSystem.writeFileAtomically(path, w.bytes)
    }

    /// Whether `bytes` end with the CRC32C of the bytes before it.
    private static func checksumMatches(_ bytes: [UInt8]) -> Bool {
        guard bytes.count >= 4 else { return false }
        let body = bytes.count - 4
        let stored = bytes[body...].withUnsafeBytes { $0.loadUnaligned(as: UInt32.self) }.littleEndian
        return stored == bytes[..<body].withUnsafeBytes { CRC32C.checksum($0) }
    }

    /// Reads a file written through ``seal(_:to:)`` that starts with `magic`, checks its checksum, and hands
    /// the contents after the magic to `decode`, which must consume all of them. `kind` names the file in errors.
    private static func readSealed<T>(
        _ path: String, magic: [UInt8], kind: String = "checkpoint state", what: String, _ decode: (inout WireReader) throws -> T
    ) throws -> T {
        let bytes = try FileSystem.readFile(path)
        guard bytes.count >= magic.count + 4 else { throw CorruptDataError(source: path, offset: 0, detail: "truncated \(kind)") }
        guard checksumMatches(bytes) else { throw CorruptDataError(source: path, offset: 0, detail: "\(kind) checksum mismatch") }
        return try bytes[..<(bytes.count - 4)].withUnsafeBytes { buffer in
            var r = WireReader(buffer)
            guard Array(try r.readRaw(count: magic.count)) == magic else {
                throw CorruptDataError(source: path, offset: 0, detail: "not \(what)")
            }
            let value = try decode(&r)
            try r.expectEnd()
            return value
        }
    }

    /// Checks every file of the checkpoint of superstep `superstep` in `dir`: the manifest's checksum, framing and
    /// fields, every state file's checksum and framing, every message file's blocks and footers.
    /// - Returns: the manifest, which the caller may trust.
    /// - Throws: the first problem found, naming the damaged or missing file.
    static func verify(_ dir: String, superstep: Int, partitions: Int, aggregators: Int) throws -> CheckpointManifest {
        let manifest = try readManifest(dir)
        let path = manifestPath(dir)
        guard manifest.superstep == superstep else {
            throw CorruptDataError(
                source: path, offset: 0, detail: "the manifest is of superstep \(manifest.superstep), its directory of \(superstep)")
        }
        guard manifest.partitions == partitions else {
            throw CorruptDataError(
                source: path, offset: 0, detail: "the manifest counts \(manifest.partitions) partitions, the job has \(partitions)")
        }
        guard manifest.aggregates.count == aggregators else {
            throw CorruptDataError(
                source: path, offset: 0, detail: "the manifest holds \(manifest.aggregates.count) aggregates, the job has \(aggregators) aggregators")
        }
        for p in 0..<partitions {
            let state = statePath(dir, partition: p)
            let bytes = try FileSystem.readFile(state)
            guard bytes.count >= stateMagic.count + 4, checksumMatches(bytes) else {
                throw CorruptDataError(source: state, offset: 0, detail: "checkpoint state checksum mismatch")
            }
            let magic = Array(bytes[..<stateMagic.count])
            guard magic == stateMagic || magic == blobMagic else {
                throw CorruptDataError(source: state, offset: 0, detail: "not a checkpoint state file")
            }
            let file = try PartitionedFile(path: messagesPath(dir, partition: p))
            guard file.partitionCount == partitions else {
                throw CorruptDataError(
                    source: file.path, offset: 0, detail: "the message file has \(file.partitionCount) partitions, the job \(partitions)")
            }
            for q in 0..<file.partitionCount { _ = try BlockValidator.validate(file.segment(q), source: file.path) }
        }
        return manifest
    }

    static func manifestPath(_ dir: String) -> String { "\(dir)/MANIFEST" }

    /// Writes the manifest that makes a checkpoint count, last: it first makes the directory entries of the
    /// partitions' files durable, then writes the manifest sealed with a CRC32C, atomically (fsync, rename,
    /// fsync of the directory).
    static func writeManifest(_ dir: String, _ manifest: CheckpointManifest) throws {
        try FileSystem.syncDirectory(dir)
        var w = WireWriter(reservingCapacity: 64 + 9 * manifest.aggregates.count + 32 * manifest.globals.count)
        w.writeRaw(manifestMagic)
        w.write(manifest)
        try seal(&w, to: manifestPath(dir))
    }

    /// Reads and checks a manifest written by ``writeManifest(_:_:)``.
    /// - Throws: ``CorruptDataError`` when the checksum, the framing or a field is wrong; the file system's error
    ///   when it cannot be read. Nothing in a damaged manifest is ever read as a default value.
    static func readManifest(_ dir: String) throws -> CheckpointManifest {
        let path = manifestPath(dir)
        do {
            return try readSealed(path, magic: manifestMagic, kind: "checkpoint manifest", what: "a checkpoint manifest") { r in
                try CheckpointManifest(from: &r)
            }
        } catch let error as WireError {
            throw CorruptDataError(source: path, offset: 0, detail: "malformed manifest (\(error))")
        }
    }
}
