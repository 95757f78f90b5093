import SpindleCore
import SpindlePosix

/// One simulated worker of a ``WorkerFleet``: a real control connection (handshake with the shared secret,
/// registration, heartbeats) whose tasks are finished as soon as they arrive, echoing their payload (the
/// ``NoopEngine``'s contract). It keeps no thread: its ``FleetLoop`` feeds it the frames read from its socket,
/// and sends what it queued in ``outgoing`` once per turn, so many of them share one event loop.
final class SimulatedWorker {
    enum Phase {
        case handshaking(ClientHandshake)
        case registering
        case serving
        /// The coordinator said goodbye (or the connection ended); `error` says why when it was not a shutdown.
        case finished(error: String?)
    }

    let index: Int
    let socket: TCPSocket
    /// This connection's registration in its loop's epoll.
    let token: UInt64
    var phase: Phase
    var decoder = FrameDecoder(maxFrameSize: WireProtocol.maxHandshakeFrameSize)
    /// Bytes to send at the end of the loop's turn.
    var outgoing: [UInt8] = []
    var heartbeatInterval: Duration = .milliseconds(200)
    /// When the coordinator's last heartbeat arrived (nanoseconds of ``MonotonicClock``).
    var lastCoordinatorBeat: UInt64?
    var tasksFinished = 0
    /// The shutdown said the job failed.
    var jobFailed = false

    init(index: Int, socket: TCPSocket, token: UInt64, secret: [UInt8]) {
        self.index = index
        self.socket = socket
        self.token = token
        let machine = ClientHandshake(secret: secret, nonce: SecureRandom.bytes(WireProtocol.nonceLength), role: .worker)
        phase = .handshaking(machine)
        queue(machine.hello())
    }

    var isFinished: Bool {
        if case .finished = phase { return true }
        return false
    }

    func queue(_ frame: Frame) {
        Frame.appendHeader(kind: frame.kind, payloadCount: frame.payload.count, to: &outgoing)
        outgoing.append(contentsOf: frame.payload)
    }

    /// What happened to the worker on one frame, for the loop's figures.
    enum Outcome {
        case none
        case registered
        case taskFinished
        /// The coordinator's heartbeat, with the silence since its previous one.
        case coordinatorHeartbeat(gap: Duration?)
        case finished
    }

    /// Acts on one frame from the coordinator at `now` (nanoseconds).
    func receive(_ frame: Frame, now: UInt64) -> Outcome {
        switch phase {
        case .handshaking(var machine):
            switch machine.receive(frame) {
            case .send(let reply):
                phase = .handshaking(machine)
                queue(reply)
            case .established:
                decoder.maxFrameSize = 64 << 20
                phase = .registering
                let info = WorkerInfo(processID: SystemInfo.processID, host: "simulated-\(index)", exchangePort: 9, cores: 1)
                queue(ControlMessage.register(info).frame())
            case .fail(let reason, _):
                return finish("handshake failed: \(reason)")
            }
            return .none
        case .registering:
            guard case .registered(_, let descriptor)? = try? ControlMessage(frame: frame) else {
                return finish("the coordinator answered the registration with frame kind \(frame.kind)")
            }
            heartbeatInterval = descriptor.heartbeatInterval
            phase = .serving
            return .registered
        case .serving:
            let message: ControlMessage
            do { message = try ControlMessage(frame: frame) } catch { return finish("a bad frame from the coordinator: \(error)") }
            switch message {
            case .assign(let assignment):
                tasksFinished += 1
                queue(ControlMessage.finished(AttemptResult(attempt: assignment.attempt, payload: assignment.payload, statistics: AttemptStatistics())).frame())
                return .taskFinished
            case .heartbeat:
                let gap = lastCoordinatorBeat.map { Duration.nanoseconds(Int64(now &- $0)) }
                lastCoordinatorBeat = now
                return .coordinatorHeartbeat(gap: gap)
            case .shutdown(let reason, let failed):
                jobFailed = failed
                phase = .finished(error: failed ? "the job failed: \(reason)" : nil)
                return .finished
            case .cancel, .peersLost:
                return .none  // its tasks are finished the moment they arrive; nothing to cancel
            default:
                return finish("an unexpected message from the coordinator (frame kind \(frame.kind))")
            }
        case .finished:
            return .none
        }
    }

    /// Queues a heartbeat (no running attempt: tasks finish as they arrive).
    func queueHeartbeat() {
        queue(ControlMessage.heartbeat(HeartbeatReport(runningAttempt: nil, progress: 0)).frame())
    }

    /// Ends the worker with `error`.
    func finish(_ error: String) -> Outcome {
        if !isFinished { phase = .finished(error: error) }
        return .finished
    }
}
