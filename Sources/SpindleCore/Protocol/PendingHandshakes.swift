/// The unauthenticated connections of one listener in arrival order, capped as OpenSSH's `MaxStartups` caps
/// unauthenticated sessions: admitting one beyond `limit` evicts the oldest, which the caller closes. A
/// flood of peers that never authenticate therefore holds at most `limit` connections, and a genuine peer,
/// whose handshake takes milliseconds, is rarely the oldest.
public struct PendingHandshakes<Value: Sendable>: Sendable {
    /// The most connections kept waiting for their handshake.
    public let limit: Int
    /// Oldest first; at most `limit` entries, so linear removal is cheap.
    private var entries: [(id: UInt64, value: Value)] = []
    private var nextID: UInt64 = 0

    /// - Parameter limit: at least 1.
    public init(limit: Int) {
        precondition(limit >= 1, "PendingHandshakes needs a limit of at least 1")
        self.limit = limit
    }

    /// How many connections are waiting for their handshake.
    public var count: Int { entries.count }

    /// Adds `value` as the newest connection.
    /// - Returns: its id (for ``remove(_:)``) and the values evicted to stay within `limit`, oldest first;
    ///   the caller MUST close those connections.
    public mutating func admit(_ value: Value) -> (id: UInt64, evicted: [Value]) {
        let id = nextID
        nextID += 1
        entries.append((id, value))
        let excess = entries.count - limit
        guard excess > 0 else { return (id, []) }
        let evicted = entries.prefix(excess).map(\.value)
        entries.removeFirst(excess)
        return (id, evicted)
    }

    /// Forgets connection `id` once its handshake completed or failed; an evicted or unknown id is ignored.
    public mutating func remove(_ id: UInt64) {
        if let index = entries.firstIndex(where: { $0.id == id }) { entries.remove(at: index) }
    }
}
