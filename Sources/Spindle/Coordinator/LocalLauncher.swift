import Synchronization
import SpindleCore
import SpindlePosix

/// Spawns local worker processes of this same executable as direct children of the coordinator and
/// stops them at the end. Each child's stderr goes to a file in a scratch directory of the launcher's
/// (``ScratchDirectory``) so its tail can explain a crash; ``stopAll(grace:)`` removes that directory and
/// the scratch directories of children it had to kill.
final class LocalLauncher: Sendable {
    private struct Child: Sendable {
        var process: ChildProcess
        var stderrPath: String
        var exit: ExitStatus?
    }
    private let children = Mutex<[Child]>([])
    private let logDirectory: String
    private let executable: String
    private let coordinator: HostPort
    private let secret: [UInt8]
    private let connectTimeout: Duration
    private let messageLogMemory: Int

    init(
        coordinator: HostPort, secret: [UInt8], connectTimeout: Duration = RuntimeDefaults.connectTimeout,
        messageLogMemory: Int = MessageLogBudget.defaultLimit
    ) throws {
        self.logDirectory = try ScratchDirectory.create(prefix: ScratchDirectory.logPrefix)
        self.executable = SystemInfo.currentExecutablePath()
        self.coordinator = coordinator
        self.secret = secret
        self.connectTimeout = connectTimeout
        self.messageLogMemory = messageLogMemory
    }

    /// Starts `count` more worker processes.
    func spawn(_ count: Int) throws {
        for _ in 0..<count {
            let index = children.withLock { $0.count }
            let stderrPath = "\(logDirectory)/worker-\(index).stderr"
            let process = try ChildProcess.spawn(
                executable: executable,
                arguments: [
                    "worker", "--coordinator", coordinator.description, "--connect-timeout", DurationText.format(connectTimeout),
                    "--message-log-memory", String(messageLogMemory),
                ],
                environment: HugePages.childEnvironment().merging(
                    [RuntimeDefaults.secretEnvironment: String(decoding: secret, as: UTF8.self), "SPINDLE_LOCAL_WORKER": "1"]) { $1 },
                stderrPath: stderrPath)
            children.withLock { $0.append(Child(process: process, stderrPath: stderrPath)) }
        }
    }

    /// How many children have not been seen to exit: reaps those that have (waitpid WNOHANG) and records
    /// their exit status for ``describeExit(pid:wait:)``.
    func liveCount() -> Int {
        children.withLock { list in
            for i in list.indices where list[i].exit == nil {
                if let status = try? list[i].process.poll() { list[i].exit = status }
            }
            return list.filter { $0.exit == nil }.count
        }
    }

    /// How many children were started in all.
    var spawnedCount: Int { children.withLock { $0.count } }

    /// ``describeExit(pid:wait:)`` of the most recently started child that has exited; nil when none has.
    func describeLastExit() -> String? {
        guard let pid = children.withLock({ $0.last { $0.exit != nil }?.process.pid }) else { return nil }
        return describeExit(pid: pid, wait: .zero)
    }

    /// Whether `pid` is one of this launcher's children.
    func owns(pid: Int32) -> Bool { children.withLock { $0.contains { $0.process.pid == pid } } }

    /// Why child `pid` went away: its exit status (waiting up to `wait` for it) and the tail of its stderr.
    func describeExit(pid: Int32, wait: Duration = .milliseconds(300)) -> String? {
        guard let child = children.withLock({ $0.first { $0.process.pid == pid } }) else { return nil }
        var status = child.exit
        if status == nil { status = try? child.process.wait(timeout: wait) }
        if let status {
            children.withLock { list in
                if let i = list.firstIndex(where: { $0.process.pid == pid }) { list[i].exit = status }
            }
        }
        var text = status.map { "process \(pid) \($0)" } ?? "process \(pid) still running"
        if let tail = Self.tail(of: child.stderrPath), !tail.isEmpty { text += "; its stderr ended with: \(tail)" }
        return text
    }

    /// Stops every child: waits up to `grace` for them to exit (they were told to), sends the rest SIGTERM
    /// (so they remove their scratch) and, after one more second, SIGKILL.
    func stopAll(grace: Duration) {
        let deadline = MonotonicClock.now() + grace
        let list = children.withLock { $0 }
        var stubborn: [Child] = []
        for child in list where child.exit == nil {
            let left = deadline.duration(since: MonotonicClock.now())
            if (try? child.process.wait(timeout: left)) ?? nil == nil { stubborn.append(child) }
        }
        for child in stubborn { try? child.process.signal(Signal.terminate) }
        let termDeadline = MonotonicClock.now() + .seconds(1)
        for child in stubborn {
            let left = termDeadline.duration(since: MonotonicClock.now())
            if (try? child.process.wait(timeout: left)) ?? nil == nil {
                try? child.process.signal(Signal.kill)
                _ = try? child.process.wait(timeout: .seconds(2))
            }
        }
        // A child killed here (or by the kernel, or a user) could not remove its own scratch directory.
        ScratchDirectory.removeStale(owners: Set(list.map(\.process.pid)))
        try? ScratchDirectory.remove(logDirectory)
    }

    /// The last line or so of a file, at most 300 bytes, on one line.
    static func tail(of path: String) -> String? {
        guard let bytes = try? FileSystem.readFile(path), !bytes.isEmpty else { return nil }
        let text = String(decoding: bytes.suffix(300), as: UTF8.self)
        return text.split(separator: "\n").suffix(2).joined(separator: " | ").trimmingCharacters(in: " \n")
    }
}

extension String {
    func trimmingCharacters(in set: String) -> String {
        var s = Substring(self)
        while let c = s.first, set.contains(c) { s.removeFirst() }
        while let c = s.last, set.contains(c) { s.removeLast() }
        return String(s)
    }
}
