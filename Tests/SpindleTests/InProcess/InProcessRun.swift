import Testing
import SpindleJobs
@testable import Spindle

/// Runs built-in jobs with their coordinator and workers as threads of the test process
/// (``InProcessCluster``), for the many parameter cases of the oracle suites.
enum InProcessRun {
    static let registry = JobRegistry(jobs: BuiltinJobs.all)

    /// Under ThreadSanitizer (`.ci/tsan` sets `TSAN_OPTIONS`) every thread runs 5-15x slower and shares the
    /// two cores with the other suites: a 2 s heartbeat timeout then declares healthy worker threads lost.
    /// The runs get this timeout instead, unless the arguments set their own.
    static let sanitizerHeartbeatTimeout = "60s"

    /// `arguments` with a long heartbeat timeout under ThreadSanitizer (see ``sanitizerHeartbeatTimeout``).
    static func adjusted(_ arguments: [String]) -> [String] {
        guard SanitizerRun.active, !arguments.contains("--heartbeat-timeout") else {
            return arguments
        }
        return arguments + ["--heartbeat-timeout", sanitizerHeartbeatTimeout]
    }

    /// Runs `spindle run ARGUMENTS` in-process with `workers` worker threads and expects success.
    @discardableResult
    static func run(_ arguments: [String], workers: Int) throws -> JobOutcome {
        let outcome = try InProcessCluster.run(registry: registry, arguments: adjusted(arguments), workers: workers)
        #expect(outcome == .succeeded, "in-process run of \(arguments.first ?? "?") with \(workers) worker(s)")
        return outcome
    }
}
