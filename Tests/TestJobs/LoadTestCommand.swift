import Foundation
import SpindleCore
import SpindlePosix
import SpindleTools

/// `spindle-testjobs loadtest [--workers N] [--tasks N] [--tasks-per-worker K] [--loops L] [--keep]`: a benchmark
/// of one coordinator under many workers. This executable's own `run noop` is the coordinator (a child process);
/// N simulated workers in this process join it over loopback with the real protocol and run its no-op tasks.
/// Prints the join time, tasks per second, the coordinator's CPU and peak memory, the heartbeat gaps and the
/// machine's load. A benchmark, not a test: `LoadTests` checks correctness.
enum LoadTestCommand {
    static func run(_ arguments: [String]) -> Int32 {
        var options: [String: String] = [:]
        var keep = false
        var i = 0
        while i < arguments.count {
            let name = arguments[i]
            if name == "--keep" {
                keep = true
                i += 1
                continue
            }
            guard ["--workers", "--tasks", "--tasks-per-worker", "--loops"].contains(name), i + 1 < arguments.count, Int(arguments[i + 1]) != nil else {
                SystemInfo.writeStandardError("loadtest: unknown option or bad value at '\(name)'; usage: loadtest [--workers N] [--tasks N] [--tasks-per-worker K] [--loops L] [--keep]\n")
                return 2
            }
            options[name] = arguments[i + 1]
            i += 2
        }
        do {
            let directory = try FileSystem.makeTemporaryDirectory(prefix: "spindle-loadtest-")
            defer { if !keep { try? FileSystem.removeTree(directory) } }
            var settings = LoadTestSettings(
                executable: SystemInfo.currentExecutablePath(), workers: Int(options["--workers"] ?? "1000")!,
                tasks: Int(options["--tasks"] ?? "200000")!, directory: directory)
            settings.tasksPerWorker = Int(options["--tasks-per-worker"] ?? "4")!
            settings.loops = Int(options["--loops"] ?? "1")!
            let result = try LoadTest.run(settings)
            print(describe(result, settings))
            if keep { print("kept \(directory)") }
            return result.exitCode == 0 && result.outputProblems.isEmpty && result.workersLost == 0 ? 0 : 1
        } catch {
            SystemInfo.writeStandardError("loadtest: \(error)\n")
            return 1
        }
    }

    static func describe(_ r: LoadTestResult, _ s: LoadTestSettings) -> String {
        let f = r.fleet
        let runSeconds = Double(f.lastTask &- f.firstTask) / 1e9
        let cpuRun = (r.cpuTotal?.cpuSeconds ?? 0) - r.cpuAtJoin
        func ms(_ d: Duration) -> String { String(format: "%.1f ms", d.seconds * 1000) }
        func ms(_ seconds: Double) -> String { String(format: "%.1f ms", seconds * 1000) }
        var lines: [String] = []
        lines.append(
            "load test: \(s.workers) simulated workers (\(s.loops) event loop(s)), \(s.tasks) no-op tasks, --tasks-per-worker \(s.tasksPerWorker)")
        lines.append(
            "coordinator exit code: \(r.exitCode.map(String.init) ?? "killed")" + (r.exitCode == 0 ? "" : "; stderr: \(r.coordinatorStderr)"))
        lines.append(
            "joined: \(f.joined) of \(s.workers) in \(String(format: "%.2f", f.joinSeconds)) s (\(f.retries) connection(s) retried); worker_joined events: \(r.workersJoined)")
        lines.append(
            "tasks: \(f.tasks) finished in \(String(format: "%.2f", runSeconds)) s: \(Int(f.tasksPerSecond)) tasks/s")
        lines.append(
            String(format: "coordinator CPU: %.2f s in all (user %.2f, sys %.2f), %.2f s while joining, %.2f s while running tasks (%.0f%% of one core)",
                r.cpuTotal?.cpuSeconds ?? 0, r.cpuTotal?.userSeconds ?? 0, r.cpuTotal?.systemSeconds ?? 0, r.cpuAtJoin, cpuRun,
                runSeconds > 0 ? 100 * cpuRun / runSeconds : 0))
        lines.append(
            "coordinator peak memory: \(r.peakResidentBytes >> 20) MiB")
        lines.append(
            "heartbeat gaps seen by the coordinator's monitor (any frame counts): " + (r.monitorGaps.map { "p50 \(ms($0.p50)), p99 \(ms($0.p99)), max \(ms($0.max))" } ?? "none recorded"))
        lines.append(
            "gaps between the coordinator's heartbeats at the workers: p50 \(ms(f.coordinatorBeatGaps.percentile(0.5))), p99 \(ms(f.coordinatorBeatGaps.percentile(0.99))), max \(ms(f.coordinatorBeatGaps.maximum))")
        lines.append(
            "lateness of the simulated workers' own heartbeats: p50 \(ms(f.heartbeatLateness.percentile(0.5))), p99 \(ms(f.heartbeatLateness.percentile(0.99))), max \(ms(f.heartbeatLateness.maximum))")
        lines.append(
            "worker_lost: \(r.workersLost); shutdowns: \(f.shutdowns); errors: \(f.errors.count)" + (f.errors.isEmpty ? "" : " (first: \(f.errors[0]))"))
        lines.append(
            "output: " + (r.outputProblems.isEmpty ? "every task committed exactly once" : r.outputProblems.joined(separator: "; ")))
        lines.append(
            "machine: \(SystemInfo.cpuCount()) core(s), load average \(r.loadBefore) before, \(r.loadAfter) after")
        if let most = f.tasksPerWorker.max(), let least = f.tasksPerWorker.min() { lines.insert("tasks per worker: \(least) to \(most)", at: 4) }
        return lines.joined(separator: "\n")
    }
}
