import SpindleCore
import SpindlePosix

/// The coordinator of one job: accepts and authenticates workers, feeds the scheduler and the heartbeat
/// monitor (pure state machines) with events, carries out their directives over the sockets, and lets
/// the engine's driver plan stages and commit output.
///
/// One thread runs the whole loop (wait with ``ReadinessLoop``, read, decide, send), so the state needs no locks.
final class Coordinator {
    enum PeerState {
        case handshaking(ServerHandshake, deadline: Timestamp)
        case awaitingRegistration(deadline: Timestamp)
        case worker(WorkerID)
        /// Declared dead by heartbeat timeout; late results are logged as rejected, then it is closed.
        case condemned(WorkerID, until: Timestamp)
        /// Told to exit and half-closed: what it still sends is read and dropped until it closes its end, or until
        /// the deadline, then it is closed (closing with its bytes unread would answer them with a reset).
        case closing(until: Timestamp)
    }

    final class Peer {
        let connection: any ControlLink
        /// The peer's registration in ``Coordinator/readiness`` (its descriptor and a generation).
        var token: UInt64 = 0
        var state: PeerState
        /// When an unauthenticated peer's handshake times out (the oldest is dropped first); nil otherwise.
        var handshakeDeadline: Timestamp? {
            if case .handshaking(_, let deadline) = state { return deadline }
            return nil
        }
        var info: WorkerInfo?
        /// What the worker reported it shares of the job's files (``ControlMessage/storageChecked(_:)``), and when it
        /// registered (the report is awaited for at most the handshake timeout after it).
        var storage: WorkerStorage?
        var registeredAt: Timestamp?
        init(connection: any ControlLink, state: PeerState) {
            self.connection = connection
            self.state = state
        }
    }

    let options: CoordinatorOptions
    let events: EventLog
    let console: ConsoleReporter
    /// Where workers' control links arrive: TCP, or the in-process network (``CoordinatorOptions/inProcess``).
    let listener: any ControlListener
    var launcher: LocalLauncher?
    /// The journal of this run's decisions (`OUTPUT/_temporary/journal`), once the output is prepared.
    var journal: CoordinatorJournal?
    var driver: (any JobDriver)!
    var scheduler: TaskScheduler
    var monitor: HeartbeatMonitor<WorkerID>
    /// Peers by their link's ``ControlLink/readinessDescriptor``.
    var peers: [Int32: Peer] = [:]
    var workers: [WorkerID: Peer] = [:]
    var nextWorkerID: UInt32 = 1
    var descriptor: JobDescriptor!
    var started = false
    var finishRequested = false
    /// Why the job failed, once it has (the first failure wins).
    var failure: SpindleError?
    var stageNames: [String] = []
    /// When each stage's first attempt started.
    var stageStarted: [Timestamp?] = []
    var stageSeconds: [(name: String, seconds: Double)] = []
    var attemptCount = 0
    var failedAttempts = 0
    var workersLost = 0
    var progress: [WorkerID: Double] = [:]
    /// The attempts each worker reported last, newest last (a heartbeat read before those reports may still name them).
    var lastReported: [WorkerID: [AttemptID]] = [:]
    /// Waits on the listener and every peer's link (epoll).
    let readiness: ReadinessLoop
    /// When timers (handshake deadlines, heartbeats, expiry) and the progress line were last looked at.
    var lastTick: Timestamp
    /// The peak resident memory each worker reported with its latest result.
    var workerPeakResident: [WorkerID: Int] = [:]
    let startTime: Timestamp
    /// When the coordinator's last heartbeat was due (``CoordinatorOptions/heartbeatInterval`` apart).
    var lastHeartbeatSent: Timestamp
    /// Since when the job has had no live worker (bounded by the registration timeout).
    var workerlessSince: Timestamp?
    /// The signal (SIGINT, SIGTERM) that stopped the job, if one did.
    var stoppedBy: Int32?
    /// How many times every local worker had died and replacements were started.
    var replacementRounds = 0
    /// Serves inputs to, and takes part files from, workers that do not share this machine's files.
    var shipServer: ShipServer?
    /// Workers lost in this turn of the loop, told to the survivors in one frame each at its end (``flushPeerLosses()``).
    var pendingPeerLosses: [PeerLoss] = []

    init(options: CoordinatorOptions) throws {
        self.options = options
        self.events = try EventLog(path: options.eventLogPath, keepEarly: true, observer: options.eventObserver)
        self.console = ConsoleReporter(quiet: options.quiet)
        if let network = options.inProcess {
            self.listener = network
        } else {
            self.listener = try TCPControlListener(host: options.listen.host, port: options.listen.port)
        }
        self.scheduler = TaskScheduler(settings: options.scheduler, firstAttempt: JournalRecord.firstAttempt(epoch: options.resume?.epoch ?? 0))
        self.nextWorkerID = options.resume?.firstWorkerID ?? 1
        self.monitor = HeartbeatMonitor(timeout: options.heartbeatTimeout)
        self.startTime = MonotonicClock.now()
        self.lastHeartbeatSent = startTime
        self.lastTick = startTime
        self.readiness = try ReadinessLoop()
    }

    /// The address workers connect to.
    var address: HostPort {
        let host = ["0.0.0.0", "::", ""].contains(options.listen.host) ? "127.0.0.1" : options.listen.host
        return HostPort(host: host, port: listener.port)
    }

    /// Runs the job to the end and returns how it went. Workers are stopped before it returns.
    ///
    /// SIGINT and SIGTERM stop the job cleanly: the loop sees the signal (``TerminationSignals``), the workers
    /// are told to exit (and killed after a grace period), `OUTPUT/_temporary`, the workers' scratch and log
    /// directories are removed, and the outcome is ``JobOutcome/stopped(signal:_:)``.
    ///
    /// In-process (``CoordinatorOptions/inProcess``) the coordinator leaves the process's state alone: it
    /// installs no signal handlers and sweeps no stale scratch directories (its host process owns both).
    func run() -> JobOutcome {
        events.record(
            "job_started",
            [("job", .string(options.job.name)), ("listen", .string(listenDescription)),
             ("parameters", .object(options.parameters.pairs.map { ($0.first, JSONValue.string($0.second)) })),
             ("inputs", .array(options.inputs.map { .object([("path", .string($0.path)), ("bytes", .int($0.size))]) })),
             ("workers", .int(options.expectWorkers))])
        do {
            if options.inProcess == nil {
                try TerminationSignals.install()
                let stale = ScratchDirectory.removeStale()
                if !stale.isEmpty {
                    console.log("removed \(stale.count) stale scratch director\(stale.count == 1 ? "y" : "ies") of exited workers from \(ScratchDirectory.root)")
                }
            }
            try options.output.prepare()
            if let resume = options.resume { Self.keepEventLog(of: options.output, epoch: resume.epoch) }
            try events.attach(path: options.output.logDirectory + "/events.jsonl")
            journal = try openJournal()
            driver = try options.job.engine.makeDriver(
                DriverSetup(
                    job: options.job, parameters: options.parameters, inputs: options.inputs, output: options.output,
                    workerCount: max(options.expectWorkers, 1), splitSize: options.splitSize, memoryBudget: options.memoryBudget,
                    maxRecord: options.maxRecord, skipBadRecords: options.skipBadRecords, reducers: options.reducers, partitions: options.partitions,
                    checkpointEvery: options.checkpointEvery, maxSupersteps: options.maxSupersteps,
                    recovery: options.recovery ?? (options.checkpointEvery > 0 ? .confined : .full), checkpointStore: options.checkpointStore,
                    events: events,
                    console: console, journal: journal, resume: options.resume))
            let storage = try startShipping()
            descriptor = JobDescriptor(
                job: options.job.name, parameters: options.parameters.pairs, heartbeatInterval: options.heartbeatInterval,
                heartbeatTimeout: options.heartbeatTimeout, engineSettings: driver.engineSettings, storage: storage)
            if options.localWorkers > 0 {
                let launcher = try LocalLauncher(coordinator: address, secret: options.secret, messageLogMemory: options.messageLogMemory)
                self.launcher = launcher
                try launcher.spawn(options.localWorkers)
            } else if options.inProcess == nil {
                console.log("listening on \(listenDescription); waiting for \(options.expectWorkers) worker(s)")
            }
            try checkConnectionLimit()
            events.record("coordinator_listening", [("address", .string(listenDescription))])
            while !finishRequested && failure == nil && stopSignal == nil {
                try step()
            }
        } catch {
            fail(error)
        }
        if let signal = stopSignal, failure == nil {
            stoppedBy = signal
            fail(.stopped, "the job was stopped by \(TerminationSignals.name(signal))")
        }
        if failure == nil {
            do {
                try journal?.append(.jobCommitted)
                let counters = try driver.finalize(summary: summary())
                events.record("counters", counters.map { ($0.0, JSONValue.int($0.1)) })
                console.reportSkippedRecords(counters: counters, skipBadRecords: options.skipBadRecords)
            } catch {
                fail(.outputFailed, "committing the output failed: \(error)")
            }
        }
        console.finishLine()
        recordHeartbeatGaps()
        shutdownWorkers(reason: failure == nil ? "the job finished" : stoppedBy == nil ? "the job failed" : "the job was stopped", jobFailed: failure != nil)
        stopShipping()
        let outcome: JobOutcome
        if let failure {
            options.output.abort()
            events.record("job_failed", [("error", .string(failure.message)), ("code", .string(failure.code.description))])
            outcome = stoppedBy.map { .stopped(signal: $0, failure) } ?? .failed(failure)
        } else {
            events.record("job_succeeded", [("seconds", .double(MonotonicClock.now().duration(since: startTime).seconds))])
            outcome = .succeeded
        }
        journal?.close()
        events.close()
        listener.close()
        readiness.close()
        return outcome
    }

    /// Where the coordinator listens, for the event log and the console.
    var listenDescription: String {
        options.inProcess == nil ? "\(options.listen.host):\(listener.port)" : InProcessNetwork.host
    }

    /// The signal that asks the job to stop (``TerminationSignals``); never in-process, where the handlers
    /// are not the coordinator's.
    var stopSignal: Int32? { options.inProcess == nil ? TerminationSignals.caught : nil }

    /// One turn of the loop: wait for links (at most 50 ms), handle what arrived, then timers (at most every
    /// ``tickInterval``: they visit every peer) and assignments.
    private func step() throws {
        readiness.watchListener(listener.readinessDescriptor)
        for ready in try readiness.wait(timeout: waitBound) {
            guard let token = ready else {
                acceptPeers()
                continue
            }
            // The peer registered, not a newer one reusing its descriptor (reading that one would block the loop).
            guard let peer = peers[ReadinessLoop.descriptor(of: token)], peer.token == token else { continue }
            do {
                for frame in try peer.connection.readAvailable() {
                    handle(frame, from: peer)
                    if peers[peer.connection.readinessDescriptor] !== peer { break }
                }
            } catch {
                drop(peer, reason: error is ConnectionClosed ? "its connection closed" : "\(error)")
            }
        }
        let now = MonotonicClock.now()
        let tick = now.duration(since: lastTick) >= Self.tickInterval
        if tick {
            lastTick = now
            checkTimers(now: now)
        }
        if !started && workers.count >= options.expectWorkers && storageReported {
            try startJob(now: now)
        }
        if started && failure == nil && !finishRequested {
            apply(scheduler.assignIdleWorkers(now: now))
        }
        flushPeerLosses()
        if tick { showProgress() }
    }

    /// How long a turn may wait for links: 50 ms at most, and not past the next heartbeat's time (give or take
    /// ``tickInterval``), so that the coordinator's heartbeats keep their interval when no link speaks.
    private var waitBound: Duration {
        let due = (lastHeartbeatSent + options.heartbeatInterval).duration(since: MonotonicClock.now())
        return min(.milliseconds(50), max(due, Self.tickInterval))
    }

    /// How often the loop looks at timers and the progress line (deadlines are 200 ms and more).
    static let tickInterval: Duration = .milliseconds(10)
    private func startJob(now: Timestamp) throws {
        started = true
        console.log("\(workers.count) worker(s) joined; running \(options.job.name)")
        try driver.start(self)
    }

    /// Accepts what is pending (at most 64 per turn, so a flood cannot starve the loop). Unauthenticated
    /// peers are capped at ``RuntimeDefaults/maxUnauthenticatedConnections``: beyond it the oldest is
    /// dropped (as OpenSSH's MaxStartups); all peers together are capped so that descriptors remain for
    /// the event log, commits and checkpoints (``ResourceLimits/connectionLimit(soft:)``).
    private func acceptPeers() {
        for _ in 0..<64 {
            let connection: any ControlLink
            do {
                guard let accepted = try listener.accept() else { return }
                connection = accepted
            } catch {
                // Out of descriptors: the listener shed one connection and pauses; nothing spins.
                events.record("accept_failed", [("error", .string("\(error)"))])
                return
            }
            let handshaking = peers.values.filter { if case .handshaking = $0.state { true } else { false } }
            if handshaking.count >= RuntimeDefaults.maxUnauthenticatedConnections || peers.count >= connectionLimit,
                let oldest = handshaking.min(by: { $0.handshakeDeadline! < $1.handshakeDeadline! })
            {
                evict(oldest, reason: "more than \(RuntimeDefaults.maxUnauthenticatedConnections) unauthenticated connections; the oldest is dropped")
            }
            guard peers.count < connectionLimit else {
                events.record("connection_refused", [("peer", .string(connection.peer)), ("reason", .string("\(connectionLimit) connections are open already"))])
                connection.close()
                continue
            }
            let machine = ServerHandshake(secret: options.secret, nonce: SecureRandom.bytes(WireProtocol.nonceLength))
            let deadline = MonotonicClock.now() + options.handshakeTimeout
            let peer = Peer(connection: connection, state: .handshaking(machine, deadline: deadline))
            do {
                peer.token = try readiness.watch(connection.readinessDescriptor)
            } catch {
                events.record("connection_refused", [("peer", .string(connection.peer)), ("reason", .string("\(error)"))])
                connection.close()
                continue
            }
            peers[connection.readinessDescriptor] = peer
        }
    }

    /// How many peers may be connected at once, leaving descriptors for files (see ``ResourceLimits``).
    lazy var connectionLimit = ResourceLimits.connectionLimit(soft: (try? ResourceLimits.openFiles().soft) ?? 1024)

    /// Drops an unauthenticated peer to make room; logged in the event log only (a flood would flood the console).
    private func evict(_ peer: Peer, reason: String) {
        events.record("connection_refused", [("peer", .string(peer.connection.peer)), ("reason", .string(reason))])
        close(peer)
    }

    private func showProgress() {
        guard started, scheduler.stageCount > 0 else { return }
        let stage = (0..<scheduler.stageCount).first { !scheduler.isComplete(stage: $0) } ?? (scheduler.stageCount - 1)
        let done = scheduler.committedCount(stage: stage)
        let total = scheduler.taskCount(stage: stage)
        // Progress values are validated on arrival; clamping again keeps `Int(_:)` from trapping whatever comes.
        let running = progress.values.reduce(0) { $0 + ($1.isFinite ? min(1, max(0, $1)) : 0) }
        let share = total == 0 ? 1 : min(0.99, max(0, (Double(done) + running) / Double(total)))
        console.progress("\(stageNames[stage]): \(done)/\(total) tasks, \(Int(share * 100))%, \(workers.count) worker(s)")
    }

    /// Fails the job with `code` and `message`, unless it has failed already.
    func fail(_ code: SpindleError.Code, _ message: String) {
        if failure == nil { failure = SpindleError(code, message) }
    }

    /// Fails the job with `error`: a ``SpindleError`` as it is, anything else as ``SpindleError/Code/other``.
    func fail(_ error: any Error) {
        fail((error as? SpindleError)?.code ?? .other, "\(error)")
    }

    func summary() -> JobSummary {
        JobSummary(
            attempts: attemptCount, failedAttempts: failedAttempts, workersLost: workersLost,
            elapsedSeconds: MonotonicClock.now().duration(since: startTime).seconds, stageSeconds: stageSeconds,
            workerPeakResidentBytes: workerPeakResident.sorted { $0.key < $1.key }.map(\.value),
            coordinatorPeakResidentBytes: SystemInfo.peakResidentBytes())
    }
}
