import SpindleCore

/// The engine-specific part of a superstep job, which a ``PartitionHost`` runs on workers: how a partition's
/// state is made, what one superstep computes on it and which messages it writes, how the state goes into a
/// checkpoint and how it becomes the partition's part file. Everything around that (finding and checking the
/// held partition, the inbox, aggregates and globals, checkpoint files, serving and releasing message outputs,
/// the report) is the host's.
protocol PartitionProgram {
    /// What a worker holds of a partition between tasks. The host hands ``superstep(_:_:context:)`` a copy
    /// and keeps the last committed one until the task succeeds, so a value type (or one whose mutation
    /// copies, as arrays do) keeps a failed attempt from leaving a half-computed state behind.
    associatedtype State

    /// The aggregators the job declares, in order.
    var aggregators: [Aggregator] { get }

    /// Whether fetched messages are kept in memory, in which case the host also starts fetching the messages
    /// of the partition this worker runs next (`PartitionTask.ahead`).
    var keepsInboxInMemory: Bool { get }

    /// Makes partition `task.partition`'s state from the load outputs (`task.loadSources`), or restores it
    /// from the checkpoint state file `task.restoreStatePath`. `previous` is what this worker held for the
    /// partition before, in an older epoch (parts of it may be reused).
    func prepare(_ task: PartitionTask, previous: State?, context: TaskContext) throws -> PreparedPartition<State>

    /// Learns how incoming message slots map to local members (the `resolve` stage of jobs that resolve
    /// message targets); returns the number of members. The default fails: most programs have no such stage.
    func resolve(_ state: inout State, _ task: PartitionTask, context: TaskContext) throws -> Int

    /// Runs one superstep on `state`: reads `input.inbox`, computes, and writes the messages it sends. When
    /// `input.checkpointing`, the messages MUST be written to the file `input.messagesPath` (the host fsyncs it).
    func superstep(_ state: inout State, _ input: SuperstepInput, context: TaskContext) throws -> SuperstepResult

    /// Writes `state` to the checkpoint state file at `path` through ``CheckpointStore`` (atomically, fsynced).
    func writeCheckpoint(_ state: State, to path: String) throws

    /// Writes the partition's result lines to `writer`; returns the number of members written.
    func output(_ state: State, partition: Int, to writer: OutputLineWriter, context: TaskContext) throws -> Int
}

extension PartitionProgram {
    func resolve(_ state: inout State, _ task: PartitionTask, context: TaskContext) throws -> Int {
        throw TaskFailure("partition \(task.partition) got a resolve task, but this job does not resolve message targets")
    }
}
