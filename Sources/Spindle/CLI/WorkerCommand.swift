import SpindleCore
import SpindlePosix

/// `spindle worker --coordinator HOST:PORT [--bind HOST] [--advertise HOST]`: joins a coordinator and serves it.
///
/// Exit codes: 0 the job it served succeeded, 1 the job failed (or was stopped), 2 bad usage, 3 the
/// coordinator was lost or refused it, 130 / 143 stopped by SIGINT / SIGTERM (its scratch removed).
enum WorkerCommand {
    static func execute(_ arguments: ParsedArguments, registry: JobRegistry) throws -> Int32 {
        guard let coordinator = try arguments.hostPort("coordinator") else {
            throw UsageError("missing required option '--coordinator' for 'spindle worker'")
        }
        let secret = try SharedSecret.load(file: arguments.value("secret-file"), purpose: "joining a coordinator")
        var options = WorkerOptions(coordinator: coordinator, secret: secret)
        options.connectTimeout = try arguments.duration("connect-timeout", default: RuntimeDefaults.connectTimeout)
        for name in ["bind", "advertise"] {
            guard let host = arguments.value(name) else { continue }
            if let problem = ExchangeBinding.problem(with: host) {
                throw UsageError("--\(name) '\(host)' is not a host name or address: \(problem)")
            }
        }
        options.bind = arguments.value("bind")
        options.advertise = arguments.value("advertise")
        if SystemInfo.environment("SPINDLE_LOCAL_WORKER") == "1" {
            // SIGTERM, not SIGKILL: a worker whose coordinator died (even by SIGKILL) still removes its scratch.
            SystemInfo.setParentDeathSignal(Signal.terminate)
        } else {
            // A remote worker's host has no coordinator to sweep it: remove what killed workers left here.
            let stale = ScratchDirectory.removeStale()
            if !stale.isEmpty {
                SystemInfo.writeStandardError(
                    "spindle worker: removed \(stale.count) stale scratch director\(stale.count == 1 ? "y" : "ies") of exited workers from \(ScratchDirectory.root)\n")
            }
        }
        return WorkerProcess(options: options, registry: registry).run()
    }
}

/// The shared secret that authenticates workers and coordinator.
enum SharedSecret {
    /// Reads the secret from `file` (trailing newlines dropped) or else from `SPINDLE_SECRET`.
    /// - Throws: ``UsageError`` when neither is given or the file cannot be read or is empty.
    static func load(file: String?, purpose: String) throws(UsageError) -> [UInt8] {
        if let file {
            guard let bytes = try? FileSystem.readFile(file) else {
                throw UsageError("cannot read the secret file '\(file)'; check the path and its permissions")
            }
            let text = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: "\r\n")
            guard !text.isEmpty else { throw UsageError("the secret file '\(file)' is empty; put a long random string in it") }
            return Array(text.utf8)
        }
        if let value = SystemInfo.environment(RuntimeDefaults.secretEnvironment), !value.isEmpty {
            return Array(value.utf8)
        }
        throw UsageError("\(purpose) needs the shared secret: pass --secret-file PATH or set \(RuntimeDefaults.secretEnvironment)")
    }

    /// A fresh random secret for one job's local workers (hex text).
    static func random() -> [UInt8] {
        let hex = SecureRandom.bytes(32).map { String($0, radix: 16) }.map { $0.count == 1 ? "0" + $0 : $0 }.joined()
        return Array(hex.utf8)
    }
}
