import Dispatch
import Foundation
import SpindleCore
import SpindlePosix

/// Runs a job with its coordinator and N workers as threads of this process, over the in-memory transport
/// (``InProcessNetwork``): the same planning, scheduling, handshakes, messages, scratch directories,
/// exchange, checksums and output commit as `spindle run`, without processes or sockets (as timely's
/// `Config::Thread`). For fast engine tests; the multi-process mode stays the real thing.
///
/// Nothing process-wide is touched: no signal handlers are installed, no stale scratch directory of another
/// process is swept, and no thread calls `exit`. The run is quiet (no console lines).
enum InProcessCluster {
    /// Runs `spindle run ARGUMENTS` (the job's name first, then the same options) with `workers` worker
    /// threads instead of worker processes (`--workers`, `--listen` and `--expect-workers` are ignored).
    /// Returns when the job has ended and every worker has stopped.
    /// - Throws: ``UsageError`` or ``InputError`` for arguments `spindle run` would refuse.
    static func run(registry: JobRegistry, arguments: [String], workers: Int) throws -> JobOutcome {
        precondition(workers >= 1, "an in-process cluster needs at least one worker")
        let parsed = try ArgumentParser.parse(arguments, for: CommandSpecs.run)
        var options = try RunCommand(registry: registry, arguments: parsed).makeOptions()
        let network = try InProcessNetwork()
        options.inProcess = network
        options.localWorkers = 0
        options.expectWorkers = workers
        options.quiet = true
        let coordinator = try Coordinator(options: options)
        let stopped = DispatchGroup()
        for i in 1...workers {
            var workerOptions = WorkerOptions(coordinator: HostPort(host: InProcessNetwork.host, port: 0), secret: options.secret)
            workerOptions.inProcess = network
            workerOptions.messageLogMemory = options.messageLogMemory
            workerOptions.inProcessName = "in-process worker \(i)"
            let worker = WorkerProcess(options: workerOptions, registry: registry)
            stopped.enter()
            Thread {
                _ = worker.run()
                stopped.leave()
            }.start()
        }
        let outcome = coordinator.run()
        // Workers still waiting to be accepted (the job failed before they joined) see their link close.
        network.close()
        // Every worker was told to stop (or its link closed): each ends within its heartbeat timeout.
        _ = stopped.wait(timeout: .now() + .seconds(30))
        return outcome
    }
}
