import SpindleCore
import SpindlePosix

/// One event loop of a ``WorkerFleet``: a thread that owns a share of the simulated workers and waits on all
/// their sockets with one ``Epoll``. A turn reads what arrived, lets each worker answer, sends the heartbeats
/// that are due, then writes each worker's queued bytes with one call.
final class FleetLoop {
    private let settings: FleetSettings
    private let epoll: Epoll
    /// The indices of the workers this loop still has to connect, next first.
    private var toConnect: [Int]
    private var workers: [Int32: SimulatedWorker] = [:]
    /// Workers connected but not yet registered.
    private var joining = 0
    /// Connection attempts left per worker index, for connections the coordinator refused or dropped.
    private var retries: [Int: Int] = [:]
    /// Serving workers by the time their next heartbeat is due, earliest first (equal intervals keep it sorted).
    private var heartbeats: [(due: UInt64, worker: SimulatedWorker)] = []
    private var heartbeatHead = 0
    private var generation: UInt64 = 0
    private(set) var report = FleetReport()
    /// Shared with the fleet: how many workers of every loop have registered.
    private let joined: JoinCounter

    init(settings: FleetSettings, indices: [Int], joined: JoinCounter) throws {
        self.settings = settings
        self.epoll = try Epoll()
        self.toConnect = indices.reversed()
        self.joined = joined
    }

    /// Runs until every worker has finished or `deadline` (nanoseconds) passed; the rest are reported unfinished.
    func run(deadline: UInt64) {
        report.started = MonotonicClock.nanoseconds()
        while !(toConnect.isEmpty && workers.isEmpty) {
            let now = MonotonicClock.nanoseconds()
            if now > deadline {
                for worker in workers.values { report.errors.append("worker \(worker.index) did not finish before the deadline") }
                break
            }
            connectMore()
            let nextBeat = heartbeatHead < heartbeats.count ? heartbeats[heartbeatHead].due : now + 10_000_000
            let wait = Duration.nanoseconds(Int64(min(10_000_000, nextBeat > now ? nextBeat - now : 0)))
            let ready = (try? epoll.wait(timeout: wait, maxEvents: 512)) ?? []
            var touched: [SimulatedWorker] = []
            for event in ready {
                guard let worker = workers[Int32(truncatingIfNeeded: event.token)], worker.token == event.token else { continue }
                read(worker)
                touched.append(worker)
            }
            touched += sendDueHeartbeats()
            for worker in touched { flush(worker) }
        }
        for worker in workers.values { worker.socket.close() }
        epoll.close()
        report.finished = MonotonicClock.nanoseconds()
    }

    /// Opens connections while fewer than ``FleetSettings/concurrentJoins`` of this loop's workers are joining
    /// (the coordinator drops the oldest unauthenticated connections beyond its own cap).
    private func connectMore() {
        while joining < settings.concurrentJoins, let index = toConnect.popLast() {
            do {
                let socket = try TCPSocket.connect(host: settings.coordinator.host, port: settings.coordinator.port, timeout: .seconds(5))
                try socket.setSendTimeout(.seconds(5))
                generation += 1
                let token = generation << 32 | UInt64(UInt32(bitPattern: socket.fd))
                let worker = SimulatedWorker(index: index, socket: socket, token: token, secret: settings.secret)
                try epoll.add(socket.fd, events: .readable, token: token)
                workers[socket.fd] = worker
                joining += 1
                flush(worker)
            } catch {
                retry(index, because: "connecting failed: \(error)")
            }
        }
    }

    private func retry(_ index: Int, because reason: String) {
        let left = retries[index, default: 3]
        if left > 0 {
            retries[index] = left - 1
            report.retries += 1
            toConnect.insert(index, at: 0)
        } else {
            report.errors.append("worker \(index): \(reason)")
        }
    }

    private func read(_ worker: SimulatedWorker) {
        do {
            let count = try worker.decoder.withWritableSpace(minimumCapacity: 64 << 10) { try worker.socket.read(into: $0) }
            if count == 0 { return end(worker, "the coordinator closed the connection") }
            let now = MonotonicClock.nanoseconds()
            while let frame = try worker.decoder.nextFrame() {
                handle(worker.receive(frame, now: now), of: worker, now: now)
                if worker.isFinished { break }
            }
        } catch {
            return end(worker, "reading failed: \(error)")
        }
        if case .finished(let error) = worker.phase {
            flush(worker)
            close(worker)
            if let error { report.errors.append("worker \(worker.index): \(error)") } else { report.shutdowns += 1 }
        }
    }

    private func handle(_ outcome: SimulatedWorker.Outcome, of worker: SimulatedWorker, now: UInt64) {
        switch outcome {
        case .none, .finished: break
        case .registered:
            joining -= 1
            report.joined += 1
            report.lastJoined = now
            joined.add()
            heartbeats.append((now + worker.heartbeatInterval.nanosecondsClamped, worker))
        case .taskFinished:
            report.tasks += 1
            if report.firstTask == 0 { report.firstTask = now }
            report.lastTask = now
        case .coordinatorHeartbeat(let gap):
            if let gap { report.coordinatorBeatGaps.record(gap) }
        }
    }

    /// Queues the heartbeats that are due and returns their workers.
    private func sendDueHeartbeats() -> [SimulatedWorker] {
        let now = MonotonicClock.nanoseconds()
        var due: [SimulatedWorker] = []
        while heartbeatHead < heartbeats.count, heartbeats[heartbeatHead].due <= now {
            let (when, worker) = heartbeats[heartbeatHead]
            heartbeatHead += 1
            guard !worker.isFinished else { continue }
            report.heartbeatLateness.record(.nanoseconds(Int64(now - when)))
            worker.queueHeartbeat()
            due.append(worker)
            heartbeats.append((max(when + worker.heartbeatInterval.nanosecondsClamped, now), worker))
        }
        if heartbeatHead > 4096 && heartbeatHead * 2 > heartbeats.count {
            heartbeats.removeFirst(heartbeatHead)
            heartbeatHead = 0
        }
        return due
    }

    private func flush(_ worker: SimulatedWorker) {
        guard !worker.outgoing.isEmpty, workers[worker.socket.fd] === worker else { return }
        do {
            try worker.socket.writeAll(worker.outgoing)
            worker.outgoing.removeAll(keepingCapacity: true)
        } catch {
            end(worker, "sending failed: \(error)")
        }
    }

    /// Ends a worker whose connection failed: before it registered it is tried again (the coordinator may have
    /// dropped it as one unauthenticated connection too many), after that it is an error. (The coordinator ends a
    /// registered worker's connection only after its shutdown frame, read before the end of the stream since it
    /// half-closes and drains, or when it declares the worker lost, which the load test counts as `worker_lost`.)
    private func end(_ worker: SimulatedWorker, _ reason: String) {
        let wasJoining: Bool
        switch worker.phase {
        case .handshaking, .registering: wasJoining = true
        default: wasJoining = false
        }
        if !worker.isFinished { worker.phase = .finished(error: reason) }
        close(worker)
        if wasJoining {
            joining -= 1
            retry(worker.index, because: reason)
        } else {
            report.errors.append("worker \(worker.index): \(reason)")
        }
    }

    private func close(_ worker: SimulatedWorker) {
        guard workers[worker.socket.fd] === worker else { return }
        report.tasksPerWorker.append(worker.tasksFinished)
        workers[worker.socket.fd] = nil
        epoll.remove(worker.socket.fd)
        worker.socket.close()
    }
}
