import SpindleCore
import SpindlePosix

extension Coordinator {
    /// How long the coordinator reads from its workers' half-closed connections at the end, for all of them together.
    static let shutdownDrain: Duration = .seconds(1)

    /// Tells every registered peer that the job is over, then closes every connection and stops the local workers.
    ///
    /// Each connection that got its shutdown frame is half-closed (``ControlLink/closeWrite()``) and read, its bytes
    /// dropped, until the worker closes its end or ``shutdownDrain`` has passed for all of them: closing a socket
    /// with a heartbeat still unread makes Linux answer with a reset, which the worker may meet before it has read
    /// its shutdown frame.
    func shutdownWorkers(reason: String, jobFailed: Bool) {
        for peer in Array(peers.values) {
            switch peer.state {
            case .handshaking: close(peer); continue
            case .closing: continue  // told already; drained with the others
            default: break
            }
            do {
                try peer.connection.send(.shutdown(reason: reason, jobFailed: jobFailed))
                try peer.connection.closeWrite()
            } catch {
                close(peer)
            }
        }
        drainPeers(until: MonotonicClock.now() + Self.shutdownDrain)
        for peer in Array(peers.values) { close(peer) }
        workers.removeAll()
        launcher?.stopAll(grace: .seconds(3))
    }

    /// Reads and drops what the peers send until each has closed its end (then it is closed here) or `deadline`.
    private func drainPeers(until deadline: Timestamp) {
        // No more accepting: a connection waiting on the listener would end every wait at once.
        readiness.watchListener(-1)
        while !peers.isEmpty {
            let left = deadline.duration(since: MonotonicClock.now())
            guard left > .zero, let ready = try? readiness.wait(timeout: left) else { return }
            for token in ready {
                guard let token, let peer = peers[ReadinessLoop.descriptor(of: token)], peer.token == token else { continue }
                do { _ = try peer.connection.readAvailable() } catch { close(peer) }
            }
        }
    }
}
