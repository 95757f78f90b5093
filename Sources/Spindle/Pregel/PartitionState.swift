import SpindleCore

/// A Pregel partition held by its owner between supersteps: the graph and the vertex values and halt flags
/// after the last committed superstep this worker ran.
final class PartitionState<VertexValue, EdgeValue>: @unchecked Sendable {  // Used by one task at a time (tasks of a worker run one after another).
    let graph: GraphPartition<EdgeValue>
    var values: [VertexValue]
    var halted: [Bool]
    /// The rollback epoch the values belong to.
    var epoch: Int
    /// The superstep whose results `values` hold (-1: not initialised).
    var superstep: Int
    /// Resolved message slots, for jobs with a combiner.
    var routing: MessageRouting?
    var inbound: InboundRouting?
    /// The message slots of jobs with a combiner (a `SuperstepSlots<Message>`), reused every superstep.
    var slots: AnyObject?
    /// Message outputs of this partition the worker's exchange serves, oldest first.
    var servedMessages: [(superstep: Int, attempt: AttemptID)] = []

    init(graph: GraphPartition<EdgeValue>, values: [VertexValue], halted: [Bool], epoch: Int, superstep: Int) {
        self.graph = graph
        self.values = values
        self.halted = halted
        self.epoch = epoch
        self.superstep = superstep
    }
}
