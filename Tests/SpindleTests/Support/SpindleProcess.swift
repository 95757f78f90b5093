import Foundation
import SpindlePosix

/// Runs the real `spindle` executable (built next to the test bundle) as a child process.
struct SpindleProcess {
    /// The `spindle` binary in the same build directory as this test executable.
    static var executable: String {
        let me = SystemInfo.currentExecutablePath()
        var dir = (me as NSString).deletingLastPathComponent
        // Test bundles may live inside a .xctest directory.
        while dir.hasSuffix(".xctest") || dir.contains(".xctest/") { dir = (dir as NSString).deletingLastPathComponent }
        return dir + "/spindle"
    }

    let process: ChildProcess
    let stdoutPath: String
    let stderrPath: String

    /// Starts `spindle ARGS...` with extra environment variables; output goes to files in `directory`.
    static func start(_ arguments: [String], environment: [String: String] = [:], in directory: String, name: String = "spindle") throws -> SpindleProcess {
        let out = "\(directory)/\(name).stdout"
        let err = "\(directory)/\(name).stderr"
        let process = try ChildProcess.spawn(executable: executable, arguments: arguments, environment: environment, stdoutPath: out, stderrPath: err)
        return SpindleProcess(process: process, stdoutPath: out, stderrPath: err)
    }

    /// Waits for the process to end (killing it after `timeout`) and returns what it did.
    func finish(timeout: Duration = .seconds(120)) throws -> ProcessResult {
        var status = try process.wait(timeout: timeout)
        if status == nil {
            try process.signal(Signal.kill)
            status = try process.wait(timeout: .seconds(5))
        }
        return ProcessResult(
            status: status ?? .signaled(Signal.kill),
            stdout: (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "",
            timedOut: status == nil)
    }

    /// Runs `spindle ARGS...` to completion.
    static func run(_ arguments: [String], environment: [String: String] = [:], in directory: String, timeout: Duration = .seconds(120)) throws -> ProcessResult {
        try start(arguments, environment: environment, in: directory).finish(timeout: timeout)
    }
}

/// How a finished process ended and what it printed.
struct ProcessResult {
    var status: ExitStatus
    var stdout: String
    var stderr: String
    var timedOut: Bool
    var exitCode: Int32? {
        if case .exited(let code) = status { return code }
        return nil
    }
}

/// A scratch directory removed at the end of the test.
final class TemporaryDirectory {
    let path: String
    init() throws { path = try FileSystem.makeTemporaryDirectory(prefix: "spindle-test-") }
    deinit { if SystemInfo.environment("SPINDLE_KEEP_TEST_DIRS") == nil { try? FileSystem.removeTree(path) } }
    func file(_ name: String) -> String { "\(path)/\(name)" }
}

/// Whether process `pid` is gone (or a zombie).
func processIsGone(_ pid: Int32) -> Bool {
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return true }
    guard let close = stat.lastIndex(of: ")") else { return true }
    let state = stat[stat.index(close, offsetBy: 2)]
    return state == "Z" || state == "X"
}

/// Polls `condition` every 20 ms until it holds or `timeout` passes; returns whether it held.
func eventually(within timeout: Duration, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = MonotonicClock.nanoseconds() + UInt64(timeout.components.seconds) * 1_000_000_000 + UInt64(timeout.components.attoseconds / 1_000_000_000)
    while MonotonicClock.nanoseconds() < deadline {
        if try condition() { return true }
        MonotonicClock.sleep(.milliseconds(20))
    }
    return try condition()
}

/// Sends a signal to any process (not only our children).
func sendSignal(_ signal: Int32, to pid: Int32) {
    try? ChildProcess(pid: pid).signal(signal)
}
