import Glibc
import Synchronization

/// A connected, blocking TCP stream socket with TCP_NODELAY on.
///
/// Sendable because `fd` is immutable and `close()` is made idempotent by a Mutex that also
/// serializes it with `shutdown()`. One thread may read while another writes. Do not `close()`
/// while another thread is still inside `read`/`writeAll`: call `shutdown()` to wake it first.
package final class TCPSocket: @unchecked Sendable {
    /// The socket's file descriptor (valid until `close()`).
    package let fd: Int32
    /// The peer's numeric address: "127.0.0.1:54321" or "[::1]:7070".
    package let peerDescription: String
    /// True once the fd has been closed.
    private let closed = Mutex(false)

    /// Takes ownership of a connected socket `fd`.
    init(adopting fd: Int32, peerDescription: String) {
        self.fd = fd
        self.peerDescription = peerDescription
    }

    deinit { close() }

    /// Connects to `host` (a name or an IPv4/IPv6 literal) within `timeout`, trying each resolved
    /// address in turn; throws the last address's error, or ETIMEDOUT when time runs out. With `abandoned`,
    /// the wait also ends (ECANCELED) within 50 ms of it returning true: a connect to an unreachable host
    /// stops as soon as its caller no longer wants it.
    package static func connect(host: String, port: UInt16, timeout: Duration, abandoned: (() -> Bool)? = nil) throws -> TCPSocket {
        let deadline = LibC.Deadline(after: timeout)
        let context = host.contains(":") && !host.hasPrefix("[") ? "to [\(host)]:\(port)" : "to \(host):\(port)"
        let addresses = try SocketAddress.resolve(host: host, port: port, passive: false)
        var lastError = SystemError(call: "connect", errno: ETIMEDOUT, context: context)
        for (index, address) in addresses.enumerated() {
            if index > 0 && deadline.hasPassed { break }
            do {
                return try connect(to: address, deadline: deadline, abandoned: abandoned, context: context)
            } catch {
                lastError = error
            }
        }
        throw lastError
    }

    /// One non-blocking connect attempt, polled until `deadline`, then switched back to blocking.
    private static func connect(to address: SocketAddress, deadline: LibC.Deadline, abandoned: (() -> Bool)?,
                                context: String) throws(SystemError) -> TCPSocket {
        let type = LibC.sockStream | LibC.sockCloexec | Int32(SOCK_NONBLOCK.rawValue)
        let fd = try SystemError.check("socket", context) {
            socket(address.family, type, Int32(IPPROTO_TCP))
        }
        do throws(SystemError) {
            let rc = address.withSockAddr { Glibc.connect(fd, $0, $1) }
            if rc == -1 {
                let code = Glibc.errno
                // EINTR on a non-blocking connect: the connection proceeds asynchronously.
                guard code == EINPROGRESS || code == EINTR else {
                    throw SystemError(call: "connect", errno: code, context: context)
                }
                try waitConnected(fd, deadline: deadline, abandoned: abandoned, context: context)
            }
            try LibC.setNonBlocking(fd, false, context)
            try LibC.setSocketOption(fd, Int32(IPPROTO_TCP), TCP_NODELAY, 1,
                                     "setsockopt(TCP_NODELAY)", context)
            return TCPSocket(adopting: fd, peerDescription: address.description)
        } catch {
            _ = Glibc.close(fd)
            throw error
        }
    }

    /// Polls `fd` for writability until `deadline` (in slices of 50 ms while `abandoned` is given and false),
    /// then reads SO_ERROR for the outcome.
    private static func waitConnected(_ fd: Int32, deadline: LibC.Deadline, abandoned: (() -> Bool)?,
                                      context: String) throws(SystemError) {
        while true {
            let remaining = deadline.remaining
            if remaining == 0 {
                throw SystemError(call: "connect", errno: ETIMEDOUT, context: context)
            }
            if let abandoned, abandoned() {
                throw SystemError(call: "connect", errno: ECANCELED, context: context)
            }
            let slice = abandoned == nil ? remaining : min(remaining, 50_000_000)
            var pfd = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            let r = Glibc.poll(&pfd, 1, LibC.pollMilliseconds(slice))
            if r == -1 {
                let code = Glibc.errno
                if code == EINTR { continue }
                throw SystemError(call: "poll", errno: code, context: context)
            }
            if r > 0 { break }
        }
        var soError: Int32 = 0
        var len = socklen_t(MemoryLayout<Int32>.size)
        try SystemError.check("getsockopt(SO_ERROR)", context) {
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &soError, &len)
        }
        if soError != 0 {
            throw SystemError(call: "connect", errno: soError, context: context)
        }
    }

    /// The local port of this connection (0 if it cannot be read).
    package var localPort: UInt16 {
        (try? SocketAddress.of(fd: fd, peer: false).port) ?? 0
    }

    /// Blocks until some bytes arrive and copies up to `buffer.count` of them; returns 0 at EOF
    /// (or for an empty buffer). Throws on ECONNRESET, or EAGAIN after a receive timeout.
    package func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        return try SystemError.check("recv", "from \(peerDescription)") {
            recv(fd, base, buffer.count, 0)
        }
    }

    /// Waits up to `timeout` until a read would not block (data, EOF or error); false on timeout.
    package func waitReadable(timeout: Duration) throws -> Bool {
        let deadline = LibC.Deadline(after: timeout)
        while true {
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let r = Glibc.poll(&pfd, 1, LibC.pollMilliseconds(deadline.remaining))
            if r == -1 {
                let code = Glibc.errno
                if code == EINTR { continue }
                throw SystemError(call: "poll", errno: code, context: "on \(peerDescription)")
            }
            if r == 0 {
                if deadline.remaining == 0 { return false }
                continue
            }
            if pfd.revents & Int16(POLLNVAL) != 0 {
                throw SystemError(call: "poll", errno: EBADF, context: "on \(peerDescription)")
            }
            return true
        }
    }

    /// Sends every byte, looping over partial sends. Uses MSG_NOSIGNAL, so a closed peer
    /// throws EPIPE (or ECONNRESET) instead of raising SIGPIPE; a send timeout throws EAGAIN.
    package func writeAll(_ bytes: UnsafeRawBufferPointer) throws {
        guard let base = bytes.baseAddress else { return }
        var offset = 0
        while offset < bytes.count {
            let n = try SystemError.check("send", "to \(peerDescription)") {
                send(fd, base + offset, bytes.count - offset, Int32(MSG_NOSIGNAL))
            }
            offset += n
        }
    }

    /// Sends every byte of `bytes` (see `writeAll(_:)` for the raw-buffer version).
    package func writeAll(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try writeAll($0) }
    }

    /// Sets SO_SNDTIMEO: a send blocked longer than `d` throws EAGAIN. Zero means no timeout.
    package func setSendTimeout(_ d: Duration) throws {
        try setTimeout(SO_SNDTIMEO, d, "setsockopt(SO_SNDTIMEO)")
    }

    /// Sets SO_RCVTIMEO: a recv blocked longer than `d` throws EAGAIN. Zero means no timeout.
    package func setReceiveTimeout(_ d: Duration) throws {
        try setTimeout(SO_RCVTIMEO, d, "setsockopt(SO_RCVTIMEO)")
    }

    private func setTimeout(_ option: Int32, _ d: Duration, _ call: String) throws {
        var tv = LibC.timeval(d)
        try SystemError.check(call, "on \(peerDescription)") {
            setsockopt(fd, SOL_SOCKET, option, &tv, socklen_t(MemoryLayout<timeval>.size))
        }
    }

    /// Shuts down both directions, waking any thread blocked in read; errors (such as
    /// ENOTCONN) are ignored and a closed socket is left alone.
    package func shutdown() {
        closed.withLock { isClosed in
            if !isClosed { _ = Glibc.shutdown(fd, Int32(SHUT_RDWR)) }
        }
    }

    /// Half-closes the connection: sends FIN after the bytes already written, so the peer reads them and then the
    /// end of the stream, while this side can still read what the peer sends. Reading those bytes before ``close()``
    /// matters: closing a socket with unread received bytes makes the kernel send a reset instead of FIN, and a
    /// peer may meet the reset (ECONNRESET or EPIPE on its next call) before it has read the last frame.
    /// A closed socket is left alone.
    /// - Throws: ``SystemError`` from shutdown(2) (ENOTCONN when the connection is already gone).
    package func shutdownWrite() throws {
        try closed.withLock { isClosed in
            guard !isClosed else { return }
            _ = try SystemError.check("shutdown(SHUT_WR)", "on \(peerDescription)") { Glibc.shutdown(fd, Int32(SHUT_WR)) }
        }
    }

    /// Closes the fd; later calls do nothing.
    package func close() {
        closed.withLock { isClosed in
            if !isClosed {
                isClosed = true
                _ = Glibc.close(fd)
            }
        }
    }
}
