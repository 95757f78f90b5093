/// The jobs an executable knows, by name. Coordinator and workers run the same executable, so they
/// resolve a job name to the same closures.
public struct JobRegistry: Sendable {
    public let jobs: [Job]

    /// - Precondition: job names are unique.
    public init(jobs: [Job]) {
        var seen = Set<String>()
        for job in jobs { precondition(seen.insert(job.name).inserted, "two jobs are named '\(job.name)'") }
        self.jobs = jobs
    }

    public func job(named name: String) -> Job? { jobs.first { $0.name == name } }
}

extension Job {
    /// The demo job `checksum` (CRC32C and line count per input split).
    public static var checksum: Job { ChecksumEngine.job }
}
