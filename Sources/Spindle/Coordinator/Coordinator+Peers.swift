import SpindleCore
import SpindlePosix

extension Coordinator {
    /// Handles one frame from a peer according to the peer's state.
    func handle(_ frame: Frame, from peer: Peer) {
        switch peer.state {
        case .handshaking(var machine, let deadline):
            switch machine.receive(frame) {
            case .send(let reply):
                peer.state = .handshaking(machine, deadline: deadline)
                do { try peer.connection.send(reply) } catch { refuse(peer, reason: "\(error)") }
            case .established(.worker, let welcome):
                peer.state = .awaitingRegistration(deadline: MonotonicClock.now() + options.handshakeTimeout)
                peer.connection.authenticated()
                do { if let welcome { try peer.connection.send(welcome) } } catch {
                    refuse(peer, reason: "\(error)")
                }
            case .established(let role, _):
                refuse(peer, reason: "it asked for a \(role) connection, which the coordinator does not serve")
            case .fail(let reason, let reply):
                if let reply { try? peer.connection.send(reply) }
                refuse(peer, reason: reason)
            }
        case .awaitingRegistration:
            guard let message = try? ControlMessage(frame: frame), case .register(let info) = message else {
                refuse(peer, reason: "it sent frame kind \(frame.kind) instead of registering")
                return
            }
            register(peer, info: info)
        case .worker(let worker):
            monitor.heard(from: worker, now: MonotonicClock.now())
            do {
                try handle(try ControlMessage(frame: frame), from: worker, peer: peer)
            } catch {
                lose(worker, peer: peer, cause: "it broke the protocol: \(error)")
            }
        case .condemned(let worker, _):
            handleLateMessage(frame, from: worker, peer: peer)
        }
    }

    private func register(_ peer: Peer, info: WorkerInfo) {
        let worker = WorkerID(nextWorkerID)
        nextWorkerID += 1
        do {
            try peer.connection.send(.registered(worker, descriptor))
        } catch {
            refuse(peer, reason: "\(error)")
            return
        }
        peer.state = .worker(worker)
        peer.info = info
        workers[worker] = peer
        scheduler.workerJoined(worker)
        monitor.track(worker, now: MonotonicClock.now())
        events.record(
            "worker_joined",
            [("worker", .int(Int(worker.rawValue))), ("pid", .int(Int(info.processID))), ("host", .string(info.host)),
             ("peer", .string(peer.connection.peer))])
        if started { console.log("\(worker) joined from \(peer.connection.peer)") }
    }

    private func handle(_ message: ControlMessage, from worker: WorkerID, peer: Peer) throws {
        switch message {
        case .heartbeat(let report):
            progress[worker] = report.runningAttempt == nil ? nil : report.progress
        case .finished(let result):
            progress[worker] = nil
            workerPeakResident[worker] = max(workerPeakResident[worker] ?? 0, result.statistics.peakResidentBytes)
            apply(scheduler.attemptSucceeded(result.attempt, now: MonotonicClock.now()), result: result)
        case .failed(let failure):
            progress[worker] = nil
            if scheduler.task(of: failure.attempt) != nil {
                failedAttempts += 1
                events.record(
                    "attempt_failed",
                    [("attempt", .int(Int(failure.attempt.rawValue))), ("worker", .int(Int(worker.rawValue))),
                     ("cause", .string(failure.cause)), ("blameless", .bool(failure.blameless))])
            }
            apply(scheduler.attemptFailed(failure.attempt, cause: failure.cause, counts: !failure.blameless, lostOutputs: failure.lostOutputs))
        default:
            throw ProtocolError.unexpectedKind(MessageKind(rawValue: message.frame().kind)!)
        }
    }

    /// A message from a worker declared dead: results are rejected (logged), then it is told to exit.
    private func handleLateMessage(_ frame: Frame, from worker: WorkerID, peer: Peer) {
        guard let message = try? ControlMessage(frame: frame) else { return close(peer) }
        switch message {
        case .finished(let result):
            apply(scheduler.attemptSucceeded(result.attempt, now: MonotonicClock.now()))
            tellToExit(peer, worker: worker)
        case .failed(let failure):
            apply(scheduler.attemptFailed(failure.attempt, cause: failure.cause))
            tellToExit(peer, worker: worker)
        case .heartbeat(let report) where report.runningAttempt == nil:
            tellToExit(peer, worker: worker)
        default:
            break
        }
    }

    private func tellToExit(_ peer: Peer, worker: WorkerID) {
        try? peer.connection.send(.shutdown(reason: "\(worker) was declared dead; its results are no longer accepted"))
        close(peer)
    }

    /// Declares a silent worker dead; its connection stays open for a while so late results are seen and rejected.
    func condemn(_ peer: Peer, worker: WorkerID, now: Timestamp) {
        let cause = "no heartbeat for \(DurationText.format(options.heartbeatTimeout))"
        markLost(worker, cause: cause)
        peer.state = .condemned(worker, until: now + RuntimeDefaults.condemnedGrace)
    }

    /// A worker's connection failed or it misbehaved: it is lost and disconnected.
    func lose(_ worker: WorkerID, peer: Peer, cause: String) {
        var cause = cause
        if let pid = peer.info?.processID, let exit = launcher?.describeExit(pid: pid) {
            cause += " (\(exit))"
        }
        markLost(worker, cause: cause)
        close(peer)
    }

    private func markLost(_ worker: WorkerID, cause: String) {
        workers[worker] = nil
        progress[worker] = nil
        monitor.forget(worker)
        workersLost += 1
        events.record("worker_lost", [("worker", .int(Int(worker.rawValue))), ("cause", .string(cause))])
        console.log("lost \(worker): \(cause)")
        let running = scheduler.runningAttempt(on: worker)
        if running != nil { failedAttempts += 1 }
        apply(scheduler.workerLost(worker, cause: "\(worker) was lost: \(cause)"))
        if started && failure == nil {
            do { try driver.workerLost(worker, control: self) } catch { fail("\(error)") }
        }
    }

    /// Drops a peer after a read error or end of stream.
    func drop(_ peer: Peer, reason: String) {
        switch peer.state {
        case .worker(let worker): lose(worker, peer: peer, cause: reason)
        case .condemned: close(peer)
        default: refuse(peer, reason: reason)
        }
    }

    /// Disconnects a peer that never became a worker, and logs it with its address.
    func refuse(_ peer: Peer, reason: String) {
        events.record("connection_refused", [("peer", .string(peer.connection.peer)), ("reason", .string(reason))])
        console.log("refused connection from \(peer.connection.peer): \(reason)")
        close(peer)
    }

    func close(_ peer: Peer) {
        peers[peer.connection.socket.fd] = nil
        peer.connection.close()
    }
}
