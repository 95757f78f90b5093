import Foundation
import SpindleCore
import SpindlePosix

/// Checkpoints of a superstep job under `OUTPUT/_temporary/checkpoints/superstep-S/`: per partition a state
/// file (Pregel: vertex values and halt flags; BSP: the partition's halt flag and `State`; CRC32C-checked)
/// and a message file (the messages sent in superstep S, in checked blocks), and `MANIFEST`, written by the
/// coordinator last, after every partition's files were fsynced. A checkpoint without a manifest, or with a
/// damaged file, does not count.
enum CheckpointStore {
    static let stateMagic: [UInt8] = Array("SPST".utf8)
    static let blobMagic: [UInt8] = Array("SPSB".utf8)

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
    /// the contents after the magic to `decode`, which must consume all of them.
    private static func readSealed<T>(_ path: String, magic: [UInt8], what: String, _ decode: (inout WireReader) throws -> T) throws -> T {
        let bytes = try FileSystem.readFile(path)
        guard bytes.count >= magic.count + 4 else { throw CorruptDataError(source: path, offset: 0, detail: "truncated checkpoint state") }
        guard checksumMatches(bytes) else { throw CorruptDataError(source: path, offset: 0, detail: "checkpoint state checksum mismatch") }
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

    /// Checks every file of a checkpoint: manifest present, state checksums, message blocks and footers.
    static func verify(_ dir: String, partitions: Int) -> Bool {
        guard FileSystem.exists("\(dir)/MANIFEST") else { return false }
        for p in 0..<partitions {
            guard let bytes = try? FileSystem.readFile(statePath(dir, partition: p)), bytes.count > 8, checksumMatches(bytes) else { return false }
            guard let file = try? PartitionedFile(path: messagesPath(dir, partition: p)) else { return false }
            for q in 0..<file.partitionCount where (try? BlockValidator.validate(file.segment(q), source: file.path)) == nil { return false }
        }
        return true
    }

    /// Writes the manifest that makes a checkpoint count.
    static func writeManifest(_ dir: String, _ manifest: CheckpointManifest) throws {
        let json: JSONValue = .object([
            ("superstep", .int(manifest.superstep)), ("totalVertices", .int(manifest.totalVertices)), ("partitions", .int(manifest.partitions)),
            ("aggregates", .array(manifest.aggregates.map { .string(String($0.bitPattern, radix: 16)) })),
            ("globals", .object(manifest.globals.map { ($0.first, .string(String($0.second.bitPattern, radix: 16))) })),
        ])
        try FileSystem.syncDirectory(dir)
        try FileSystem.writeFileAtomically("\(dir)/MANIFEST", Array((json.serialized() + "\n").utf8))
    }

    static func readManifest(_ dir: String) throws -> CheckpointManifest {
        let data = try Data(FileSystem.readFile("\(dir)/MANIFEST"))
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any],
            let superstep = object["superstep"] as? Int, let total = object["totalVertices"] as? Int, let partitions = object["partitions"] as? Int,
            let aggregates = object["aggregates"] as? [String], let globals = object["globals"] as? [String: String]
        else { throw CorruptDataError(source: "\(dir)/MANIFEST", offset: 0, detail: "malformed manifest") }
        func double(_ hex: String) -> Double { Double(bitPattern: UInt64(hex, radix: 16) ?? 0) }
        return CheckpointManifest(
            superstep: superstep, totalVertices: total, partitions: partitions, aggregates: aggregates.map(double),
            globals: globals.sorted { $0.key < $1.key }.map { Pair($0.key, double($0.value)) })
    }
}

/// What the coordinator records about a checkpoint.
struct CheckpointManifest: Sendable {
    var superstep: Int
    var totalVertices: Int
    var partitions: Int
    var aggregates: [Double]
    var globals: [Pair<String, Double>]
}
