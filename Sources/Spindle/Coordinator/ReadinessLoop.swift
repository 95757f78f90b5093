import SpindlePosix

/// What the coordinator's loop waits on: the listener and every peer's link, through one ``Epoll``, so a turn
/// costs in proportion to the links that spoke, not to all of them (poll(2) over a thousand workers' sockets
/// cost the loop more than the messages did).
///
/// Each watched link gets a token of its descriptor and a generation: an event read for a link closed in the
/// same turn is recognised as stale when a new link reuses the descriptor. Used by the loop's thread only.
final class ReadinessLoop {
    private let epoll: Epoll
    /// The listener's registered descriptor (-1: none, while accepting is paused).
    private var listening: Int32 = -1
    private var generation: UInt64 = 0
    /// The listener's token: no link's, whose generation starts at 1.
    private static let listenerToken: UInt64 = 0

    /// - Throws: ``SystemError`` when no epoll instance can be made (out of descriptors).
    init() throws {
        epoll = try Epoll()
    }

    /// Watches the listener at `descriptor` (-1: stops watching it, as while it is paused); call every turn.
    func watchListener(_ descriptor: Int32) {
        guard descriptor != listening else { return }
        if listening >= 0 { epoll.remove(listening) }
        listening = -1
        // A listener that cannot be watched is retried next turn.
        if descriptor >= 0, (try? epoll.add(descriptor, events: .readable, token: Self.listenerToken)) != nil { listening = descriptor }
    }

    /// Watches a link's descriptor and returns its token.
    /// - Throws: ``SystemError`` from epoll (out of memory for the registration).
    func watch(_ descriptor: Int32) throws -> UInt64 {
        generation += 1
        let token = generation << 32 | UInt64(UInt32(bitPattern: descriptor))
        try epoll.add(descriptor, events: .readable, token: token)
        return token
    }

    /// Stops watching a link's descriptor; MUST be called before the link is closed.
    func unwatch(_ descriptor: Int32) { epoll.remove(descriptor) }

    /// The descriptor a token was made for.
    static func descriptor(of token: UInt64) -> Int32 { Int32(bitPattern: UInt32(truncatingIfNeeded: token)) }

    /// Waits up to `timeout` and returns the tokens of the links that are readable (or closed), and nil for the
    /// listener when a connection waits to be accepted.
    func wait(timeout: Duration) throws -> [UInt64?] {
        try epoll.wait(timeout: timeout, maxEvents: 1024).map { $0.token == Self.listenerToken ? nil : $0.token }
    }

    func close() { epoll.close() }
}
