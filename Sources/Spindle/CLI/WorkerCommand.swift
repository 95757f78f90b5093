import SpindleCore
import SpindlePosix

/// `spindle worker --coordinator HOST:PORT [--bind HOST] [--advertise HOST] [--fetch-port PORT] [--coordinator-grace DURATION]`:
/// joins a coordinator and serves it; one that vanishes is retried for the grace (default 30 s, bare 0: none) and rejoined.
///
/// Exit codes: 0 the job it served succeeded, 1 the job failed (or was stopped), 2 bad usage, 3 the
/// coordinator was lost or refused it, 130 / 143 stopped by SIGINT / SIGTERM (its scratch removed).
enum WorkerCommand {
    static func execute(_ arguments: ParsedArguments, registry: JobRegistry) throws -> Int32 {
        // A worker started by hand asks for huge pages by starting again with glibc's tunable (see HugePages).
        HugePages.reexecuteIfNeeded(arguments: CommandLine.arguments)
        guard let coordinator = try arguments.hostPort("coordinator") else {
            throw UsageError("missing required option '--coordinator' for '\(ProgramName.current) worker'")
        }
        let secret = try SharedSecret.load(file: arguments.value("secret-file"), purpose: "joining a coordinator")
        var options = WorkerOptions(coordinator: coordinator, secret: secret)
        options.connectTimeout = try arguments.duration("connect-timeout", default: RuntimeDefaults.connectTimeout)
        // A bare 0 (no unit) means no grace, as the help says.
        options.coordinatorGrace = arguments.value("coordinator-grace") == "0" ? .zero : try arguments.duration("coordinator-grace", default: .seconds(30))
        for name in ["bind", "advertise"] {
            guard let host = arguments.value(name) else { continue }
            if let problem = ExchangeBinding.problem(with: host) {
                throw UsageError("--\(name) '\(host)' is not a host name or address: \(problem)")
            }
        }
        options.bind = arguments.value("bind")
        options.advertise = arguments.value("advertise")
        options.messageLogMemory = try arguments.size("message-log-memory", default: MessageLogBudget.defaultLimit)
        options.fetchPort = UInt16(try arguments.int("fetch-port", default: 0, range: 0...65535))
        if SystemInfo.environment("SPINDLE_LOCAL_WORKER") == "1" {
            // SIGTERM, not SIGKILL: a worker whose coordinator died (even by SIGKILL) still removes its scratch. It
            // comes once per coordinator thread the orphan is handed through, so its repeats are absorbed.
            SystemInfo.setParentDeathSignal(Signal.terminate)
            options.parentDeathSignal = Signal.terminate
            options.coordinatorGrace = .zero
        } else {
            // A remote worker's host has no coordinator to sweep it: remove what killed workers left here.
            let stale = ScratchDirectory.removeStale()
            if !stale.isEmpty {
                SystemInfo.writeStandardError(
                    "\(ProgramName.current) worker: removed \(stale.count) stale scratch director\(stale.count == 1 ? "y" : "ies") of exited workers from \(ScratchDirectory.root)\n")
            }
        }
        return WorkerProcess(options: options, registry: registry).run()
    }
}
