import SpindlePosix

/// Writes a file that appears whole or not at all, for files too large to build in memory (generated
/// data, graph images): the bytes go to a temporary name in the target's directory, then fsync, then rename
/// over the target, then fsync of the directory.
package enum FileReplacement {
    /// Runs `body` with a writer on `.NAME.tmp-PID-RANDOM` next to `path`, then makes that file `path`
    /// (replacing an existing file). On any failure, of `body` or of the I/O, the temporary file is
    /// removed and the error rethrown, so `path` is left either untouched or complete.
    /// - Parameters:
    ///   - path: the file to create or replace; its directory must exist.
    ///   - bufferSize: the writer's buffer.
    ///   - checksummed: the writer keeps a CRC32C of what it wrote (``FileWriter/checksum``).
    ///   - durable: false skips both fsyncs: readers still see the old or the whole new file, but after a machine
    ///     crash it may be empty or torn; only for files whose readers verify a checksum and can do without them
    ///     (a cache).
    ///   - body: writes the content; it MUST NOT close the writer.
    package static func write(
        _ path: String, bufferSize: Int = 1 << 16, checksummed: Bool = false, durable: Bool = true, _ body: (FileWriter) throws -> Void
    ) throws {
        let temporary = temporaryPath(for: path)
        do {
            let writer = try FileWriter(path: temporary, mode: .createTruncate, bufferSize: bufferSize, checksummed: checksummed)
            do {
                try body(writer)
                if durable { try writer.sync() }
                try writer.close()
            } catch {
                try? writer.close()
                throw error
            }
            try FileSystem.rename(temporary, to: path)
        } catch {
            try? FileSystem.unlink(temporary)
            throw error
        }
        if durable { try FileSystem.syncDirectory(directory(of: path)) }
    }

    /// `.NAME.tmp-PID-RANDOM` in the directory of `path`: hidden, and never a name a user picked.
    package static func temporaryPath(for path: String) -> String {
        let name = path.lastIndex(of: "/").map { String(path[path.index(after: $0)...]) } ?? path
        let suffix = SecureRandom.bytes(6).map { String($0, radix: 16) }.joined()
        let prefix = path.lastIndex(of: "/").map { String(path[...$0]) } ?? ""
        return "\(prefix).\(name).tmp-\(SystemInfo.processID)-\(suffix)"
    }

    /// The directory holding `path` ("." for a bare name).
    package static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }
}
