import SpindleCore
import SpindlePosix

extension Coordinator {
    /// The loop's timers, looked at every ``tickInterval``: handshake and registration deadlines, the end of a
    /// condemned peer's grace, heartbeat expiry, the coordinator's own heartbeats, and the bound on a job without
    /// live workers.
    func checkTimers(now: Timestamp) {
        for peer in Array(peers.values) {
            switch peer.state {
            case .handshaking(_, let deadline) where now > deadline:
                refuse(peer, reason: "the handshake did not complete within \(DurationText.format(options.handshakeTimeout))")
            case .awaitingRegistration(let deadline) where now > deadline:
                refuse(peer, reason: "it did not register within \(DurationText.format(options.handshakeTimeout))")
            case .condemned(_, let until) where now > until:
                close(peer)
            case .closing(let until) where now > until:
                close(peer)
            default: break
            }
        }
        for worker in monitor.expire(now: now) {
            guard let peer = workers[worker] else { continue }
            condemn(peer, worker: worker, now: now)
        }
        loseWorkersWithoutStorageReport(now: now)
        let sinceBeat = now.duration(since: lastHeartbeatSent)
        if sinceBeat >= options.heartbeatInterval {
            // On schedule (one interval after the last one was due, so a tick's lateness does not add up from beat to
            // beat), unless the loop fell a whole interval behind.
            lastHeartbeatSent = sinceBeat >= options.heartbeatInterval * 2 ? now : lastHeartbeatSent + options.heartbeatInterval
            let beat = HeartbeatReport(runningAttempt: nil, progress: 0)
            for peer in Array(peers.values) {
                switch peer.state {
                case .worker(let worker):
                    do { try peer.connection.send(.heartbeat(beat)) } catch { lose(worker, peer: peer, cause: "sending to it failed: \(error)") }
                case .condemned:
                    // Keeps a resumed worker from giving up on us before its late result arrives.
                    do { try peer.connection.send(.heartbeat(beat)) } catch { close(peer) }
                default: break
                }
            }
            options.heartbeatObserver?(monitor.silences(now: now).map { (Int($0.peer.rawValue), $0.silence.seconds) })
        }
        if workers.isEmpty {
            replaceLocalWorkersIfAllDied()
            let since = workerlessSince ?? now
            workerlessSince = since
            if now.duration(since: since) > options.registrationTimeout {
                let what = started ? "no live worker was left" : "only \(workers.count) of \(options.expectWorkers) workers joined"
                fail(.workersLost, "\(what) for \(DurationText.format(options.registrationTimeout)); the job cannot make progress")
            }
        } else {
            workerlessSince = nil
        }
        if !started, let since = Optional(startTime), now.duration(since: since) > options.registrationTimeout, options.localWorkers > 0 {
            fail(.workersLost, "only \(workers.count) of \(options.expectWorkers) local workers registered within \(DurationText.format(options.registrationTimeout))")
        }
    }
}
