import Glibc
import SpindleCore
import Synchronization

/// Random-access reads from a file with pread(2); safe to use from several threads at once.
///
/// Sendable because `fd` and `size` are immutable and `close()` is made idempotent by a Mutex.
/// Do not read after `close()`.
package final class FileReader: @unchecked Sendable {
    /// The path the reader was opened with.
    package let path: String
    /// The file descriptor (valid until `close()`).
    package let fd: Int32
    /// The file's size in bytes when it was opened.
    package var size: Int { identity.size }
    /// The identity of the opened file (fstat on the descriptor) when it was opened.
    package let identity: FileIdentity
    /// True once the fd has been closed.
    private let closed = Mutex(false)

    /// Opens `path` read-only.
    package init(path: String) throws {
        let fd = try SystemError.check("open", path) { Glibc.open(path, O_RDONLY | O_CLOEXEC) }
        do {
            identity = try FileIdentity.of(fd: fd, path: path)
        } catch {
            _ = Glibc.close(fd)
            throw error
        }
        self.path = path
        self.fd = fd
    }

    /// The identity of the opened file now (fstat again): tells whether it changed since it was opened.
    package func currentIdentity() throws -> FileIdentity {
        try FileIdentity.of(fd: fd, path: path)
    }

    deinit { close() }

    /// Reads `count` bytes starting at `offset`; fewer when the file ends first.
    package func read(at offset: Int, count: Int) throws -> [UInt8] {
        precondition(offset >= 0 && count >= 0, "FileReader.read: negative offset or count")
        return try [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            initialized = try read(at: offset, into: UnsafeMutableRawBufferPointer(buffer))
        }
    }

    /// Fills `buffer` from `offset` on and returns the bytes read (fewer at end of file).
    package func read(at offset: Int, into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard let base = buffer.baseAddress else { return 0 }
        var total = 0
        while total < buffer.count {
            let n = try SystemError.check("pread", path) {
                pread(fd, base + total, buffer.count - total, off_t(offset + total))
            }
            if n == 0 { break }
            total += n
        }
        return total
    }

    /// Closes the file; later calls do nothing.
    package func close() {
        closed.withLock { isClosed in
            if !isClosed {
                isClosed = true
                _ = Glibc.close(fd)
            }
        }
    }
}
