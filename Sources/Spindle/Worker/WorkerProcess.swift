import Dispatch
import Foundation
import Synchronization
import SpindleCore
import SpindlePosix

/// Settings of `spindle worker`.
struct WorkerOptions: Sendable {
    var coordinator: HostPort
    var secret: [UInt8]
    var connectTimeout: Duration = RuntimeDefaults.connectTimeout
    /// `--bind HOST`: the address the exchange (fetch) server listens on; nil: see ``ExchangeBinding``.
    var bind: String?
    /// `--advertise HOST`: the address other workers fetch from, sent in the registration; nil: the address
    /// the coordinator sees this worker connect from.
    var advertise: String?
    /// The worker is a thread of the coordinator's process and connects through this network (its control
    /// link and its exchange in memory); `coordinator`, `bind` and `advertise` are then unused.
    var inProcess: InProcessNetwork?
    /// How the coordinator names this worker's link in-process (its log lines say "from NAME").
    var inProcessName = "in-process worker"
}

/// A worker process: joins a coordinator, runs the tasks it is given one at a time, sends heartbeats,
/// and exits when the coordinator says so, closes the connection, or falls silent for the timeout
/// (so no worker outlives its coordinator).
///
/// In-process (``WorkerOptions/inProcess``) it is a set of threads of the coordinator's process: it installs
/// no signal handlers, never exits the process, and stops its threads before ``run()`` returns.
final class WorkerProcess: Sendable {
    private struct State {
        var queue: [TaskAssignment] = []
        var running: TaskContext?
        var lastHeard: Timestamp
        /// Set when the worker stops: the task thread ends instead of waiting for work.
        var stopping = false
    }
    private let options: WorkerOptions
    private let registry: JobRegistry
    private let state: Mutex<State>
    private let work = DispatchSemaphore(value: 0)
    /// Signalled when the task thread has ended.
    private let executorEnded = DispatchSemaphore(value: 0)

    init(options: WorkerOptions, registry: JobRegistry) {
        self.options = options
        self.registry = registry
        self.state = Mutex(State(lastHeard: MonotonicClock.now()))
    }

    /// Serves the coordinator until the job ends; returns the process exit code: 0 when the job succeeded,
    /// 1 when the coordinator said it failed, 3 when the coordinator was lost, 128 + N when stopped by
    /// signal N (SIGINT 130, SIGTERM 143). The scratch directory is removed in every case but SIGKILL.
    func run() -> Int32 {
        let inProcess = options.inProcess
        if inProcess == nil { SystemInfo.keepFreedMemoryForReuse() }
        let connection: any ControlLink
        do {
            connection = try connect()
        } catch {
            SystemInfo.writeStandardError("spindle worker: \(error)\n")
            return 3
        }
        let scratch: String
        var madeScratch: String?
        let exchange: ExchangeServer
        var madeExchange: ExchangeServer?
        let worker: WorkerID
        let descriptor: JobDescriptor
        let job: Job
        do {
            // From here on SIGINT and SIGTERM only set a flag that `serve` checks, so the scratch directory
            // is removed before the process exits.
            if inProcess == nil { try TerminationSignals.install() }
            scratch = try ScratchDirectory.create(prefix: ScratchDirectory.workerPrefix)
            madeScratch = scratch
            if let inProcess {
                exchange = ExchangeServer(network: inProcess)
            } else {
                // Decided from the address the connection reached, not the text of --coordinator.
                let coordinatorAddress = HostPort.parse(connection.peer)?.host ?? options.coordinator.host
                let listenHost = ExchangeBinding.listenHost(bind: options.bind, advertise: options.advertise, coordinatorAddress: coordinatorAddress)
                do {
                    exchange = try ExchangeServer(host: listenHost, secret: options.secret)
                } catch {
                    throw WorkerError("the fetch server cannot listen on \(listenHost): \(error); pass --bind with an address of this machine")
                }
            }
            madeExchange = exchange
            exchange.start()
            try connection.send(
                .register(
                    WorkerInfo(
                        processID: SystemInfo.processID, host: inProcess == nil ? SystemInfo.hostName() : InProcessNetwork.host,
                        exchangePort: exchange.port, cores: SystemInfo.cpuCount(), advertisedHost: inProcess == nil ? options.advertise ?? "" : "")))
            guard let frame = try connection.receive(timeout: RuntimeDefaults.registrationTimeout),
                case .registered(let id, let desc) = try ControlMessage(frame: frame)
            else {
                throw WorkerError("the coordinator at \(connection.peer) did not accept the registration")
            }
            guard let found = registry.job(named: desc.job) else {
                throw WorkerError("this executable has no job named '\(desc.job)'; run the same spindle build as the coordinator")
            }
            (worker, descriptor, job) = (id, desc, found)
        } catch {
            SystemInfo.writeStandardError("spindle worker: \(error)\n")
            connection.close()
            if let made = madeScratch { try? ScratchDirectory.remove(made) }
            madeExchange?.stop()
            return 3
        }
        let parameters = JobParameters(pairs: descriptor.parameters)
        let services = WorkerServices(exchange: exchange, secret: options.secret)
        let executor = Thread { [self] in
            executeTasks(connection: connection, worker: worker, descriptor: descriptor, job: job, parameters: parameters, scratch: scratch, services: services)
        }
        executor.start()
        let beats = Thread { [self] in sendHeartbeats(connection, interval: descriptor.heartbeatInterval) }
        beats.start()
        let code = serve(connection, timeout: descriptor.heartbeatTimeout)
        // A task may still run: ask it to stop, so it writes no more scratch files while they are removed.
        state.withLock { s in
            s.running?.cancel()
            s.queue.removeAll()
            s.stopping = true
        }
        work.signal()
        if inProcess != nil {
            // The process goes on: let a running task notice its cancellation before its files go.
            _ = executorEnded.wait(timeout: .now() + .seconds(10))
        }
        exchange.stop()
        do {
            try ScratchDirectory.remove(scratch)
        } catch {
            SystemInfo.writeStandardError("spindle worker: could not remove its scratch directory: \(error)\n")
        }
        connection.close()
        return code
    }

    /// Connects and authenticates, retrying refused connections until the connect timeout (in-process: through
    /// the network, with the same handshake).
    private func connect() throws -> any ControlLink {
        if let network = options.inProcess {
            let link = try network.connect(worker: options.inProcessName)
            do {
                try Handshaking.connectAsClient(link, secret: options.secret, role: .worker, timeout: RuntimeDefaults.handshakeTimeout)
            } catch {
                link.close()
                throw error
            }
            return link
        }
        let deadline = MonotonicClock.now() + options.connectTimeout
        var lastError: any Error = WorkerError("no attempt was made")
        while MonotonicClock.now() < deadline {
            let left = deadline.duration(since: MonotonicClock.now())
            do {
                let socket = try TCPSocket.connect(host: options.coordinator.host, port: options.coordinator.port, timeout: min(left, .seconds(2)))
                try socket.setSendTimeout(RuntimeDefaults.handshakeTimeout)
                let connection = FramedSocket(socket: socket)
                try Handshaking.connectAsClient(connection, secret: options.secret, role: .worker, timeout: RuntimeDefaults.handshakeTimeout)
                return connection
            } catch let error as HandshakeError {
                throw error
            } catch {
                lastError = error
                MonotonicClock.sleep(.milliseconds(100))
            }
        }
        throw WorkerError(
            "could not connect to the coordinator at \(options.coordinator) within \(DurationText.format(options.connectTimeout)): \(lastError); check that `spindle run ... --listen` is running there")
    }

    /// Reads coordinator messages until shutdown, loss, or silence; returns the exit code.
    private func serve(_ connection: any ControlLink, timeout: Duration) -> Int32 {
        while true {
            do {
                if let frame = try connection.receive(timeout: .milliseconds(100)) {
                    state.withLock { $0.lastHeard = MonotonicClock.now() }
                    switch try ControlMessage(frame: frame) {
                    case .assign(let assignment):
                        state.withLock { $0.queue.append(assignment) }
                        work.signal()
                    case .cancel(let attempt):
                        let dropped = state.withLock { s in
                            if s.running?.attempt == attempt { s.running?.cancel() }
                            let queued = s.queue.count
                            s.queue.removeAll { $0.attempt == attempt }
                            return s.queue.count < queued
                        }
                        // The coordinator counts an attempt as running here until it hears of its end: one cancelled
                        // before it started must be reported, or this worker is never given work again.
                        if dropped { try connection.send(.failed(AttemptFailure(attempt: attempt, cause: "cancelled before it started"))) }
                    case .shutdown(let reason, let jobFailed):
                        if reason != "the job finished" { SystemInfo.writeStandardError("spindle worker: exiting: \(reason)\n") }
                        return jobFailed ? 1 : 0
                    case .heartbeat: break
                    default:
                        SystemInfo.writeStandardError("spindle worker: unexpected message from the coordinator; exiting\n")
                        return 3
                    }
                }
                if options.inProcess == nil, let signal = TerminationSignals.caught {
                    SystemInfo.writeStandardError("spindle worker: stopped by \(TerminationSignals.name(signal)); removing its scratch directory\n")
                    return TerminationSignals.exitCode(for: signal)
                }
                let silence = MonotonicClock.now().duration(since: state.withLock { $0.lastHeard })
                if silence > timeout {
                    SystemInfo.writeStandardError(
                        "spindle worker: the coordinator at \(connection.peer) was silent for \(DurationText.format(timeout)); exiting\n")
                    return 3
                }
            } catch {
                SystemInfo.writeStandardError("spindle worker: lost the coordinator at \(connection.peer): \(error); exiting\n")
                return 3
            }
        }
    }

    private func sendHeartbeats(_ connection: any ControlLink, interval: Duration) {
        while true {
            MonotonicClock.sleep(interval)
            let report = state.withLock { s in
                HeartbeatReport(runningAttempt: s.running?.attempt, progress: s.running?.progress ?? 0)
            }
            do { try connection.send(.heartbeat(report)) } catch { return }
        }
    }

    private func executeTasks(
        connection: any ControlLink, worker: WorkerID, descriptor: JobDescriptor, job: Job, parameters: JobParameters, scratch: String,
        services: WorkerServices
    ) {
        defer { executorEnded.signal() }
        while true {
            work.wait()
            var stopping = false
            let next: (TaskAssignment, TaskContext)? = state.withLock { s in
                stopping = s.stopping
                guard !s.stopping, !s.queue.isEmpty else { return nil }
                let assignment = s.queue.removeFirst()
                let context = TaskContext(
                    worker: worker, assignment: assignment, descriptor: descriptor, parameters: parameters, scratchDirectory: scratch, services: services)
                s.running = context
                return (assignment, context)
            }
            if stopping { return }
            guard let (assignment, context) = next else { continue }
            let message: ControlMessage
            do {
                let outcome = try job.engine.runTask(assignment, context: context)
                var statistics = outcome.statistics
                statistics.peakResidentBytes = SystemInfo.peakResidentBytes()
                message = .finished(AttemptResult(attempt: context.attempt, payload: outcome.payload, statistics: statistics))
            } catch let failure as BlamelessFailure {
                message = .failed(AttemptFailure(attempt: context.attempt, cause: failure.description, blameless: true, lostOutputs: failure.lostOutputs))
            } catch let error as InputError {
                // Bad input fails every attempt the same way: the job fails at once (exit code 2).
                message = .failed(AttemptFailure(attempt: context.attempt, cause: error.message, fatal: true))
            } catch {
                message = .failed(AttemptFailure(attempt: context.attempt, cause: "\(error)"))
            }
            // Send before clearing `running`, so no heartbeat can claim idleness before the result is on the wire.
            do { try connection.send(message) } catch { return }
            state.withLock { $0.running = nil }
        }
    }
}

/// A task failed through no fault of its own (its input could not be fetched); names the lost outputs.
struct BlamelessFailure: Error, CustomStringConvertible {
    var description: String
    var lostOutputs: [TaskID]
}

/// A worker cannot continue; the message says why and what to do.
struct WorkerError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
