import Glibc
import SpindleCore
import Synchronization

/// A buffered, append-only file writer.
///
/// Sendable because `fd` is immutable and the buffer, offset and closed flag live in a Mutex
/// (which also makes `close()` idempotent). Every failure, including ENOSPC, throws a
/// `SystemError` naming the path. Call `close()`; deinit only makes a best-effort flush.
package final class FileWriter: @unchecked Sendable {
    /// How the file is opened.
    package enum Mode: Sendable, Equatable {
        /// Create the file, or empty it if it exists.
        case createTruncate
        /// Create the file if needed and add to its end.
        case append
    }

    /// The path the writer was opened with.
    package let path: String
    /// The file descriptor (valid until `close()`).
    package let fd: Int32

    private struct State {
        var buffer: UnsafeMutableRawBufferPointer
        var used = 0
        var flushedOffset: Int
        var closed = false
        /// The CRC32C of every byte handed to the kernel so far, when the writer was opened with `checksummed`.
        var checksum: CRC32C?
    }
    private let state: Mutex<State>

    /// Opens `path` (mode 0644 before umask when created) with a `bufferSize`-byte buffer. With `checksummed`,
    /// the writer keeps the CRC32C of what it writes (``checksum``), computed on whole buffers as they are written.
    package init(path: String, mode: Mode, bufferSize: Int = 1 << 20, checksummed: Bool = false) throws {
        precondition(bufferSize > 0, "FileWriter: bufferSize must be positive")
        let flags = O_WRONLY | O_CREAT | O_CLOEXEC | (mode == .append ? O_APPEND : O_TRUNC)
        let fd = try SystemError.check("open", path) { Glibc.open(path, flags, 0o644) }
        var st = stat()
        if fstat(fd, &st) == -1 {
            let error = SystemError.fromErrno("fstat", path)
            _ = Glibc.close(fd)
            throw error
        }
        self.path = path
        self.fd = fd
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: bufferSize, alignment: 16)
        state = Mutex(State(buffer: buffer, flushedOffset: mode == .append ? Int(st.st_size) : 0, checksum: checksummed ? CRC32C() : nil))
    }

    deinit {
        _ = try? close()
        state.withLock { $0.buffer.deallocate() }
    }

    /// The logical file offset after everything written so far (buffered bytes included);
    /// in append mode it starts at the file's size when opened.
    package var bytesWritten: Int {
        state.withLock { $0.flushedOffset + $0.used }
    }

    /// The CRC32C of the bytes this writer handed to the kernel (buffered bytes not included: read it after
    /// ``sync()`` or ``close()``); nil unless opened `checksummed`, and meaningless after a failed write.
    package var checksum: UInt32? {
        state.withLock { $0.checksum?.value }
    }

    /// Appends `bytes`, buffering small writes and writing large ones straight through.
    package func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard let source = bytes.baseAddress, bytes.count > 0 else { return }
        try state.withLock { (s: inout State) throws(SystemError) in
            try checkOpen(s)
            if bytes.count > s.buffer.count - s.used {
                try flushLocked(&s)
            }
            if bytes.count >= s.buffer.count {
                s.checksum?.update(UnsafeRawBufferPointer(start: source, count: bytes.count))
                try LibC.writeFully(fd, UnsafeRawBufferPointer(start: source, count: bytes.count), path)
                s.flushedOffset += bytes.count
            } else {
                (s.buffer.baseAddress! + s.used).copyMemory(from: source, byteCount: bytes.count)
                s.used += bytes.count
            }
        }
    }

    /// Appends `bytes` (see the raw-buffer `write(_:)`).
    package func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try write($0) }
    }

    /// Hands all buffered bytes to the kernel.
    package func flush() throws {
        try state.withLock { (s: inout State) throws(SystemError) in
            try checkOpen(s)
            try flushLocked(&s)
        }
    }

    /// Flushes, then fsyncs so the data is on stable storage.
    package func sync() throws {
        try state.withLock { (s: inout State) throws(SystemError) in
            try checkOpen(s)
            try flushLocked(&s)
            try SystemError.check("fsync", path) { fsync(fd) }
        }
    }

    /// Flushes and closes the file; the fd is closed even if the flush fails (that error is
    /// thrown). Later calls do nothing.
    package func close() throws {
        try state.withLock { (s: inout State) throws(SystemError) in
            if s.closed { return }
            s.closed = true
            var flushError: SystemError? = nil
            do throws(SystemError) { try flushLocked(&s) } catch { flushError = error }
            let closeResult = Glibc.close(fd)
            let closeErrno = Glibc.errno
            if let flushError { throw flushError }
            if closeResult == -1 && closeErrno != EINTR {
                throw SystemError(call: "close", errno: closeErrno, context: path)
            }
        }
    }

    private func checkOpen(_ s: State) throws(SystemError) {
        if s.closed { throw SystemError(call: "write", errno: EBADF, context: "\(path) (writer closed)") }
    }

    /// Writes out the buffer; on failure the unwritten tail stays buffered (moved to the front).
    private func flushLocked(_ s: inout State) throws(SystemError) {
        guard s.used > 0, let base = s.buffer.baseAddress else { return }
        var done = 0
        while done < s.used {
            let n = Glibc.write(fd, base + done, s.used - done)
            if n >= 0 {
                done += n
                continue
            }
            let code = Glibc.errno
            if code == EINTR { continue }
            if done > 0 {
                s.checksum?.update(UnsafeRawBufferPointer(start: base, count: done))
                (base).copyMemory(from: base + done, byteCount: s.used - done)
                s.used -= done
                s.flushedOffset += done
            }
            throw SystemError(call: "write", errno: code, context: path)
        }
        s.checksum?.update(UnsafeRawBufferPointer(start: base, count: s.used))
        s.flushedOffset += s.used
        s.used = 0
    }
}
