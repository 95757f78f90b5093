import Synchronization
import SpindleCore
import SpindlePosix

/// Authenticated fetch connections to other workers' exchange servers, kept open between fetches so that
/// a superstep's many small fetches skip the connect and the handshake. A connection is given back only
/// after a complete answer; one idle longer than its `maxIdle` is closed instead of reused (servers close
/// connections idle for ``ExchangeServer/idleTimeout``, which is longer).
final class FetchConnectionPool: Sendable {
    /// Idle connections kept per server at most (a fetch uses up to four at a time).
    static let maxIdlePerServer = 4
    /// Idle time after which a connection is not reused, in nanoseconds.
    private let maxIdleNanoseconds: UInt64

    init(maxIdle: Duration = .seconds(5)) {
        let (seconds, attoseconds) = maxIdle.components
        maxIdleNanoseconds = UInt64(max(0, seconds)) * 1_000_000_000 + UInt64(max(0, attoseconds) / 1_000_000_000)
    }

    private struct Idle: Sendable {
        var connection: FramedSocket
        var since: UInt64
    }
    private let idle = Mutex<[String: [Idle]]>([:])
    /// The connections in use and the servers known lost.
    let leases = FetchLeases()

    /// Aborts every fetch of an output that `loss` covers, and closes the idle connections to its server.
    func abort(_ loss: PeerLoss) {
        leases.abort(loss)
        let address = "\(loss.host):\(loss.port)"
        let stale = idle.withLock { $0.removeValue(forKey: address) ?? [] }
        for entry in stale { entry.connection.close() }
    }

    /// An idle connection to `server` ("host:port"), if one is fresh enough.
    func take(_ server: String) -> FramedSocket? {
        let now = MonotonicClock.nanoseconds()
        var stale: [FramedSocket] = []
        let found: FramedSocket? = idle.withLock { pool in
            while let last = pool[server]?.popLast() {
                // (Given back after `now` was read: fresh.)
                if last.since >= now || now - last.since <= maxIdleNanoseconds { return last.connection }
                stale.append(last.connection)
            }
            return nil
        }
        for connection in stale { connection.close() }
        return found
    }

    /// Keeps `connection` to `server` for reuse (or closes it when enough are kept).
    func give(_ connection: FramedSocket, to server: String) {
        let kept = idle.withLock { pool in
            guard pool[server, default: []].count < Self.maxIdlePerServer else { return false }
            pool[server, default: []].append(Idle(connection: connection, since: MonotonicClock.nanoseconds()))
            return true
        }
        if !kept { connection.close() }
    }

    /// Idle connections kept for `server`.
    func idleCount(_ server: String) -> Int { idle.withLock { $0[server]?.count ?? 0 } }

    /// Closes every idle connection.
    func closeAll() {
        let all = idle.withLock { pool in
            defer { pool = [:] }
            return pool.values.flatMap { $0.map(\.connection) }
        }
        for connection in all { connection.close() }
    }
}
