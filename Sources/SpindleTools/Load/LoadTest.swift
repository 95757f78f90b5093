import Foundation
import Synchronization
import SpindleCore
import SpindlePosix

/// Settings of one load test: a real coordinator process running the ``NoopEngine`` job, and a ``WorkerFleet``.
package struct LoadTestSettings: Sendable {
    /// The executable whose `run noop` is the coordinator (one that registers ``NoopEngine/job``).
    package var executable: String
    package var workers: Int
    package var tasks: Int
    /// `--tasks-per-worker` of the coordinator.
    package var tasksPerWorker = 4
    /// The fleet's event loops.
    package var loops = 1
    /// A directory this test made, for the coordinator's output, event log and console files.
    package var directory: String
    /// How long the whole test may take.
    package var timeout: Duration = .seconds(600)
    /// The coordinator's `--join-timeout` (a debug build's handshakes are slow: tests give it longer).
    package var joinTimeout: Duration = .seconds(30)
    /// The coordinator's `--heartbeat-timeout` (nil: its default). The benchmark keeps the default; the test, which
    /// runs a debug build beside the whole suite on two cores, gives starved processes longer.
    package var heartbeatTimeout: Duration?

    package init(executable: String, workers: Int, tasks: Int, directory: String) {
        self.executable = executable
        self.workers = workers
        self.tasks = tasks
        self.directory = directory
    }
}

/// What a load test measured and checked.
package struct LoadTestResult: Sendable {
    package var fleet: FleetReport
    /// The coordinator's exit code (nil: killed after the timeout).
    package var exitCode: Int32?
    package var coordinatorStderr: String
    /// The coordinator's CPU seconds once every worker had joined, and at its end.
    package var cpuAtJoin: Double
    package var cpuTotal: ProcessSample?
    /// The coordinator's peak resident bytes (the largest VmHWM seen).
    package var peakResidentBytes: Int
    /// `worker_lost` events in the coordinator's event log.
    package var workersLost: Int
    /// `worker_joined` events.
    package var workersJoined: Int
    /// The `heartbeat_gaps` event: p50, p99 and max seconds of silence the coordinator's heartbeat monitor saw end.
    package var monitorGaps: (p50: Double, p99: Double, max: Double)?
    /// Why the output does not show every task committed exactly once; empty when it does.
    package var outputProblems: [String]
    /// The machine's load averages before and after.
    package var loadBefore: String
    package var loadAfter: String
}

/// Runs a load test: starts `EXECUTABLE run noop --listen 127.0.0.1:0 --workers 0 --expect-workers N ...` as a
/// child process, lets a ``WorkerFleet`` of N simulated workers join it and run the job's tasks, samples the
/// coordinator's CPU and memory from `/proc`, then checks its output and event log.
package enum LoadTest {
    package static func run(_ settings: LoadTestSettings) throws -> LoadTestResult {
        let loadBefore = ProcessSample.loadAverage()
        let openFiles = try ResourceLimits.raiseOpenFilesToHardLimit()
        guard openFiles >= settings.workers + 64 else {
            throw LoadTestError(
                "\(settings.workers) simulated workers need \(settings.workers + 64) descriptors, but the open-file limit (RLIMIT_NOFILE) is \(openFiles); raise it with `ulimit -n` or use fewer workers")
        }
        let secret = SecureRandom.bytes(24).map { String($0, radix: 16) }.joined()
        let dir = settings.directory
        let events = dir + "/events.jsonl"
        let arguments = [
            "run", "noop", "--param", "tasks=\(settings.tasks)", "--listen", "127.0.0.1:0", "--workers", "0",
            "--expect-workers", "\(settings.workers)", "--tasks-per-worker", "\(settings.tasksPerWorker)", "--output", dir + "/out",
            "--event-log", events, "--ui", "off", "--quiet", "--join-timeout", DurationText.format(settings.joinTimeout),
        ] + (settings.heartbeatTimeout.map { ["--heartbeat-timeout", DurationText.format($0)] } ?? [])
        let coordinator = try ChildProcess.spawn(
            executable: settings.executable, arguments: arguments, environment: ["SPINDLE_SECRET": secret],
            stdoutPath: dir + "/coordinator.stdout", stderrPath: dir + "/coordinator.stderr")
        var exit: ExitStatus?
        defer { if exit == nil { try? coordinator.signal(Signal.kill); _ = try? coordinator.wait(timeout: .seconds(5)) } }
        guard let address = waitForAddress(events, coordinator: coordinator) else {
            exit = try coordinator.wait(timeout: .seconds(5))
            throw LoadTestError("the coordinator did not start listening: \(stderr(of: dir))")
        }
        var fleetSettings = FleetSettings(coordinator: address, secret: Array(secret.utf8), workers: settings.workers)
        fleetSettings.loops = settings.loops
        fleetSettings.timeout = settings.timeout
        let fleet = WorkerFleet(settings: fleetSettings)
        let outcome = Mutex<Result<FleetReport, any Error>?>(nil)
        let done = DispatchSemaphore(value: 0)
        Thread {
            let result = Result { try fleet.run() }
            outcome.withLock { $0 = result }
            done.signal()
        }.start()
        var cpuAtJoin = 0.0
        var peak = 0
        var last: ProcessSample?
        while done.wait(timeout: .now() + .milliseconds(50)) == .timedOut {
            if let sample = ProcessSample.read(pid: coordinator.pid) {
                peak = max(peak, sample.peakResidentBytes)
                if sample.state != "Z" { last = sample }
                if cpuAtJoin == 0 && fleet.joinedCount >= settings.workers { cpuAtJoin = sample.cpuSeconds }
            }
        }
        let report = try outcome.withLock { $0! }.get()
        // Read the zombie's final CPU times before reaping it.
        let deadline = MonotonicClock.now() + .seconds(60)
        while MonotonicClock.now() < deadline, let sample = ProcessSample.read(pid: coordinator.pid) {
            peak = max(peak, sample.peakResidentBytes)
            last = sample
            if sample.state == "Z" { break }
            MonotonicClock.sleep(.milliseconds(20))
        }
        exit = try coordinator.wait(timeout: .seconds(30))
        let log = (try? FileSystem.readFile(events)).map { String(decoding: $0, as: UTF8.self) } ?? ""
        return LoadTestResult(
            fleet: report, exitCode: exit.flatMap { if case .exited(let code) = $0 { code } else { nil } }, coordinatorStderr: stderr(of: dir),
            cpuAtJoin: cpuAtJoin, cpuTotal: last, peakResidentBytes: peak, workersLost: count("worker_lost", in: log),
            workersJoined: count("worker_joined", in: log), monitorGaps: heartbeatGaps(in: log),
            outputProblems: checkOutput(dir + "/out/part-00000", tasks: settings.tasks),
            loadBefore: loadBefore, loadAfter: ProcessSample.loadAverage())
    }

    /// Reads the coordinator's address from its `coordinator_listening` event (it listens on a free port).
    private static func waitForAddress(_ events: String, coordinator: ChildProcess) -> HostPort? {
        let deadline = MonotonicClock.now() + .seconds(30)
        while MonotonicClock.now() < deadline {
            if let bytes = try? FileSystem.readFile(events) {
                for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") where line.contains("\"coordinator_listening\"") {
                    if let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                        let address = object["address"] as? String
                    {
                        return HostPort.parse(address)
                    }
                }
            }
            if (try? coordinator.poll()) != nil { return nil }
            MonotonicClock.sleep(.milliseconds(20))
        }
        return nil
    }

    private static func count(_ event: String, in log: String) -> Int {
        log.split(separator: "\n").count { $0.contains("\"event\":\"\(event)\"") }
    }

    private static func heartbeatGaps(in log: String) -> (p50: Double, p99: Double, max: Double)? {
        guard let line = log.split(separator: "\n").last(where: { $0.contains("\"event\":\"heartbeat_gaps\"") }),
            let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
            let p50 = (object["p50"] as? NSNumber)?.doubleValue, let p99 = (object["p99"] as? NSNumber)?.doubleValue,
            let max = (object["max"] as? NSNumber)?.doubleValue
        else { return nil }
        return (p50, p99, max)
    }

    /// Checks `part-00000` of the `noop` job: one line per task, in task order, each naming its committed attempt.
    package static func checkOutput(_ path: String, tasks: Int) -> [String] {
        guard let bytes = try? FileSystem.readFile(path) else { return ["\(path) is missing"] }
        var problems: [String] = []
        var attempts = Set<Substring>()
        let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n")
        if lines.count != tasks { problems.append("\(lines.count) lines for \(tasks) tasks") }
        for (i, line) in lines.enumerated() {
            let fields = line.split(separator: "\t")
            if fields.count != 3 || fields[0] != "\(i)" {
                problems.append("line \(i + 1) is '\(line)', not task \(i)")
            } else if !attempts.insert(fields[1]).inserted {
                problems.append("attempt \(fields[1]) committed two tasks")
            }
            if problems.count > 10 { break }
        }
        return problems
    }

    private static func stderr(of dir: String) -> String {
        (try? FileSystem.readFile(dir + "/coordinator.stderr")).map { String(decoding: $0, as: UTF8.self) } ?? ""
    }
}

/// A load test could not run; the message says why and what to do.
package struct LoadTestError: Error, CustomStringConvertible {
    package var description: String
    init(_ description: String) { self.description = description }
}
