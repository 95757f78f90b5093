/// What a ``PartitionHost`` hands a ``PartitionProgram`` for one superstep of one partition.
struct SuperstepInput {
    /// The task (partition, superstep, vertex total, whether to initialise values).
    let task: PartitionTask
    /// The messages sent to the partition in the previous superstep (or restored from a checkpoint).
    let inbox: SuperstepInbox
    /// The aggregators' values folded over the previous superstep (their identities in the first one).
    let aggregates: AggregatorValues
    /// Master compute's globals.
    let globals: [String: Double]
    /// Where the messages go when they are written to a file: the checkpoint's message file when
    /// `checkpointing`, else a scratch file of the attempt.
    let messagesPath: String
    /// Whether this superstep is checkpointed: the messages MUST then be written to `messagesPath`.
    let checkpointing: Bool
}
