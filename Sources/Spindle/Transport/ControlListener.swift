import SpindleCore
import SpindlePosix

/// Where the coordinator accepts control links from workers: a TCP listener (``TCPControlListener``) or the
/// in-process network (``InProcessNetwork``).
protocol ControlListener: AnyObject {
    /// The port workers connect to (the in-process network's is 0).
    var port: UInt16 { get }
    /// The descriptor that polls readable when a link is waiting to be accepted; -1 while accepting is paused.
    var readinessDescriptor: Int32 { get }
    /// The next waiting link, or nil when none is waiting. Never blocks.
    /// - Throws: when accepting failed (out of descriptors: the listener pauses, see ``TCPListener``).
    func accept() throws -> (any ControlLink)?
    /// Stops accepting.
    func close()
}

/// The coordinator's TCP listener: accepted sockets become ``FramedSocket``s with bounded sends, so that a
/// peer that stops reading cannot stall the coordinator's loop for long.
final class TCPControlListener: ControlListener {
    let listener: TCPListener
    /// How long one send to a peer may block.
    static let sendTimeout: Duration = .seconds(5)

    init(host: String, port: UInt16) throws {
        // A thousand workers starting at once must not overflow the accept queue (a dropped SYN costs a second).
        listener = try TCPListener(host: host, port: port, backlog: 1024)
    }

    var port: UInt16 { listener.port }

    // While the listener is paused (descriptors ran out) it stays readable: leave it out, or the loop spins.
    var readinessDescriptor: Int32 { listener.isPaused ? -1 : listener.fd }

    func accept() throws -> (any ControlLink)? {
        guard let socket = try listener.accept(timeout: .zero) else { return nil }
        try? socket.setSendTimeout(Self.sendTimeout)
        return FramedSocket(socket: socket)
    }

    func close() { listener.close() }
}
