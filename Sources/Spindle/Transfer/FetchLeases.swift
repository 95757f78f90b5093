import Synchronization
import SpindleCore
import SpindlePosix

/// The fetch connections in use and the exchange servers known lost, so that a worker's loss aborts every
/// fetch from it at once: the coordinator names the lost server (``PeerLoss``), ``abort(_:)`` shuts down every
/// connection fetching an older attempt's output from it (a blocked receive wakes with end of stream), and
/// later fetches of such outputs fail at once instead of waiting on a connect to an unreachable host.
///
/// Shutting a socket down never races with its close: ``TCPSocket/shutdown()`` does nothing once it is closed.
final class FetchLeases: Sendable {
    /// A connection lent to one fetch.
    private struct Lease: Sendable {
        var connection: FramedSocket
        var address: String
        var attempt: AttemptID
    }
    private struct State {
        var next = 0
        var leases: [Int: Lease] = [:]
        /// Per lost address, the attempt ids below which its outputs are gone.
        var lost: [String: AttemptID] = [:]
    }
    private let state = Mutex(State())

    /// Fails when the output of `attempt` at `address` is known gone with its worker.
    /// - Throws: ``FetchError`` saying the worker was lost.
    func checkReachable(_ address: String, attempt: AttemptID) throws {
        if let below = state.withLock({ $0.lost[address] }), attempt < below {
            throw FetchError("the worker at \(address) was declared lost")
        }
    }

    /// Registers `connection` as fetching `attempt`'s output from `address`, until ``end(_:)``.
    /// - Throws: ``FetchError`` when that output is known gone (the connection is then not registered).
    func begin(_ connection: FramedSocket, address: String, attempt: AttemptID) throws -> Int {
        let token: Int? = state.withLock { s in
            if let below = s.lost[address], attempt < below { return nil }
            s.next += 1
            s.leases[s.next] = Lease(connection: connection, address: address, attempt: attempt)
            return s.next
        }
        guard let token else { throw FetchError("the worker at \(address) was declared lost") }
        return token
    }

    /// Ends a registration from ``begin(_:address:attempt:)``.
    func end(_ token: Int) {
        _ = state.withLock { $0.leases.removeValue(forKey: token) }
    }

    /// Whether fetches of `attempt`'s output from `address` were aborted (its worker is lost).
    func isLost(_ address: String, attempt: AttemptID) -> Bool {
        state.withLock { s in s.lost[address].map { attempt < $0 } ?? false }
    }

    /// Records `loss` and shuts down every connection fetching an output it covers. Returns how many.
    @discardableResult
    func abort(_ loss: PeerLoss) -> Int {
        let address = "\(loss.host):\(loss.port)"
        let victims: [FramedSocket] = state.withLock { s in
            s.lost[address] = max(s.lost[address] ?? loss.attemptsBelow, loss.attemptsBelow)
            return s.leases.values.filter { $0.address == address && $0.attempt < loss.attemptsBelow }.map(\.connection)
        }
        for connection in victims { connection.socket.shutdown() }
        return victims.count
    }

    /// Fetches in flight.
    var count: Int { state.withLock { $0.leases.count } }
}
