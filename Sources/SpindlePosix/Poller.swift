import Glibc

/// Readiness conditions for `Poller.wait`: asked for (`readable`, `writable`) or reported.
package struct PollEvents: OptionSet, Sendable, Hashable {
    package let rawValue: UInt8
    /// Creates a set from its raw bits.
    package init(rawValue: UInt8) { self.rawValue = rawValue }

    /// Data (or EOF) can be read without blocking (POLLIN/POLLPRI).
    package static let readable = PollEvents(rawValue: 1 << 0)
    /// Data can be written without blocking (POLLOUT).
    package static let writable = PollEvents(rawValue: 1 << 1)
    /// The peer hung up (POLLHUP); reported only.
    package static let hangup = PollEvents(rawValue: 1 << 2)
    /// An error condition is pending on the fd (POLLERR); reported only.
    package static let error = PollEvents(rawValue: 1 << 3)
    /// The fd is not open (POLLNVAL); reported only.
    package static let invalid = PollEvents(rawValue: 1 << 4)

    /// The poll(2) request bits for these events.
    var pollRequest: Int16 {
        var bits: Int32 = 0
        if contains(.readable) { bits |= Int32(POLLIN) }
        if contains(.writable) { bits |= Int32(POLLOUT) }
        return Int16(truncatingIfNeeded: bits)
    }

    /// Decodes poll(2) `revents` bits.
    init(pollResult revents: Int16) {
        let bits = Int32(revents)
        var events: PollEvents = []
        if bits & Int32(POLLIN | POLLPRI) != 0 { events.insert(.readable) }
        if bits & Int32(POLLOUT) != 0 { events.insert(.writable) }
        if bits & Int32(POLLHUP) != 0 { events.insert(.hangup) }
        if bits & Int32(POLLERR) != 0 { events.insert(.error) }
        if bits & Int32(POLLNVAL) != 0 { events.insert(.invalid) }
        self = events
    }
}

/// A thin wrapper over poll(2) for waiting on several fds at once.
package enum Poller {
    /// Waits up to `timeout` for any of `fds` to become ready and returns, in the same order,
    /// the events seen on each (empty for fds that are not ready). A timeout, or a signal
    /// interrupting the wait (EINTR), returns all-empty results rather than retrying.
    package static func wait(_ fds: [(fd: Int32, events: PollEvents)],
                            timeout: Duration) throws -> [PollEvents] {
        var pfds = fds.map { pollfd(fd: $0.fd, events: $0.events.pollRequest, revents: 0) }
        let ms = LibC.pollMilliseconds(LibC.nanoseconds(timeout))
        let r = pfds.withUnsafeMutableBufferPointer { Glibc.poll($0.baseAddress, nfds_t($0.count), ms) }
        if r == -1 {
            let code = Glibc.errno
            if code == EINTR { return Array(repeating: [], count: fds.count) }
            throw SystemError(call: "poll", errno: code, context: "on \(fds.count) fds")
        }
        if r == 0 { return Array(repeating: [], count: fds.count) }
        return pfds.map { PollEvents(pollResult: $0.revents) }
    }
}
