import Glibc

/// How a child process ended.
package enum ExitStatus: Equatable, Sendable, CustomStringConvertible {
    /// The child called exit with this code.
    case exited(Int32)
    /// The child was killed by this signal.
    case signaled(Int32)

    /// "exited with code 3" or "killed by signal 9 (SIGKILL)".
    package var description: String {
        switch self {
        case .exited(let code):
            return "exited with code \(code)"
        case .signaled(let sig):
            if let name = Self.signalName(sig) { return "killed by signal \(sig) (\(name))" }
            return "killed by signal \(sig)"
        }
    }

    /// Decodes a waitpid status word; nil for stopped/continued states.
    init?(waitStatus status: Int32) {
        let low = status & 0x7f
        if low == 0 {
            self = .exited((status >> 8) & 0xff)
        } else if low != 0x7f && status & 0xffff != 0xffff {
            self = .signaled(low)
        } else {
            return nil
        }
    }

    /// The conventional name of a Linux signal number ("SIGKILL"), if it is a common one.
    package static func signalName(_ sig: Int32) -> String? {
        switch sig {
        case SIGHUP: return "SIGHUP"
        case SIGINT: return "SIGINT"
        case SIGQUIT: return "SIGQUIT"
        case SIGILL: return "SIGILL"
        case SIGTRAP: return "SIGTRAP"
        case SIGABRT: return "SIGABRT"
        case SIGBUS: return "SIGBUS"
        case SIGFPE: return "SIGFPE"
        case SIGKILL: return "SIGKILL"
        case SIGUSR1: return "SIGUSR1"
        case SIGSEGV: return "SIGSEGV"
        case SIGUSR2: return "SIGUSR2"
        case SIGPIPE: return "SIGPIPE"
        case SIGALRM: return "SIGALRM"
        case SIGTERM: return "SIGTERM"
        case SIGCHLD: return "SIGCHLD"
        case SIGCONT: return "SIGCONT"
        case SIGSTOP: return "SIGSTOP"
        case SIGXCPU: return "SIGXCPU"
        case SIGXFSZ: return "SIGXFSZ"
        case SIGSYS: return "SIGSYS"
        default: return nil
        }
    }
}

/// A child process started with posix_spawn, identified by its pid.
///
/// Once `poll()` or `wait(timeout:)` has returned a status the child is reaped: its pid may be
/// reused, so do not `signal` it afterwards, and further polls throw ECHILD.
package struct ChildProcess: Sendable, Hashable {
    /// The child's process id.
    package let pid: Int32

    /// Wraps an existing child pid.
    package init(pid: Int32) { self.pid = pid }

    /// Starts `executable` (a path, or a bare name looked up in $PATH) with `arguments` (argv[1...]).
    /// The child gets this process's environment plus `environment` (overriding same names),
    /// default signal dispositions and an empty signal mask. `stdoutPath`/`stderrPath`, when
    /// given, are opened O_CREAT|O_TRUNC (0644) in the child as its stdout/stderr; stdin and
    /// the other streams are inherited.
    package static func spawn(executable: String, arguments: [String],
                             environment: [String: String] = [:],
                             stdoutPath: String? = nil, stderrPath: String? = nil) throws -> ChildProcess {
        var actions = posix_spawn_file_actions_t()
        try SystemError.checkReturn("posix_spawn_file_actions_init") { posix_spawn_file_actions_init(&actions) }
        defer { posix_spawn_file_actions_destroy(&actions) }
        let outputFlags = O_WRONLY | O_CREAT | O_TRUNC
        if let stdoutPath {
            try SystemError.checkReturn("posix_spawn_file_actions_addopen", stdoutPath) {
                posix_spawn_file_actions_addopen(&actions, 1, stdoutPath, outputFlags, 0o644)
            }
        }
        if let stderrPath {
            try SystemError.checkReturn("posix_spawn_file_actions_addopen", stderrPath) {
                posix_spawn_file_actions_addopen(&actions, 2, stderrPath, outputFlags, 0o644)
            }
        }

        var attributes = posix_spawnattr_t()
        try SystemError.checkReturn("posix_spawnattr_init") { posix_spawnattr_init(&attributes) }
        defer { posix_spawnattr_destroy(&attributes) }
        var emptySet = sigset_t()
        sigemptyset(&emptySet)
        var defaultSet = sigset_t()
        sigemptyset(&defaultSet)
        for sig in [SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGCHLD, SIGUSR1, SIGUSR2] {
            sigaddset(&defaultSet, sig)
        }
        try SystemError.checkReturn("posix_spawnattr_setsigmask") { posix_spawnattr_setsigmask(&attributes, &emptySet) }
        try SystemError.checkReturn("posix_spawnattr_setsigdefault") { posix_spawnattr_setsigdefault(&attributes, &defaultSet) }
        let spawnFlags = Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF)
        try SystemError.checkReturn("posix_spawnattr_setflags") { posix_spawnattr_setflags(&attributes, spawnFlags) }

        let argv = CStringArray([executable] + arguments)
        let envp = CStringArray(mergedEnvironment(environment))
        var pid: pid_t = 0
        let usePath = !executable.contains("/")
        let code = argv.withPointer { argvPointer in
            envp.withPointer { envpPointer in
                usePath
                    ? posix_spawnp(&pid, executable, &actions, &attributes, argvPointer, envpPointer)
                    : posix_spawn(&pid, executable, &actions, &attributes, argvPointer, envpPointer)
            }
        }
        if code != 0 { throw SystemError(call: "posix_spawn", errno: code, context: executable) }
        return ChildProcess(pid: pid)
    }

    /// The current environment as "NAME=value" strings with `overrides` applied.
    static func mergedEnvironment(_ overrides: [String: String]) -> [String] {
        var result: [String] = []
        var index = 0
        while let entry = environ[index] {
            let text = String(cString: entry)
            let name = text.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? text
            if overrides[name] == nil { result.append(text) }
            index += 1
        }
        for (name, value) in overrides.sorted(by: { $0.key < $1.key }) {
            result.append("\(name)=\(value)")
        }
        return result
    }

    /// Sends `signal` to the child; a child that no longer exists (ESRCH) is not an error.
    package func signal(_ signal: Int32) throws {
        if kill(pid, signal) == -1 && Glibc.errno != ESRCH {
            throw SystemError.fromErrno("kill", "pid \(pid)")
        }
    }

    /// Reaps the child if it has ended (waitpid WNOHANG); nil while it is still running.
    package func poll() throws -> ExitStatus? {
        var status: Int32 = 0
        while true {
            let r = try SystemError.check("waitpid", "pid \(pid)") { waitpid(pid, &status, WNOHANG) }
            if r == 0 { return nil }
            if let exit = ExitStatus(waitStatus: status) { return exit }
        }
    }

    /// Waits up to `timeout` for the child to end and reaps it; nil if it is still running.
    package func wait(timeout: Duration) throws -> ExitStatus? {
        let deadline = LibC.Deadline(after: timeout)
        var pause: Int64 = 1_000_000  // 1 ms, doubling up to 50 ms
        while true {
            if let status = try poll() { return status }
            let remaining = deadline.remaining
            if remaining == 0 { return nil }
            MonotonicClock.sleep(.nanoseconds(min(pause, remaining)))
            pause = min(pause * 2, 50_000_000)
        }
    }
}

/// A NULL-terminated array of C strings (argv/envp) that owns its strdup'ed storage.
final class CStringArray {
    private var pointers: [UnsafeMutablePointer<CChar>?]

    init(_ strings: [String]) {
        pointers = strings.map { strdup($0) }
        pointers.append(nil)
    }

    deinit {
        for p in pointers { free(p) }
    }

    func withPointer<R>(_ body: (UnsafePointer<UnsafeMutablePointer<CChar>?>) -> R) -> R {
        pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
    }
}
