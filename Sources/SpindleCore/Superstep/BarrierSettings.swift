/// What a ``SuperstepBarrier`` knows of its job before it starts; fixed for the run.
package struct BarrierSettings: Sendable {
    /// Input splits: the load stage has one task per split.
    package var splits: Int
    /// Partitions (at least 1): every later stage has one task per partition.
    package var partitions: Int
    /// Supersteps between checkpoints (0: none); superstep `s` writes one when `(s + 1) % checkpointEvery == 0`.
    package var checkpointEvery: Int
    /// The job stops after this many supersteps (at least 1).
    package var maxSupersteps: Int
    /// The job's aggregator names, in declaration order (the order of every aggregate vector).
    package var aggregators: [String]
    /// Whether a resolve stage follows each prepare stage (Pregel jobs with a combiner).
    package var resolvesMessageTargets: Bool
    /// The engine's names for its counters and members.
    package var vocabulary: SuperstepVocabulary
    /// How the job recovers from a lost worker (default ``RecoveryMode/full``).
    package var recovery: RecoveryMode
    /// Where checkpoints are kept (default ``CheckpointStoreMode/output``).
    package var checkpointStore: CheckpointStoreMode

    package init(
        splits: Int, partitions: Int, checkpointEvery: Int, maxSupersteps: Int, aggregators: [String], resolvesMessageTargets: Bool,
        vocabulary: SuperstepVocabulary, recovery: RecoveryMode = .full, checkpointStore: CheckpointStoreMode = .output
    ) {
        precondition(splits >= 0 && partitions >= 1 && checkpointEvery >= 0, "settings out of range")
        self.splits = splits
        self.partitions = partitions
        self.checkpointEvery = checkpointEvery
        self.maxSupersteps = maxSupersteps
        self.aggregators = aggregators
        self.resolvesMessageTargets = resolvesMessageTargets
        self.vocabulary = vocabulary
        self.recovery = recovery
        self.checkpointStore = checkpointStore
    }

    /// Whether partitions log the messages they send: confined recovery of a job that checkpoints.
    package var logsMessages: Bool { recovery == .confined && checkpointEvery > 0 }

    /// Whether superstep `s` writes a checkpoint.
    package func checkpoints(_ s: Int) -> Bool { checkpointEvery > 0 && (s + 1) % checkpointEvery == 0 }
}
