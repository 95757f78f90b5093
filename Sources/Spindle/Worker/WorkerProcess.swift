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
    /// `--fetch-port PORT`: the port the exchange (fetch) server listens on; 0: any free port.
    var fetchPort: UInt16 = 0
    /// The worker is a thread of the coordinator's process and connects through this network (its control
    /// link and its exchange in memory); `coordinator`, `bind` and `advertise` are then unused.
    var inProcess: InProcessNetwork?
    /// How the coordinator names this worker's link in-process (its log lines say "from NAME").
    var inProcessName = "in-process worker"
    /// `--coordinator-grace`: how long a remote worker keeps retrying a coordinator that vanished, to rejoin it
    /// (or a resumed one); zero exits at once. Local and in-process workers never wait: they die with their
    /// coordinator.
    var coordinatorGrace: Duration = .zero
    /// The signal the kernel sends when the coordinator dies (a local worker's SIGTERM), nil for none. It may
    /// come several times for one death, so its handler is kept: a repeat must not end the worker before it
    /// removes its scratch directory.
    var parentDeathSignal: Int32?
    /// `--message-log-memory SIZE`: the bytes of message outputs this worker's message logs may keep in memory
    /// before they go to scratch (see ``MessageLogBudget``).
    var messageLogMemory = MessageLogBudget.defaultLimit
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
        /// Partitions the coordinator moved away from this (excluded) worker, released by the task thread.
        var releases: [Int] = []
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
    ///
    /// A coordinator that vanishes (its connection closes or it falls silent) is retried for
    /// ``WorkerOptions/coordinatorGrace``: the worker keeps its scratch directory (map outputs, checkpoint
    /// pieces) and its fetch server, and rejoins the coordinator that answers (the same one after a network blip,
    /// or a resumed one) as a new member; its old attempts are cancelled first, so none reports to the new session.
    func run() -> Int32 {
        let inProcess = options.inProcess
        if inProcess == nil { SystemInfo.keepFreedMemoryForReuse() }
        var connection: any ControlLink
        do {
            connection = try connect(within: options.connectTimeout)
        } catch {
            SystemInfo.writeStandardError("\(ProgramName.current) worker: \(error)\n")
            return 3
        }
        let scratch: String
        var madeScratch: String?
        let exchange: ExchangeServer
        var madeExchange: ExchangeServer?
        var session: (worker: WorkerID, descriptor: JobDescriptor, job: Job)
        do {
            // From here on SIGINT and SIGTERM only set a flag that `serve` checks, so the scratch directory
            // is removed before the process exits.
            if inProcess == nil { try TerminationSignals.install(repeatable: options.parentDeathSignal.map { [$0] } ?? []) }
            scratch = try ScratchDirectory.create(prefix: ScratchDirectory.workerPrefix)
            madeScratch = scratch
            if let inProcess {
                exchange = ExchangeServer(network: inProcess)
            } else {
                // Decided from the address the connection reached, not the text of --coordinator.
                let coordinatorAddress = HostPort.parse(connection.peer)?.host ?? options.coordinator.host
                let listenHost = ExchangeBinding.listenHost(bind: options.bind, advertise: options.advertise, coordinatorAddress: coordinatorAddress)
                do {
                    exchange = try ExchangeServer(host: listenHost, port: options.fetchPort, secret: options.secret)
                } catch {
                    let port = options.fetchPort == 0 ? "" : " port \(options.fetchPort)"
                    throw WorkerError(
                        "the fetch server cannot listen on \(listenHost)\(port): \(error); pass --bind with an address of this machine (and a free --fetch-port)")
                }
            }
            madeExchange = exchange
            exchange.start()
            session = try register(connection, exchangePort: exchange.port)
        } catch {
            SystemInfo.writeStandardError("\(ProgramName.current) worker: \(error)\n")
            connection.close()
            if let made = madeScratch { try? ScratchDirectory.remove(made) }
            madeExchange?.stop()
            return 3
        }
        let services = WorkerServices(exchange: exchange, secret: options.secret, messageLog: MessageLogBudget(limit: options.messageLogMemory))
        var code: Int32
        while true {
            let (worker, descriptor, job) = session
            let parameters = JobParameters(pairs: descriptor.parameters)
            let current = connection
            // Checked at every (re)join, never assumed: which inputs and which output this worker can see.
            let storage = services.shipping.configure(
                plan: descriptor.storage, coordinatorHost: HostPort.parse(current.peer)?.host ?? options.coordinator.host, secret: options.secret)
            if storage != .shared { SystemInfo.writeStandardError("\(ProgramName.current) worker: \(worker): \(storage) (via the coordinator)\n") }
            // The coordinator places work by it (where a graph job's checkpoints go). A send that fails means the link is
            // gone, which `serve` finds out at once.
            try? current.send(.storageChecked(storage))
            let executor = Thread { [self] in
                executeTasks(connection: current, worker: worker, descriptor: descriptor, job: job, parameters: parameters, scratch: scratch, services: services)
            }
            executor.start()
            let beats = Thread { [self] in sendHeartbeats(current, interval: descriptor.heartbeatInterval) }
            beats.start()
            let end = serve(connection, timeout: descriptor.heartbeatTimeout, exchange: exchange)
            code = end.code
            // A task may still run: ask it to stop, so it writes no more scratch files while they are removed
            // and reports nothing to a later session.
            state.withLock { s in
                s.running?.cancel()
                s.queue.removeAll()
                s.stopping = true
            }
            work.signal()
            // Closed before waiting for the task thread, so that a coordinator that still hears this worker (a one-way
            // partition) learns at once that it gave up, rather than after the scratch directory is removed.
            connection.close()
            let mayRejoin = end.lost != nil && options.coordinatorGrace > .zero && inProcess == nil
            // In-process the process goes on, and a rejoining worker must not have two task threads: let a running
            // task notice its cancellation first.
            let executorStopped = inProcess == nil && !mayRejoin ? true : executorEnded.wait(timeout: .now() + .seconds(mayRejoin ? 30 : 10)) == .success
            guard mayRejoin, let lost = end.lost, executorStopped else { break }
            guard let rejoined = rejoin(after: lost, exchange: exchange) else { break }
            (connection, session) = rejoined
            state.withLock { s in
                s.stopping = false
                s.running = nil
                s.lastHeard = MonotonicClock.now()
            }
        }
        if inProcess == nil, let signal = TerminationSignals.caught { code = TerminationSignals.exitCode(for: signal) }
        exchange.stop()
        services.shipping.close()
        // A graph image still being written stops and deletes its temporary file (never renamed into place).
        services.graphImages.stop(within: .seconds(10))
        do {
            try ScratchDirectory.remove(scratch)
        } catch {
            SystemInfo.writeStandardError("\(ProgramName.current) worker: could not remove its scratch directory: \(error)\n")
        }
        return code
    }

    /// Registers over `connection` and learns the job: this worker's id, the job's descriptor and its definition.
    /// - Throws: ``WorkerError`` when the coordinator does not accept the registration or runs a job this
    ///   executable does not have.
    /// - Parameter servedOutputs: what its exchange server still serves, when it rejoins (empty when it first joins).
    private func register(_ connection: any ControlLink, exchangePort: UInt16, servedOutputs: [ServedOutput] = []) throws -> (WorkerID, JobDescriptor, Job) {
        let inProcess = options.inProcess != nil
        try connection.send(
            .register(
                WorkerInfo(
                    processID: SystemInfo.processID, host: inProcess ? InProcessNetwork.host : SystemInfo.hostName(),
                    exchangePort: exchangePort, cores: SystemInfo.cpuCount(), advertisedHost: inProcess ? "" : options.advertise ?? "",
                    servedOutputs: servedOutputs)))
        guard let frame = try connection.receive(timeout: RuntimeDefaults.registrationTimeout),
            case .registered(let id, let desc) = try ControlMessage(frame: frame)
        else {
            throw WorkerError("the coordinator at \(connection.peer) did not accept the registration")
        }
        guard let found = registry.job(named: desc.job) else {
            throw WorkerError("this executable has no job named '\(desc.job)'; run the same spindle build as the coordinator")
        }
        return (id, desc, found)
    }

    /// Retries the coordinator for ``WorkerOptions/coordinatorGrace`` after losing it (`why`), with backoff from
    /// 100 ms to 2 s, and registers again; nil when the grace ran out, a signal arrived, or the coordinator that
    /// answered refused it (each said on stderr).
    /// The rejoined coordinator learns what `exchange` still serves, so a resumed one can reuse those outputs.
    private func rejoin(after why: String, exchange: ExchangeServer) -> (any ControlLink, (WorkerID, JobDescriptor, Job))? {
        let grace = options.coordinatorGrace
        SystemInfo.writeStandardError("\(ProgramName.current) worker: \(why); keeping its outputs and retrying the coordinator for \(DurationText.format(grace))\n")
        let deadline = MonotonicClock.now() + grace
        var pause = Duration.milliseconds(100)
        while MonotonicClock.now() < deadline {
            if TerminationSignals.caught != nil { return nil }
            if let connection = try? connect(within: .zero) {
                do {
                    let session = try register(connection, exchangePort: exchange.port, servedOutputs: exchange.servedOutputs())
                    SystemInfo.writeStandardError("\(ProgramName.current) worker: rejoined the coordinator at \(connection.peer) as \(session.0)\n")
                    return (connection, session)
                } catch {
                    connection.close()
                    SystemInfo.writeStandardError("\(ProgramName.current) worker: rejoining the coordinator failed: \(error); exiting\n")
                    return nil
                }
            }
            MonotonicClock.sleep(min(pause, deadline.duration(since: MonotonicClock.now())))
            pause = min(pause * 2, .seconds(2))
        }
        SystemInfo.writeStandardError("\(ProgramName.current) worker: the coordinator did not come back within \(DurationText.format(grace)); exiting\n")
        return nil
    }

    /// Connects and authenticates, retrying refused connections for `timeout` (at least one try; in-process:
    /// through the network, with the same handshake).
    private func connect(within timeout: Duration) throws -> any ControlLink {
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
        let deadline = MonotonicClock.now() + timeout
        var lastError: any Error = WorkerError("no attempt was made")
        repeat {
            let left = max(deadline.duration(since: MonotonicClock.now()), .milliseconds(500))
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
                if MonotonicClock.now() < deadline { MonotonicClock.sleep(.milliseconds(100)) }
            }
        } while MonotonicClock.now() < deadline
        throw WorkerError(
            "could not connect to the coordinator at \(options.coordinator) within \(DurationText.format(timeout)): \(lastError); check that `spindle run ... --listen` is running there")
    }

    /// How a session with the coordinator ended: the exit code, and why the coordinator was lost when it was
    /// (a closed connection or silence; nil for a shutdown, a signal or a bad message).
    private struct SessionEnd {
        var code: Int32
        var lost: String?
    }

    /// Reads coordinator messages until shutdown, loss, or silence.
    private func serve(_ connection: any ControlLink, timeout: Duration, exchange: ExchangeServer) -> SessionEnd {
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
                        if reason != "the job finished" { SystemInfo.writeStandardError("\(ProgramName.current) worker: exiting: \(reason)\n") }
                        return SessionEnd(code: jobFailed ? 1 : 0)
                    case .peersLost(let losses):
                        // Fetches from the lost workers end now, not at their timeout; their tasks fail blamelessly.
                        for loss in losses { exchange.connections.abort(loss) }
                    case .releasePartitions(let moved):
                        // On the task thread, between tasks: a partition is used by one task at a time.
                        state.withLock { $0.releases += moved }
                        work.signal()
                    case .heartbeat: break
                    default:
                        SystemInfo.writeStandardError("\(ProgramName.current) worker: unexpected message from the coordinator; exiting\n")
                        return SessionEnd(code: 3)
                    }
                }
                if options.inProcess == nil, let signal = TerminationSignals.caught {
                    SystemInfo.writeStandardError("\(ProgramName.current) worker: stopped by \(TerminationSignals.name(signal)); removing its scratch directory\n")
                    return SessionEnd(code: TerminationSignals.exitCode(for: signal))
                }
                let silence = MonotonicClock.now().duration(since: state.withLock { $0.lastHeard })
                if silence > timeout {
                    return lostCoordinator("the coordinator at \(connection.peer) was silent for \(DurationText.format(timeout))")
                }
            } catch {
                return lostCoordinator("lost the coordinator at \(connection.peer): \(error)")
            }
        }
    }

    /// The end of a session whose coordinator vanished; said on stderr when the worker will not retry.
    private func lostCoordinator(_ why: String) -> SessionEnd {
        if options.coordinatorGrace == .zero || options.inProcess != nil { SystemInfo.writeStandardError("\(ProgramName.current) worker: \(why); exiting\n") }
        return SessionEnd(code: 3, lost: why)
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
            var releases: [Int] = []
            let next: (TaskAssignment, TaskContext)? = state.withLock { s in
                stopping = s.stopping
                swap(&releases, &s.releases)
                guard !s.stopping, !s.queue.isEmpty else { return nil }
                let assignment = s.queue.removeFirst()
                let context = TaskContext(
                    worker: worker, assignment: assignment, descriptor: descriptor, parameters: parameters, scratchDirectory: scratch, services: services)
                s.running = context
                return (assignment, context)
            }
            if stopping { return }
            if !releases.isEmpty { services.partitions.release(releases, exchange: services.exchange, logBudget: services.messageLog) }
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
