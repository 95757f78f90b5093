import SpindleCore
import SpindlePosix

/// Starts and stops the live UI around one `spindle run`: binds the server (``UIAddress``), prints its
/// address, hands the coordinator an observer that feeds the model, and after the job keeps serving
/// for the linger time.
final class UIRunner {
    let server: UIServer
    let model: LiveJobModel
    let linger: Duration

    /// Binds the UI, or returns nil when it is off.
    /// - Throws: ``UsageError`` when the address cannot be bound.
    static func start(_ address: UIAddress, linger: Duration, quiet: Bool) throws -> UIRunner? {
        let model = LiveJobModel()
        let server: UIServer
        let host: String
        switch address {
        case .off: return nil
        case .given(let given):
            host = given.host
            do {
                server = try UIServer(host: given.host, port: given.port, model: model)
            } catch {
                throw UsageError("--ui \(given.host):\(given.port) cannot be bound (\(error)); choose another address, or --ui off")
            }
        case .firstFree(let h, let port):
            host = h
            server = try UIServer.bindFirstFree(host: h, from: port, model: model)
        }
        if !UIAddress.isLoopback(host) {
            SystemInfo.writeStandardError(
                "\(ProgramName.current): warning: the UI listens on \(host), so anyone who can reach port \(server.listener.port) can read the job's pages (names, paths, counters, errors); use --ui 127.0.0.1:PORT to keep them local\n"
            )
        }
        server.start()
        let shown = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        if !quiet { SystemInfo.writeStandardError("\(ProgramName.current): UI at http://\(shown):\(server.listener.port)/\n") }
        return UIRunner(server: server, model: model, linger: linger)
    }

    private init(server: UIServer, model: LiveJobModel, linger: Duration) {
        self.server = server
        self.model = model
        self.linger = linger
    }

    /// The coordinator's event observer.
    var observer: EventLog.Observer { { [model] t, name, fields in model.observe(t, name, fields) } }

    /// The coordinator's heartbeat observer.
    var heartbeatObserver: @Sendable ([(worker: Int, seconds: Double)]) -> Void { { [model] in model.observeHeartbeats($0) } }

    /// Keeps serving for the linger time (a SIGINT or SIGTERM cuts it short), then stops the server.
    func finish() {
        if linger > .zero {
            let deadline = MonotonicClock.now() + linger
            while MonotonicClock.now() < deadline && TerminationSignals.caught == nil { MonotonicClock.sleep(.milliseconds(50)) }
        }
        server.stop()
    }
}
