/// The jobs an executable knows, by name. Coordinator and workers run the same executable, so they
/// resolve a job name to the same closures.
package struct JobRegistry: Sendable {
    package let jobs: [Job]

    /// - Precondition: job names are unique.
    package init(jobs: [Job]) {
        var seen = Set<String>()
        for job in jobs { precondition(seen.insert(job.name).inserted, "two jobs are named '\(job.name)'") }
        self.jobs = jobs
    }

    package func job(named name: String) -> Job? { jobs.first { $0.name == name } }
}
