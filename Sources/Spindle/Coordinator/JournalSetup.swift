import SpindleCore
import SpindlePosix

/// Planning a run's journal and checking a `--resume` against it, before any worker starts.
enum JournalSetup {
    /// The plan of the run `options` describe: its split size, reduce and graph partitions as the drivers resolve
    /// them (``InputSplitter/defaultSplitSize(totalBytes:workers:)``, 2 reducers and 4 partitions per worker).
    static func plan(_ options: CoordinatorOptions) -> JobPlan {
        let workers = max(options.expectWorkers, 1)
        let total = options.inputs.reduce(0) { $0 + $1.size }
        let splitSize = options.splitSize ?? InputSplitter.defaultSplitSize(totalBytes: total, workers: workers)
        return JobPlan(
            job: options.job.name, parameters: options.parameters.pairs,
            inputs: options.inputs.map { JobPlan.Input(path: $0.path, identity: $0.identity) }, splitSize: splitSize,
            splits: InputSplitter.split(options.inputs, splitSize: splitSize).count, reducers: options.reducers ?? max(1, workers * 2),
            partitions: options.partitions ?? max(1, 4 * workers), checkpointEvery: options.checkpointEvery, maxSupersteps: options.maxSupersteps,
            checkpointStore: options.checkpointStore)
    }

    /// Reads the journal in `options.output`, replays it and checks that this run may resume it; on success
    /// `options` takes over the journaled plan (split size, reducers, partitions) and ``CoordinatorOptions/resume``.
    /// - Parameter explicit: which of `split-size`, `reducers`, `partitions`, `checkpoint-store` were given on the
    ///   command line (only those must match the journal; the store a resumed run uses is always the journal's).
    /// - Throws: ``UsageError``, one sentence: the journal cannot be read, is not one, belongs to another job, or
    ///   the inputs or parameters changed.
    static func loadResume(_ options: inout CoordinatorOptions, explicit: Set<String>) throws(UsageError) {
        let shown = options.output.directory
        let path = CoordinatorJournal.path(in: options.output)
        let resume: ResumePlan
        do {
            resume = try ResumePlan(records: try CoordinatorJournal.read(at: path).records)
        } catch {
            throw UsageError("cannot resume the run in '\(shown)': its journal \(path) is unusable (\(error)); start over with --overwrite")
        }
        if let refusal = resume.plan.refusal(toResumeAs: plan(options), explicit: explicit) {
            throw UsageError("cannot resume the run in '\(shown)': \(refusal); run it as it was run, or start over with --overwrite")
        }
        if explicit.contains("checkpoint-store"), let fixed = options.checkpointStore.fixed, let kept = resume.checkpointStore, fixed != kept {
            throw UsageError(
                "cannot resume the run in '\(shown)': it kept its checkpoints with --checkpoint-store \(kept.rawValue), not \(fixed.rawValue); "
                    + "run it as it was run, or start over with --overwrite")
        }
        options.splitSize = resume.plan.splitSize
        options.reducers = resume.plan.reducers
        options.partitions = resume.plan.partitions
        options.resume = resume
    }
}
