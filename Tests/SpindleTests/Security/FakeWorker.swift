import SpindleCore
import SpindlePosix

@testable import Spindle

/// A worker that authenticates like a real one (the project's client handshake with the job's secret) and
/// registers, but then sends whatever a test tells it to: for proving that a broken or hostile worker
/// cannot crash the coordinator.
final class FakeWorker {
    let connection: FramedSocket
    /// "127.0.0.1:PORT", the address the coordinator sees this worker connect from.
    let localAddress: String

    /// Connects to `coordinator`, completes the handshake as a worker and registers.
    init(coordinator: HostPort, secret: [UInt8], exchangePort: UInt16 = 9) throws {
        let socket = try TCPSocket.connect(host: coordinator.host, port: coordinator.port, timeout: .seconds(10))
        try socket.setSendTimeout(.seconds(10))
        connection = FramedSocket(socket: socket)
        localAddress = "127.0.0.1:\(socket.localPort)"
        try Handshaking.connectAsClient(connection, secret: secret, role: .worker, timeout: .seconds(10))
        try connection.send(.register(WorkerInfo(processID: 4242, host: "fake", exchangePort: exchangePort, cores: 1)))
    }

    /// The next control message other than a heartbeat, waiting at most `timeout`.
    func next(timeout: Duration = .seconds(60)) throws -> ControlMessage? {
        let deadline = MonotonicClock.now() + timeout
        while MonotonicClock.now() < deadline {
            guard let frame = try connection.receive(timeout: deadline.duration(since: MonotonicClock.now())) else { return nil }
            let message = try ControlMessage(frame: frame)
            if case .heartbeat = message { continue }
            return message
        }
        return nil
    }

    /// Reads (and drops) frames until the coordinator closes the connection; false if it is still open after `timeout`.
    func waitUntilDisconnected(timeout: Duration = .seconds(30)) -> Bool {
        let deadline = MonotonicClock.now() + timeout
        do {
            while MonotonicClock.now() < deadline {
                _ = try connection.receive(timeout: .milliseconds(200))
            }
            return false
        } catch {
            return true
        }
    }

    func close() { connection.close() }
}
