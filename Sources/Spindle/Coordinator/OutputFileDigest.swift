import SpindleCore
import SpindlePosix

/// The size and CRC32C of a committed output file, as the journal records it and a resume checks it.
enum OutputFileDigest {
    /// Reads `path` (in 1 MiB blocks) and returns its journal entry under `name`.
    /// - Throws: ``SystemError`` naming the file when it cannot be read.
    static func of(_ path: String, name: String) throws -> CommittedTaskRecord.OutputFile {
        let reader = try FileReader(path: path)
        defer { reader.close() }
        var crc = CRC32C()
        var offset = 0
        var block = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let count = try block.withUnsafeMutableBytes { try reader.read(at: offset, into: $0) }
            if count == 0 { break }
            block.withUnsafeBytes { crc.update(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
            offset += count
        }
        return CommittedTaskRecord.OutputFile(name: name, size: offset, checksum: crc.value)
    }

    /// The journal entry of the committed file `path` from the size and CRC32C its worker computed while writing
    /// it (``AttemptStatistics/output``), without reading the file: only its size is checked, by `stat`.
    /// - Throws: a ``TaskFailure`` when no digest was reported or the file's size differs from it, a
    ///   ``SystemError`` when the file cannot be examined.
    static func reported(_ digest: OutputDigest?, at path: String, name: String) throws -> CommittedTaskRecord.OutputFile {
        guard let digest else { throw TaskFailure("the worker that wrote \(path) reported no size and CRC32C for it; it cannot be journaled") }
        let size = try FileSystem.fileSize(path)
        guard size == digest.size else {
            throw TaskFailure(
                "\(path) has \(size) bytes after its commit but its worker wrote \(digest.size); check the output directory's file system")
        }
        return CommittedTaskRecord.OutputFile(name: name, size: digest.size, checksum: digest.checksum)
    }

    /// Why the output file `expected.name` in `directory` no longer matches its journal entry (a clause), or
    /// nil when it does.
    static func mismatch(in directory: String, _ expected: CommittedTaskRecord.OutputFile) -> String? {
        let path = directory + "/" + expected.name
        guard FileSystem.exists(path) else { return "it is missing" }
        do {
            let found = try of(path, name: expected.name)
            if found.size != expected.size { return "it has \(found.size) bytes, the journal says \(expected.size)" }
            if found.checksum != expected.checksum { return "its CRC32C does not match the journal's" }
            return nil
        } catch {
            return "it cannot be read (\(error))"
        }
    }
}
