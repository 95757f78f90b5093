import Synchronization
import SpindleCore
import SpindlePosix

/// The in-memory twin of the network between one coordinator and its workers running as threads of one
/// process (as thrill's `net/mock` and timely's `Config::Thread`): workers connect control links to the
/// coordinator through it (``connect()``), and fetch segments from each other's ``ExchangeServer``s through
/// it (``InMemorySegmentTransport``), found by the port each registered with.
///
/// The coordinator accepts the links as from a TCP listener (it is its ``ControlListener``), and the
/// handshake, the registration and every message are the same as between processes.
final class InProcessNetwork: ControlListener, Sendable {
    /// The host name in-process workers register with and their segment sources carry.
    static let host = "in-process"

    private struct State {
        var waiting: [InMemoryLink] = []
        var servers: [UInt16: ExchangeServer] = [:]
        var nextPort: UInt16 = 1
        var closed = false
    }
    private let state = Mutex(State())
    private let wakeup: WakeupPipe
    /// Links made so far: added to with release ordering once a link is made (before it is queued), loaded with
    /// acquire ordering once one is taken. The `Mutex` already orders the two threads, but ThreadSanitizer cannot
    /// see this toolchain's `Mutex`, and would take the accepting thread's first reads of a link another thread
    /// made for a race.
    private let handedOver = Atomic<Int>(0)

    init() throws { wakeup = try WakeupPipe() }

    // MARK: Control links

    var port: UInt16 { 0 }
    var readinessDescriptor: Int32 { wakeup.readFD }

    /// Connects a worker's control link to the coordinator; returns the worker's end.
    /// - Throws: ``ConnectionClosed`` when the coordinator no longer accepts links.
    func connect(worker name: String) throws -> InMemoryLink {
        let (worker, coordinator) = try InMemoryLink.pair(names: ("coordinator (in-process)", name))
        handedOver.add(1, ordering: .releasing)
        let accepted = state.withLock { s in
            guard !s.closed else { return false }
            s.waiting.append(coordinator)
            return true
        }
        guard accepted else { throw ConnectionClosed(peer: "coordinator (in-process)") }
        wakeup.wake()
        return worker
    }

    func accept() throws -> (any ControlLink)? {
        wakeup.drain()
        return state.withLock { s in s.waiting.isEmpty ? nil : s.waiting.removeFirst() }.map { link in
            _ = handedOver.load(ordering: .acquiring)
            // More may wait: keep the descriptor readable for the next turn.
            if state.withLock({ !$0.waiting.isEmpty }) { wakeup.wake() }
            return link
        }
    }

    /// Stops accepting links; links waiting to be accepted are closed.
    func close() {
        let waiting = state.withLock { s in
            s.closed = true
            defer { s.waiting.removeAll() }
            return s.waiting
        }
        for link in waiting { link.close() }
    }

    // MARK: Exchange servers

    /// A fresh port number for an exchange server to attach as (never 0, never reused within the network).
    func reservePort() -> UInt16 {
        state.withLock { s in
            defer { s.nextPort &+= 1 }
            return s.nextPort
        }
    }

    /// Makes `server` the one segment sources naming `port` are fetched from.
    func attach(_ server: ExchangeServer, port: UInt16) {
        state.withLock { $0.servers[port] = server }
    }

    /// Removes the server registered as `port`: fetches from it fail from now on, as from a stopped worker.
    func detach(port: UInt16) {
        _ = state.withLock { $0.servers.removeValue(forKey: port) }
    }

    /// The exchange server registered as `port`, if it is still there.
    func server(port: UInt16) -> ExchangeServer? {
        state.withLock { $0.servers[port] }
    }
}
