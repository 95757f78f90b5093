import SpindleCore
import SpindlePosix

@testable import Spindle

/// A worker spelled out by hand on one control connection (the real handshake and registration, heartbeats when
/// the test sends them, tasks answered or ignored as the test says), for tests that look at exactly which frames
/// the coordinator sends and how its connection ends.
final class RawWorker {
    let socket: TCPSocket
    let link: FramedSocket
    let id: WorkerID

    /// Connects to the coordinator at `address`, authenticates with `secret` and registers with `exchangePort`.
    init(address: String, secret: String, exchangePort: UInt16) throws {
        guard let coordinator = HostPort.parse(address) else { throw RawWorkerError("bad address \(address)") }
        socket = try TCPSocket.connect(host: coordinator.host, port: coordinator.port, timeout: .seconds(5))
        link = FramedSocket(socket: socket)
        try Handshaking.connectAsClient(link, secret: Array(secret.utf8), role: .worker, timeout: .seconds(20))
        try link.send(.register(WorkerInfo(processID: SystemInfo.processID, host: "raw-\(exchangePort)", exchangePort: exchangePort, cores: 1)))
        while true {
            guard let frame = try link.receive(timeout: .seconds(20)) else { throw RawWorkerError("no answer to the registration") }
            if case .registered(let worker, _) = try ControlMessage(frame: frame) {
                id = worker
                return
            }
        }
    }

    func sendHeartbeat() throws { try link.send(.heartbeat(HeartbeatReport(runningAttempt: nil, progress: 0))) }

    /// The messages that arrive within `timeout` (what has arrived, once something has).
    func poll(timeout: Duration) throws -> [ControlMessage] {
        guard try socket.waitReadable(timeout: timeout) else { return [] }
        return try link.readAvailable().map { try ControlMessage(frame: $0) }
    }

    /// Answers an assignment of the `noop` job: the attempt finished, echoing its payload.
    func finish(_ assignment: TaskAssignment) throws {
        try link.send(.finished(AttemptResult(attempt: assignment.attempt, payload: assignment.payload, statistics: AttemptStatistics())))
    }
}

struct RawWorkerError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
