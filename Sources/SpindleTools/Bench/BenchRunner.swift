import Spindle
import SpindleCore
import SpindlePosix

/// Runs and times the child processes of a benchmark: `spindle run` at a worker count, or the baseline.
///
/// Wall time is taken with the monotonic clock around the whole child, from just before it is spawned
/// to the moment it is reaped. Every file a run leaves (output, event log, stdout, stderr) lives in
/// `scratch` and is removed once the run has been read, except the event log, which the caller removes
/// unless it reports the run (``BenchCommand`` keeps the fastest run's per worker count).
struct BenchRunner {
    /// What to run.
    let settings: BenchSettings
    /// The `spindle` executable (this process's own).
    let executable: String
    /// A private directory for the runs' files.
    let scratch: String
    /// `/usr/bin/time` when it exists: it wraps the baseline to report its peak resident set.
    let timeProgram: String?

    /// The pause between polls for a child's exit, which bounds the error of its wall time: 1/500 of the
    /// time it has run so far, between 1 ms and 10 ms (at most 0.2% of a run longer than half a second).
    static func pollInterval(afterNanoseconds elapsed: UInt64) -> Duration {
        .nanoseconds(Int64(min(max(elapsed / 500, 1_000_000), 10_000_000)))
    }
    /// Lines of a failed run's stderr shown to the user.
    static let stderrTailLines = 15

    /// Runs `spindle run JOB --workers workers ...` once and reads its `_SUCCESS`.
    /// - Throws: `UsageError` when the run rejects its arguments (exit code 2), `BenchFailure` when it
    ///   fails otherwise or leaves no readable `_SUCCESS`.
    func runSpindle(workers: Int, repeatIndex: Int) throws -> BenchRun {
        let tag = "n\(workers)-r\(repeatIndex)"
        let output = "\(scratch)/out-\(tag)"
        let eventLog = "\(scratch)/events-\(tag).jsonl"
        let stdoutPath = "\(scratch)/run-\(tag).stdout", stderrPath = "\(scratch)/run-\(tag).stderr"
        let arguments = settings.spindleRunArguments(workers: workers, output: output, eventLog: eventLog)
        let (status, seconds) = try Self.timed {
            try ChildProcess.spawn(executable: executable, arguments: arguments, stdoutPath: stdoutPath, stderrPath: stderrPath)
        }
        let what = "spindle run \(settings.job) --workers \(workers) (run \(repeatIndex))"
        if status == .exited(2) {
            // The run refused its arguments or input before starting: the user's to fix.
            let message = Self.tail(of: stderrPath, lines: 1).first ?? "\(what) exited with code 2"
            let prefix = "\(ProgramName.current): "
            throw UsageError(message.hasPrefix(prefix) ? String(message.dropFirst(prefix.count)) : message)
        }
        guard status == .exited(0) else { throw Self.failure(what, status, stderrPath: stderrPath) }
        let success: [UInt8]
        do {
            success = try FileSystem.readFile("\(output)/_SUCCESS")
        } catch {
            throw BenchFailure("\(what) succeeded but its _SUCCESS could not be read: \(error)")
        }
        var run = try BenchRun.spindle(workers: workers, repeatIndex: repeatIndex, wallSeconds: seconds, success: success)
        run.eventLog = FileSystem.exists(eventLog) ? eventLog : nil
        try FileSystem.removeTree(output)
        for path in [stdoutPath, stderrPath] { try? FileSystem.unlink(path) }
        return run
    }

    /// Runs the baseline command once with `/bin/sh -c`, its stdout discarded, and measures its peak memory.
    /// - Throws: `BenchFailure` when the command fails.
    func runBaseline(repeatIndex: Int) throws -> BenchRun {
        guard let command = settings.baselineCommand else { preconditionFailure("runBaseline without a baseline command") }
        let stderrPath = "\(scratch)/baseline-r\(repeatIndex).stderr"
        let shell = ["/bin/sh", "-c", command]
        let (executable, arguments) = timeProgram.map { ($0, ["-f", "%M"] + shell) } ?? (shell[0], Array(shell.dropFirst()))
        let childrenPeakBefore = SystemInfo.peakResidentBytesOfChildren()
        let (status, seconds) = try Self.timed {
            try ChildProcess.spawn(executable: executable, arguments: arguments, stdoutPath: "/dev/null", stderrPath: stderrPath)
        }
        guard status == .exited(0) else {
            // time(1)'s own last line (the peak memory) says nothing about the failure.
            throw Self.failure("the baseline '\(command)' (run \(repeatIndex))", status, stderrPath: stderrPath, dropLast: timeProgram == nil ? 0 : 1)
        }
        var run = BenchRun(kind: .baseline, workers: nil, repeatIndex: repeatIndex, wallSeconds: seconds)
        if timeProgram != nil {
            // time(1) prints %M (KiB) as the last line of stderr, after the command's own.
            run.peakMemory = Self.tail(of: stderrPath, lines: 1).first.flatMap { Int($0) }.map { .init(process: $0 * 1024) }
        } else {
            // Without time(1), RUSAGE_CHILDREN only tells when this run raised the largest peak so far.
            let after = SystemInfo.peakResidentBytesOfChildren()
            if after > childrenPeakBefore { run.peakMemory = .init(process: after) }
        }
        try? FileSystem.unlink(stderrPath)
        return run
    }

    /// `/usr/bin/time` if it is there, else nil.
    static func findTimeProgram() -> String? {
        FileSystem.exists("/usr/bin/time") ? "/usr/bin/time" : nil
    }

    /// Spawns a child with `start`, waits for it, and returns how it ended and the seconds it took.
    private static func timed(_ start: () throws -> ChildProcess) throws -> (ExitStatus, Double) {
        let started = MonotonicClock.nanoseconds()
        let child = try start()
        var status = try child.poll()
        while status == nil {
            MonotonicClock.sleep(pollInterval(afterNanoseconds: MonotonicClock.nanoseconds() - started))
            status = try child.poll()
        }
        let ended = MonotonicClock.nanoseconds()
        return (status!, Double(ended - started) / 1e9)
    }

    /// A failure naming `what`, how it ended and the end of its stderr.
    private static func failure(_ what: String, _ status: ExitStatus, stderrPath: String, dropLast: Int = 0) -> BenchFailure {
        let tail = tail(of: stderrPath, lines: stderrTailLines + dropLast).dropLast(dropLast)
        let shown = tail.isEmpty ? " (its stderr is empty)" : "; the end of its stderr:\n" + tail.map { "  " + $0 }.joined(separator: "\n")
        return BenchFailure("bench aborted: \(what) \(status)\(shown)")
    }

    /// The last `lines` non-empty lines of the file at `path`; empty when it cannot be read.
    static func tail(of path: String, lines: Int) -> [String] {
        guard let bytes = try? FileSystem.readFile(path) else { return [] }
        let text = String(decoding: bytes, as: UTF8.self)
        return Array(text.split(separator: "\n").map { String($0) }.filter { !$0.allSatisfy(\.isWhitespace) }.suffix(lines))
    }
}
