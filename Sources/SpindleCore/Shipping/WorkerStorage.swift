/// What one worker can see of the job's files, decided by checking (``StorageCheck``), never assumed.
///
/// `readsInputs` false: the worker gets every input split's bytes from the coordinator (input shipping).
/// `seesOutput` false: the worker writes its part files (and anything else meant for the output directory) to
/// its own scratch space and streams them back to the coordinator, which commits them (output shipping).
/// Other parts of the runtime key their own choices on it (for example where graph checkpoints are kept).
package struct WorkerStorage: Sendable, Equatable, CustomStringConvertible {
    /// The worker reads every input file at its path, with the identity the coordinator recorded.
    package var readsInputs: Bool
    /// The worker sees the coordinator's output directory (it found the coordinator's token there).
    package var seesOutput: Bool

    package init(readsInputs: Bool, seesOutput: Bool) {
        self.readsInputs = readsInputs
        self.seesOutput = seesOutput
    }

    /// A worker that shares the coordinator's file system (the only case before shipping existed).
    package static let shared = WorkerStorage(readsInputs: true, seesOutput: true)

    /// "shared inputs, shipped output" and the like, for log lines.
    package var description: String {
        "\(readsInputs ? "shared" : "shipped") inputs, \(seesOutput ? "shared" : "shipped") output"
    }
}
