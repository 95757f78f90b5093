import Glibc

/// An epoll(7) instance: waits on many descriptors at a cost proportional to the ready ones, where poll(2) pays
/// for every watched descriptor on every call (a coordinator with a thousand workers polls a thousand sockets to
/// find the few that spoke).
///
/// Level-triggered: a descriptor with unread bytes is reported again by the next ``wait(timeout:maxEvents:)``.
/// Each registration carries a 64-bit `token` that comes back with its events, so a caller can tell a closed
/// descriptor's stale event from one of a new descriptor that reuses its number.
///
/// Used from one thread at a time (not Sendable); ``close()`` is idempotent.
package final class Epoll {
    /// The epoll descriptor (close-on-exec).
    package private(set) var fd: Int32
    private let control: LibC.EpollControl
    private let waitCall: LibC.EpollWait

    /// Creates an epoll instance.
    /// - Throws: ``SystemError`` from `epoll_create1` (out of descriptors), or ENOSYS where the C library has no epoll.
    package init() throws(SystemError) {
        guard let create = LibC.epollCreate1, let control = LibC.epollControl, let wait = LibC.epollWait else {
            throw SystemError(call: "epoll_create1", errno: ENOSYS, context: "(this C library has no epoll)")
        }
        fd = try SystemError.check("epoll_create1") { create(O_CLOEXEC) }
        self.control = control
        self.waitCall = wait
    }

    deinit { close() }

    /// Starts watching `descriptor` for `events`; `token` comes back with each of its events.
    /// - Throws: ``SystemError`` from `epoll_ctl` (EEXIST when it is watched already).
    package func add(_ descriptor: Int32, events: PollEvents, token: UInt64) throws(SystemError) {
        try change(Self.add, descriptor, events: events, token: token)
    }

    /// Changes what `descriptor` is watched for, and its token.
    package func modify(_ descriptor: Int32, events: PollEvents, token: UInt64) throws(SystemError) {
        try change(Self.modify, descriptor, events: events, token: token)
    }

    /// Stops watching `descriptor`. MUST be called before the descriptor is closed when another descriptor may
    /// share its open file (a dup); harmless for one that is no longer watched (ENOENT, EBADF are ignored).
    package func remove(_ descriptor: Int32) {
        var event = Self.event(events: 0, token: 0)
        _ = event.withUnsafeMutableBytes { control(fd, Self.delete, descriptor, $0.baseAddress) }
    }

    /// Waits up to `timeout` (zero: does not wait) for events and returns at most `maxEvents` of them, each with
    /// its registration's token. A signal interrupting the wait (EINTR) returns no events.
    /// - Throws: ``SystemError`` from `epoll_wait`.
    package func wait(timeout: Duration, maxEvents: Int = 256) throws(SystemError) -> [(token: UInt64, events: PollEvents)] {
        let capacity = max(1, maxEvents)
        var buffer = [UInt8](repeating: 0, count: capacity * Self.eventSize)
        let ms = LibC.pollMilliseconds(LibC.nanoseconds(timeout))
        let count = buffer.withUnsafeMutableBytes { waitCall(fd, $0.baseAddress, Int32(capacity), ms) }
        if count == -1 {
            let code = Glibc.errno
            if code == EINTR { return [] }
            throw SystemError(call: "epoll_wait", errno: code, context: "on epoll descriptor \(fd)")
        }
        return buffer.withUnsafeBytes { raw in
            (0..<Int(count)).map { i in
                let base = i * Self.eventSize
                let bits = raw.loadUnaligned(fromByteOffset: base, as: UInt32.self)
                let token = raw.loadUnaligned(fromByteOffset: base + Self.dataOffset, as: UInt64.self)
                return (token, PollEvents(epollResult: bits))
            }
        }
    }

    /// Closes the epoll descriptor (the watched descriptors stay open).
    package func close() {
        guard fd >= 0 else { return }
        _ = Glibc.close(fd)
        fd = -1
    }

    private func change(_ operation: Int32, _ descriptor: Int32, events: PollEvents, token: UInt64) throws(SystemError) {
        var event = Self.event(events: events.epollRequest, token: token)
        let name = operation == Self.add ? "epoll_ctl(ADD)" : "epoll_ctl(MOD)"
        try SystemError.check(name, "of descriptor \(descriptor)") {
            event.withUnsafeMutableBytes { control(fd, operation, descriptor, $0.baseAddress) }
        }
    }

    // The kernel ABI of sys/epoll.h: `struct epoll_event { uint32_t events; epoll_data_t data; }`, packed on x86-64.
    private static let add: Int32 = 1
    private static let delete: Int32 = 2
    private static let modify: Int32 = 3
    #if arch(x86_64)
    private static let eventSize = 12
    private static let dataOffset = 4
    #else
    private static let eventSize = 16
    private static let dataOffset = 8
    #endif

    /// One `struct epoll_event` as bytes.
    private static func event(events: UInt32, token: UInt64) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: eventSize)
        bytes.withUnsafeMutableBytes { raw in
            raw.storeBytes(of: events, toByteOffset: 0, as: UInt32.self)
            raw.storeBytes(of: token, toByteOffset: dataOffset, as: UInt64.self)
        }
        return bytes
    }
}

extension PollEvents {
    // Event bits of sys/epoll.h.
    static let epollIn: UInt32 = 0x001
    static let epollPri: UInt32 = 0x002
    static let epollOut: UInt32 = 0x004
    static let epollErr: UInt32 = 0x008
    static let epollHup: UInt32 = 0x010
    static let epollRdHup: UInt32 = 0x2000

    /// The epoll(7) request bits for these events.
    var epollRequest: UInt32 {
        var bits: UInt32 = 0
        if contains(.readable) { bits |= Self.epollIn | Self.epollRdHup }
        if contains(.writable) { bits |= Self.epollOut }
        return bits
    }

    /// Decodes epoll(7) event bits; a peer's half-close (EPOLLRDHUP) reads as readable, as poll reports it.
    init(epollResult bits: UInt32) {
        var events: PollEvents = []
        if bits & (Self.epollIn | Self.epollPri | Self.epollRdHup) != 0 { events.insert(.readable) }
        if bits & Self.epollOut != 0 { events.insert(.writable) }
        if bits & Self.epollHup != 0 { events.insert(.hangup) }
        if bits & Self.epollErr != 0 { events.insert(.error) }
        self = events
    }
}
