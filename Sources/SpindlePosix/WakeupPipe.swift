import Glibc
import Synchronization

/// A non-blocking self-pipe that lets another thread wake a `Poller.wait`: poll `readFD` for
/// `.readable`, call `wake()` from anywhere, and `drain()` after waking.
///
/// Sendable because both fds are immutable and `close()` is made idempotent by a Mutex.
package final class WakeupPipe: @unchecked Sendable {
    /// The end to poll for `.readable`.
    package let readFD: Int32
    /// The end `wake()` writes to.
    package let writeFD: Int32
    /// True once both fds have been closed.
    private let closed = Mutex(false)

    /// Creates the pipe (both ends O_NONBLOCK and close-on-exec).
    package init() throws {
        var fds: [Int32] = [-1, -1]
        if let pipe2 = LibC.pipe2 {
            try SystemError.check("pipe2") { pipe2(&fds, O_NONBLOCK | O_CLOEXEC) }
        } else {
            try SystemError.check("pipe") { Glibc.pipe(&fds) }
            for fd in fds {
                try LibC.setCloseOnExec(fd, "wakeup pipe")
                try LibC.setNonBlocking(fd, true, "wakeup pipe")
            }
        }
        readFD = fds[0]
        writeFD = fds[1]
    }

    deinit { close() }

    /// Makes `readFD` readable. Never blocks; a full pipe already guarantees a wakeup.
    package func wake() {
        var byte: UInt8 = 1
        while Glibc.write(writeFD, &byte, 1) == -1 && Glibc.errno == EINTR {}
    }

    /// Reads away every pending wakeup so `readFD` is no longer readable. Never blocks.
    package func drain() {
        var scratch = (UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0))
        let size = MemoryLayout.size(ofValue: scratch)
        while true {
            let n = withUnsafeMutableBytes(of: &scratch) { Glibc.read(readFD, $0.baseAddress, size) }
            if n == size { continue }
            if n == -1 && Glibc.errno == EINTR { continue }
            return
        }
    }

    /// Closes both ends; later calls do nothing.
    package func close() {
        closed.withLock { isClosed in
            if !isClosed {
                isClosed = true
                _ = Glibc.close(readFD)
                _ = Glibc.close(writeFD)
            }
        }
    }
}
