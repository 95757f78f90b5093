/// What a ``PartitionProgram`` reports of one superstep of one partition.
struct SuperstepResult {
    /// The messages it sent, by destination partition.
    var messages: PartitionedOutput
    /// Members of the partition (vertices in Pregel, 1 in BSP).
    var members: Int
    /// Members that did not vote to halt.
    var activeMembers: Int
    var messagesSent: Int
    /// Messages read from the inbox, when the program counts them (0 otherwise).
    var messagesReceived: Int
    /// The partition's partial folds, one per aggregator.
    var aggregates: AggregatorValues
    /// Runs the outbox spilled to disk because the messages passed its memory budget.
    var spills = 0
}
