import SpindleCore
import SpindlePosix

/// `spindle worker --coordinator HOST:PORT`: joins a coordinator and serves it.
enum WorkerCommand {
    static func execute(_ arguments: ParsedArguments, registry: JobRegistry) throws -> Int32 {
        guard let coordinator = try arguments.hostPort("coordinator") else {
            throw UsageError("missing required option '--coordinator' for 'spindle worker'")
        }
        let secret = try SharedSecret.load(file: arguments.value("secret-file"), purpose: "joining a coordinator")
        var options = WorkerOptions(coordinator: coordinator, secret: secret)
        options.connectTimeout = try arguments.duration("connect-timeout", default: RuntimeDefaults.connectTimeout)
        if SystemInfo.environment("SPINDLE_LOCAL_WORKER") == "1" {
            SystemInfo.setParentDeathSignal(Signal.kill)
        }
        return WorkerProcess(options: options, registry: registry).run()
    }
}
