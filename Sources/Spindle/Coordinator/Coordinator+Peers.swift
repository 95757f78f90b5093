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
            if let problem = Self.problem(with: info) {
                refuse(peer, reason: "its registration is invalid: \(problem)")
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
        case .closing:
            break
        }
    }

    /// What is wrong with a registration, if anything: a port, a core count or a host name out of range.
    static func problem(with info: WorkerInfo) -> String? {
        if info.processID <= 0 { return "process id \(info.processID)" }
        if info.exchangePort == 0 { return "exchange port 0" }
        if !(1...(1 << 16)).contains(info.cores) { return "\(info.cores) cores" }
        if info.host.utf8.count > 255 || info.host.unicodeScalars.contains(where: { $0.value < 0x21 || $0.value == 0x7F }) {
            return "host name '\(printable(info.host))'"
        }
        if !info.advertisedHost.isEmpty, let problem = ExchangeBinding.problem(with: info.advertisedHost) {
            return "advertised host '\(printable(info.advertisedHost))': \(problem)"
        }
        if let problem = ServedOutput.problem(with: info.servedOutputs) { return problem }
        return nil
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
        peer.registeredAt = MonotonicClock.now()
        workers[worker] = peer
        scheduler.workerJoined(worker)
        monitor.track(worker, now: MonotonicClock.now())
        events.record(
            "worker_joined",
            [("worker", .int(Int(worker.rawValue))), ("pid", .int(Int(info.processID))), ("host", .string(info.host)),
             ("peer", .string(peer.connection.peer)), ("exchange", .string(exchangeAddress(of: worker)?.description ?? ""))])
        if started { console.log("\(worker) joined from \(peer.connection.peer)") }
        offerServedOutputs(of: worker, info: info)
        tellDriverJoined(worker)
    }

    /// Acts on a message from a live worker after checking every field of it against what the coordinator
    /// knows (``TaskScheduler/checkReport(of:from:)`` and friends, then the driver's check of the payload).
    /// A message that fails a check costs the worker its membership: it is declared lost (its work runs
    /// again) and disconnected, with the reason and its address in the event log.
    private func handle(_ message: ControlMessage, from worker: WorkerID, peer: Peer) throws {
        switch message {
        case .heartbeat(let report):
            let check = scheduler.checkHeartbeat(report, from: worker, recent: lastReported[worker] ?? [])
            guard check == .accepted else { return reject(worker, peer: peer, check) }
            progress[worker] = report.runningAttempt == nil ? nil : report.progress
        case .finished(let result):
            let check = checkResult(result, from: worker)
            guard check == .accepted else { return reject(worker, peer: peer, check) }
            noteReported(result.attempt, by: worker)
            progress[worker] = nil
            workerPeakResident[worker] = max(workerPeakResident[worker] ?? 0, result.statistics.peakResidentBytes)
            apply(scheduler.attemptSucceeded(result.attempt, now: MonotonicClock.now()), result: result)
        case .failed(let failure):
            var check = scheduler.checkReport(of: failure.attempt, from: worker)
            if check == .accepted, let task = scheduler.task(of: failure.attempt) {
                check = scheduler.checkLostOutputs(failure.lostOutputs, reportedBy: task)
            }
            guard check == .accepted else { return reject(worker, peer: peer, check) }
            noteReported(failure.attempt, by: worker)
            progress[worker] = nil
            let cause = Self.printable(failure.cause)
            failedAttempts += 1
            events.record(
                "attempt_failed",
                [("attempt", .int(Int(failure.attempt.rawValue))), ("worker", .int(Int(worker.rawValue))),
                 ("cause", .string(cause)), ("blameless", .bool(failure.blameless)), ("fatal", .bool(failure.fatal))])
            apply(scheduler.attemptFailed(failure.attempt, cause: cause, counts: !failure.blameless, lostOutputs: failure.lostOutputs, fatal: failure.fatal))
        case .storageChecked(let storage):
            storageChecked(storage, by: worker, peer: peer)
        default:
            throw ProtocolError.unexpectedKind(MessageKind(rawValue: message.frame().kind)!)
        }
    }

    /// Remembers `attempt` among the last reports of `worker` (as many as it may hold attempts, and one more).
    private func noteReported(_ attempt: AttemptID, by worker: WorkerID) {
        var recent = lastReported[worker] ?? []
        if recent.count > options.scheduler.tasksPerWorker { recent.removeFirst() }
        recent.append(attempt)
        lastReported[worker] = recent
    }

    /// Checks a result: the worker's own current attempt, plausible statistics, and a payload the driver accepts.
    private func checkResult(_ result: AttemptResult, from worker: WorkerID) -> ReportCheck {
        let owned = scheduler.checkReport(of: result.attempt, from: worker)
        guard owned == .accepted, let task = scheduler.task(of: result.attempt) else { return owned }
        let statistics = TaskScheduler.checkStatistics(result.statistics)
        guard statistics == .accepted else { return statistics }
        return driver.validate(result, of: task)
    }

    /// Declares `worker` lost for a message that failed `check`, and disconnects it.
    private func reject(_ worker: WorkerID, peer: Peer, _ check: ReportCheck) {
        lose(worker, peer: peer, cause: "it sent an invalid message: \(check.reason ?? "unknown")")
    }

    /// A peer's text cut to 2000 characters with control characters replaced, fit for one log line.
    static func printable(_ text: String) -> String {
        let cut = text.count > 2000 ? String(text.prefix(2000)) + "..." : text
        return String(String.UnicodeScalarView(cut.unicodeScalars.map { $0.value < 0x20 && $0 != "\n" ? "?" : $0 }))
    }

    /// A message from a worker declared dead: results are rejected (logged), then it is told to exit. Nothing
    /// it sends reaches the scheduler: it owns no attempt any more, so any attempt id it names is not its own.
    private func handleLateMessage(_ frame: Frame, from worker: WorkerID, peer: Peer) {
        guard let message = try? ControlMessage(frame: frame) else { return close(peer) }
        switch message {
        case .finished(let result):
            apply([.reject(attempt: result.attempt, reason: "\(worker) was declared dead; its results are no longer accepted")])
            tellToExit(peer, worker: worker)
        case .failed(let failure):
            apply([.reject(attempt: failure.attempt, reason: "\(worker) was declared dead; its reports are no longer accepted")])
            tellToExit(peer, worker: worker)
        case .heartbeat(let report) where report.runningAttempt == nil:
            tellToExit(peer, worker: worker)
        default:
            break
        }
    }

    /// Sends a condemned worker its shutdown frame and half-closes its connection (closed when it closes its end,
    /// or after ``shutdownDrain``).
    private func tellToExit(_ peer: Peer, worker: WorkerID) {
        do {
            try peer.connection.send(.shutdown(reason: "\(worker) was declared dead; its results are no longer accepted"))
            try peer.connection.closeWrite()
            peer.state = .closing(until: MonotonicClock.now() + Self.shutdownDrain)
        } catch {
            close(peer)
        }
    }

    /// Declares a silent worker dead; its connection stays open for a while so late results are seen and rejected.
    func condemn(_ peer: Peer, worker: WorkerID, now: Timestamp) {
        let cause = "no heartbeat for \(DurationText.format(options.heartbeatTimeout))"
        markLost(worker, peer: peer, cause: cause)
        peer.state = .condemned(worker, until: now + RuntimeDefaults.condemnedGrace)
    }

    /// A worker's connection failed or it misbehaved: it is lost and disconnected.
    func lose(_ worker: WorkerID, peer: Peer, cause: String) {
        var cause = cause
        if let pid = peer.info?.processID, let exit = launcher?.describeExit(pid: pid) {
            cause += " (\(exit))"
        }
        markLost(worker, peer: peer, cause: cause)
        close(peer)
    }

    private func markLost(_ worker: WorkerID, peer: Peer, cause: String) {
        let exchange = exchangeAddress(of: worker)
        workers[worker] = nil
        progress[worker] = nil
        lastReported[worker] = nil
        monitor.forget(worker)
        workersLost += 1
        events.record(
            "worker_lost", [("worker", .int(Int(worker.rawValue))), ("peer", .string(peer.connection.peer)), ("cause", .string(cause))])
        console.log("lost \(worker) at \(peer.connection.peer): \(cause)")
        if let exchange {
            // Survivors abort their fetches from it at the end of this turn instead of waiting for the fetch timeout.
            pendingPeerLosses.append(PeerLoss(host: exchange.host, port: exchange.port, attemptsBelow: scheduler.nextAttemptID))
        }
        failedAttempts += scheduler.runningAttempts(on: worker).count
        apply(scheduler.workerLost(worker, cause: "\(worker) was lost: \(cause)"))
        if started && failure == nil {
            do { try driver.workerLost(worker, control: self) } catch { fail(error) }
        }
    }

    /// Tells every live worker about the workers lost in this turn of the loop: one frame per survivor listing
    /// them all (at most ``ControlMessage/maxPeerLosses`` each), so losing many workers at once costs a frame
    /// per survivor, not one per survivor and lost worker. A failed send is left to the next heartbeat to find.
    func flushPeerLosses() {
        guard !pendingPeerLosses.isEmpty else { return }
        defer { pendingPeerLosses.removeAll() }
        let frames = stride(from: 0, to: pendingPeerLosses.count, by: ControlMessage.maxPeerLosses).map {
            ControlMessage.peersLost(Array(pendingPeerLosses[$0..<min($0 + ControlMessage.maxPeerLosses, pendingPeerLosses.count)])).frame()
        }
        for other in workers.values { try? other.connection.send(frames) }
    }

    /// Drops a peer after a read error or end of stream.
    func drop(_ peer: Peer, reason: String) {
        switch peer.state {
        case .worker(let worker): lose(worker, peer: peer, cause: reason)
        case .condemned, .closing: close(peer)
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
        peers[peer.connection.readinessDescriptor] = nil
        readiness.unwatch(peer.connection.readinessDescriptor)
        peer.connection.close()
    }
}
