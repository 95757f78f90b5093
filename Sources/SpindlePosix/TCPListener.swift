import Glibc
import Synchronization

/// A listening TCP socket (SO_REUSEADDR on) whose `accept` waits with a timeout.
///
/// Sendable because `fd` and `port` are immutable, `close()` is made idempotent by a Mutex, the spare
/// descriptor is behind a Mutex and the pause is atomic.
/// The fd is non-blocking internally so an aborted connection cannot stall `accept`.
///
/// Out of descriptors (EMFILE, ENFILE), `accept` does not spin: the listener closes a spare descriptor it
/// holds for the purpose, accepts and closes one pending connection (so the peer sees its connection
/// closed instead of waiting in the backlog), reopens the spare, throws, and pauses accepting for
/// ``exhaustionPause`` (during which callers that poll should leave `fd` out, see ``isPaused``).
package final class TCPListener: @unchecked Sendable {
    /// The listening socket's file descriptor.
    package let fd: Int32
    /// The port actually bound (an ephemeral one when 0 was asked for).
    package let port: UInt16
    /// The bound address as text, e.g. "0.0.0.0:7070" or "[::]:7070".
    package let localDescription: String
    /// True once the fd has been closed.
    private let closed = Mutex(false)
    /// A descriptor on /dev/null kept in reserve for shedding a connection when descriptors run out; -1 if none.
    private let spare = Mutex<Int32>(-1)
    /// Until when (monotonic nanoseconds) accepting is paused after descriptors ran out.
    private let pausedUntil = Atomic<Int64>(0)
    /// How long accepting pauses after `accept` failed for lack of descriptors.
    package static let exhaustionPause: Duration = .milliseconds(100)

    /// True while accepting is paused after descriptors ran out; a poll loop should not wait on `fd` then
    /// (it stays readable), and `accept` only sleeps.
    package var isPaused: Bool { pausedUntil.load(ordering: .relaxed) > LibC.monotonicNow() }

    /// Binds and listens on `host` ("0.0.0.0", "::", "127.0.0.1", a name, or "" for any address)
    /// and `port` (0 picks a free one); tries each resolved address until one binds.
    package init(host: String, port: UInt16, backlog: Int32 = 128) throws {
        let context = host.contains(":") && !host.hasPrefix("[") ? "on [\(host)]:\(port)" : "on \(host):\(port)"
        let addresses = try SocketAddress.resolve(host: host, port: port, passive: true)
        var lastError: SystemError? = nil
        for address in addresses {
            do {
                let fd = try Self.open(address, backlog: backlog, context: context)
                let bound = (try? SocketAddress.of(fd: fd, peer: false)) ?? address
                self.fd = fd
                self.port = bound.port
                self.localDescription = bound.description
                spare.withLock { $0 = Self.openSpare() }
                return
            } catch {
                lastError = error
            }
        }
        throw lastError ?? SystemError(call: "bind", errno: EADDRNOTAVAIL, context: context)
    }

    private static func open(_ address: SocketAddress, backlog: Int32,
                             context: String) throws(SystemError) -> Int32 {
        let type = LibC.sockStream | LibC.sockCloexec | Int32(SOCK_NONBLOCK.rawValue)
        let fd = try SystemError.check("socket", context) {
            socket(address.family, type, Int32(IPPROTO_TCP))
        }
        do throws(SystemError) {
            try LibC.setSocketOption(fd, SOL_SOCKET, SO_REUSEADDR, 1, "setsockopt(SO_REUSEADDR)", context)
            if address.family == AF_INET6 {
                // Dual-stack: "::" also accepts IPv4 clients regardless of the system default.
                _ = try? LibC.setSocketOption(fd, Int32(IPPROTO_IPV6), IPV6_V6ONLY, 0,
                                              "setsockopt(IPV6_V6ONLY)", context)
            }
            try SystemError.check("bind", context) { address.withSockAddr { bind(fd, $0, $1) } }
            try SystemError.check("listen", context) { listen(fd, backlog) }
            return fd
        } catch {
            _ = Glibc.close(fd)
            throw error
        }
    }

    deinit { close() }

    /// Waits up to `timeout` for a connection and returns it as a blocking socket with
    /// TCP_NODELAY on, or nil if none arrived in time. Throws EBADF after `close()`.
    package func accept(timeout: Duration) throws -> TCPSocket? {
        let deadline = LibC.Deadline(after: timeout)
        while true {
            if closed.withLock({ $0 }) {
                throw SystemError(call: "accept", errno: EBADF, context: "on \(localDescription)")
            }
            let pause = pausedUntil.load(ordering: .relaxed) - LibC.monotonicNow()
            if pause > 0 {
                let wait = min(pause, deadline.remaining)
                if wait == 0 { return nil }
                _ = Glibc.poll(nil, 0, LibC.pollMilliseconds(wait))
                continue
            }
            if let socket = try acceptNow() { return socket }
            let remaining = deadline.remaining
            if remaining == 0 { return nil }
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let r = Glibc.poll(&pfd, 1, LibC.pollMilliseconds(remaining))
            if r == -1 && Glibc.errno != EINTR {
                throw SystemError.fromErrno("poll", "on \(localDescription)")
            }
            if r > 0 && pfd.revents & Int16(POLLNVAL) != 0 {
                throw SystemError(call: "accept", errno: EBADF, context: "on \(localDescription)")
            }
        }
    }

    /// One non-blocking accept; nil when no connection is pending.
    private func acceptNow() throws(SystemError) -> TCPSocket? {
        var peer = SocketAddress()
        while true {
            peer.length = socklen_t(MemoryLayout<sockaddr_storage>.size)
            let client: Int32 = withUnsafeMutableBytes(of: &peer.storage) { raw in
                let sa = raw.baseAddress!.assumingMemoryBound(to: sockaddr.self)
                if let accept4 = LibC.accept4 {
                    return accept4(fd, sa, &peer.length, LibC.sockCloexec)
                }
                return Glibc.accept(fd, sa, &peer.length)
            }
            if client >= 0 {
                do throws(SystemError) {
                    if LibC.accept4 == nil { try LibC.setCloseOnExec(client, "accepted socket") }
                    // accept4 does not inherit O_NONBLOCK on Linux; clear it anyway for accept().
                    try LibC.setNonBlocking(client, false, "accepted socket")
                    try LibC.setSocketOption(client, Int32(IPPROTO_TCP), TCP_NODELAY, 1,
                                             "setsockopt(TCP_NODELAY)", "on accepted socket")
                } catch {
                    _ = Glibc.close(client)
                    throw error
                }
                return TCPSocket(adopting: client, peerDescription: peer.description)
            }
            switch Glibc.errno {
            case EINTR, ECONNABORTED, EPROTO:
                continue
            case EAGAIN:
                return nil
            case EMFILE, ENFILE:
                let code = Glibc.errno
                shedOneConnection()
                pausedUntil.store(LibC.monotonicNow() + LibC.nanoseconds(Self.exhaustionPause), ordering: .relaxed)
                throw SystemError(
                    call: "accept", errno: code,
                    context: "on \(localDescription) (out of file descriptors: one pending connection was closed and accepting pauses for 100 ms)")
            case let code:
                throw SystemError(call: "accept", errno: code, context: "on \(localDescription)")
            }
        }
    }

    /// Closes the listening socket; later calls do nothing.
    package func close() {
        closed.withLock { isClosed in
            if !isClosed {
                isClosed = true
                _ = Glibc.close(fd)
                spare.withLock { spare in
                    if spare >= 0 { _ = Glibc.close(spare) }
                    spare = -1
                }
            }
        }
    }

    /// Frees the spare descriptor, accepts one pending connection and closes it at once, then takes the
    /// spare again (the classic reserve-descriptor trick); without a spare it does nothing.
    private func shedOneConnection() {
        spare.withLock { spare in
            guard spare >= 0 else {
                spare = Self.openSpare()
                return
            }
            _ = Glibc.close(spare)
            let client = Glibc.accept(fd, nil, nil)
            if client >= 0 { _ = Glibc.close(client) }
            spare = Self.openSpare()
        }
    }

    /// Opens /dev/null close-on-exec for the spare descriptor; -1 when it cannot.
    private static func openSpare() -> Int32 {
        while true {
            let fd = Glibc.open("/dev/null", O_RDONLY | O_CLOEXEC)
            if fd == -1 && Glibc.errno == EINTR { continue }
            return fd
        }
    }
}
