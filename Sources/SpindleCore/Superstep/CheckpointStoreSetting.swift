/// What the user asked for with `spindle run --checkpoint-store`: a fixed ``CheckpointStoreMode``, or `auto`, which
/// the coordinator decides when the job starts from what every worker reported of its storage (``WorkerStorage``),
/// never assuming.
package enum CheckpointStoreSetting: String, Sendable, Equatable, CaseIterable {
    /// ``CheckpointStoreMode/output``, whatever the workers see.
    case output
    /// ``CheckpointStoreMode/workers``, whatever the workers see.
    case workers
    /// ``CheckpointStoreMode/output`` when every worker saw the coordinator's token in the output directory, else
    /// ``CheckpointStoreMode/workers`` (the default).
    case auto

    /// The mode this setting fixes, or nil for `auto`.
    package var fixed: CheckpointStoreMode? {
        switch self {
        case .output: .output
        case .workers: .workers
        case .auto: nil
        }
    }

    /// The store of a job started with these workers, one entry per worker: their reported storage, nil where a
    /// worker has not reported it (it is not taken to see the output). No worker: `output` (nothing to decide on;
    /// every later placement checks the worker it places on).
    package func decide(storages: [WorkerStorage?]) -> CheckpointStoreMode {
        if let fixed { return fixed }
        return storages.allSatisfy { $0?.seesOutput == true } ? .output : .workers
    }
}

extension CheckpointStoreMode {
    /// Whether a worker with `storage` (nil: not reported yet) may own partitions of a job that keeps its
    /// checkpoints in this mode: always with checkpoints kept by workers or without checkpoints; under the output
    /// directory only when the worker saw the coordinator's token there, since it writes and restores its
    /// partitions' checkpoint files at that path.
    package func mayOwnPartitions(_ storage: WorkerStorage?, checkpoints: Bool) -> Bool {
        self == .workers || !checkpoints || storage?.seesOutput == true
    }
}
