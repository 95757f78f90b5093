import SpindleCore
import SpindlePosix

/// `spindle run JOB ...`: validates everything a user can get wrong before any worker starts, then
/// runs the coordinator. Returns 0 on success, 1 when the job fails, 2 when it fails on bad input (a
/// malformed record, a line over `--max-record`, an input file that changed), and 130 / 143 when SIGINT /
/// SIGTERM stopped it; usage and input errors throw.
struct RunCommand {
    let registry: JobRegistry
    let arguments: ParsedArguments
    /// How messages name this executable.
    var programName = "spindle"

    func execute() throws -> Int32 {
        var notes: [String] = []
        var options = try makeOptions(notes: &notes)
        if !options.quiet {
            let cores = SystemInfo.cpuCount()
            if options.localWorkers > cores {
                notes.append(
                    "warning: --workers \(options.localWorkers) is more than the \(cores) core\(cores == 1 ? "" : "s") of this machine; "
                        + "the workers will share cores, so the run will not be faster than with \(cores)")
            }
            for note in notes { SystemInfo.writeStandardError("\(programName): \(note)\n") }
        }
        let ui = try UIRunner.start(
            try UIAddress.parse(arguments.value("ui")), linger: try arguments.duration("ui-linger", default: .zero), quiet: options.quiet)
        options.eventObserver = ui?.observer
        options.heartbeatObserver = ui?.heartbeatObserver
        let coordinator = try Coordinator(options: options)
        let outcome = coordinator.run()
        ui?.finish()
        switch outcome {
        case .succeeded:
            if !options.quiet { SystemInfo.writeStandardError("\(programName): \(options.job.name) succeeded; output in \(options.output.directory)\n") }
            return 0
        case .failed(let error):
            SystemInfo.writeStandardError("\(programName): job \(options.job.name) failed: \(error.message)\n")
            return error.code.exitCode
        case .stopped(let signal, _):
            SystemInfo.writeStandardError(
                "\(programName): job \(options.job.name) was stopped by \(TerminationSignals.name(signal)); its workers were stopped and its temporary files removed\n")
            return TerminationSignals.exitCode(for: signal)
        }
    }

    /// The coordinator's options, everything checked; what the run should tell the user first (skipped
    /// input entries) is dropped.
    func makeOptions() throws -> CoordinatorOptions {
        var notes: [String] = []
        return try makeOptions(notes: &notes)
    }

    /// The coordinator's options, everything checked; `notes` gets the lines to show before the run starts.
    func makeOptions(notes: inout [String]) throws -> CoordinatorOptions {
        let a = arguments
        guard let name = a.positionals.first else { throw UsageError("missing argument JOB for '\(programName) run'") }
        guard let job = registry.job(named: name) else { throw unknownJob(name, registry: registry, programName: programName) }
        let parameters = try JobParameters.resolve(job.parameters, given: try a.keyValues("param"), job: job.name)
        let listenGiven = a.value("listen") != nil
        let listen = try a.hostPort("listen") ?? HostPort(host: "127.0.0.1", port: 0)
        let localWorkers = try a.int("workers", default: listenGiven ? 0 : SystemInfo.cpuCount(), range: 0...1024)
        let expectWorkers = try a.int("expect-workers", default: max(localWorkers, 1), range: 1...100_000)
        if !listenGiven && localWorkers == 0 {
            throw UsageError("--workers 0 needs --listen so that remote workers can join")
        }
        let secret: [UInt8] = listenGiven ? try SharedSecret.load(file: a.value("secret-file"), purpose: "listening for remote workers") : SharedSecret.random()

        var scheduler = SchedulerSettings()
        scheduler.maxAttempts = try a.int("max-attempts", default: RuntimeDefaults.maxAttempts, range: 1...1000)
        scheduler.excludeAfterFailedTasks = try a.int("exclude-after", default: scheduler.excludeAfterFailedTasks, range: 0...1000)
        scheduler.tasksPerWorker = try a.int("tasks-per-worker", default: 1, range: 1...1024)
        scheduler.speculation = !a.flag("no-speculation")
        scheduler.speculationMinimumAge = try a.duration("speculation-after", default: .seconds(1))
        let heartbeatInterval = try a.duration("heartbeat-interval", default: RuntimeDefaults.heartbeatInterval)
        let heartbeatTimeout = try a.duration("heartbeat-timeout", default: RuntimeDefaults.heartbeatTimeout)
        guard heartbeatInterval > .zero else { throw UsageError("--heartbeat-interval must be positive") }
        guard heartbeatTimeout > heartbeatInterval else {
            throw UsageError("--heartbeat-timeout (\(DurationText.format(heartbeatTimeout))) must be longer than --heartbeat-interval (\(DurationText.format(heartbeatInterval)))")
        }
        let memory = try a.size("memory", default: RuntimeDefaults.memoryBudget)
        guard memory >= 1 << 20 else { throw UsageError("--memory must be at least 1MiB") }
        let splitSize: Int? = a.value("split-size") == nil ? nil : try a.size("split-size", default: 0)
        if let splitSize, splitSize < 1 { throw UsageError("--split-size must be at least 1 byte") }
        let maxRecord = try a.size("max-record", default: RuntimeDefaults.maxRecord)
        guard maxRecord >= 1 else { throw UsageError("--max-record must be at least 1 byte; it is the longest input line accepted") }

        var inputValues = a.values("input")
        if inputValues.isEmpty {
            guard let defaultInput = job.defaultInput else {
                throw UsageError("job '\(job.name)' needs --input PATH (a file, directory or glob)")
            }
            inputValues = try defaultInput()
        }
        let inputs = try InputResolver.resolve(inputValues, notes: &notes)
        // Nothing the run reads, runs from or lives in may be deleted (--output) or overwritten (--event-log).
        let outputGuard = try OutputGuard.current(inputs: inputValues.filter(FileSystem.isDirectory) + inputs.map(\.path))
        let output = try OutputCommitter(directory: a.value("output") ?? "out/\(job.name)", overwrite: a.flag("overwrite"), resume: a.flag("resume"), guard: outputGuard)
        let eventLogPath = a.value("event-log")
        if let eventLogPath {
            try EventLog.checkPath(eventLogPath)
            let resolved = try OutputGuard.resolve(eventLogPath, what: "--event-log '\(eventLogPath)'")
            try outputGuard.checkEventLog(resolved, shown: eventLogPath, output: output.resolvedDirectory)
        }

        var options = CoordinatorOptions(
            job: job, parameters: parameters, inputs: inputs, output: output, localWorkers: localWorkers, listen: listen,
            expectWorkers: expectWorkers, secret: secret)
        options.heartbeatInterval = heartbeatInterval
        options.heartbeatTimeout = heartbeatTimeout
        options.registrationTimeout = try a.duration("join-timeout", default: RuntimeDefaults.registrationTimeout)
        options.scheduler = scheduler
        options.memoryBudget = memory
        options.splitSize = splitSize
        options.maxRecord = maxRecord
        options.skipBadRecords = a.flag("skip-bad-records")
        options.reducers = a.value("reducers") == nil ? nil : try a.int("reducers", default: 1, range: 1...100_000)
        options.partitions = a.value("partitions") == nil ? nil : try a.int("partitions", default: 1, range: 1...100_000)
        options.checkpointEvery = try a.int("checkpoint-every", default: 10, range: 0...1_000_000)
        if let text = a.value("recovery") {
            guard let mode = RecoveryMode(rawValue: text) else {
                throw UsageError("--recovery takes 'confined' or 'full', not '\(text)'")
            }
            options.recovery = mode
        }
        options.messageLogMemory = try a.size("message-log-memory", default: MessageLogBudget.defaultLimit)
        if let text = a.value("checkpoint-store") {
            guard let store = CheckpointStoreSetting(rawValue: text) else {
                throw UsageError("--checkpoint-store takes 'auto', 'output' or 'workers', not '\(text)'")
            }
            if store == .output, a.flag("ship-output") {
                throw UsageError(
                    "--checkpoint-store output cannot be used with --ship-output: no worker would see the checkpoints; use auto or workers")
            }
            options.checkpointStore = store
        }
        options.maxSupersteps = try a.int("max-supersteps", default: 10_000, range: 1...100_000_000)
        options.eventLogPath = eventLogPath
        options.quiet = a.flag("quiet")
        options.shipping = ShippingOptions(
            shipInput: a.flag("ship-input"), shipOutput: a.flag("ship-output"), port: UInt16(try a.int("ship-port", default: 0, range: 0...65535)))
        if a.flag("resume") {
            try JournalSetup.loadResume(
                &options, explicit: Set(["split-size", "reducers", "partitions", "checkpoint-store"].filter { a.value($0) != nil }))
        }
        return options
    }
}
