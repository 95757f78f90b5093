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
