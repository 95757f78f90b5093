import Testing
import SpindleJobs
@testable import Spindle

/// Runs built-in jobs with their coordinator and workers as threads of the test process
/// (``InProcessCluster``), for the many parameter cases of the oracle suites.
enum InProcessRun {
    static let registry = JobRegistry(jobs: BuiltinJobs.all)

    /// Runs `spindle run ARGUMENTS` in-process with `workers` worker threads and expects success.
    @discardableResult
    static func run(_ arguments: [String], workers: Int) throws -> JobOutcome {
        let outcome = try InProcessCluster.run(registry: registry, arguments: arguments, workers: workers)
        #expect(outcome == .succeeded, "in-process run of \(arguments.first ?? "?") with \(workers) worker(s)")
        return outcome
    }
}
