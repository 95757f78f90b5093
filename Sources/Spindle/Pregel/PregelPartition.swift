import SpindleCore

/// What a worker holds of a Pregel partition between tasks (inside a ``HostedPartition``): the graph, the
/// vertex values and halt flags after the last superstep this worker committed, and, for jobs with a
/// combiner, the resolved message routing and the reusable message slots.
///
/// A value: a superstep works on a copy, whose arrays are copied on their first write, so a failed attempt
/// leaves the committed values in place. The graph, the routing and the slots are shared, not copied.
struct PregelPartition<VertexValue, EdgeValue, Message: WireCodable & Sendable> {
    let graph: GraphPartition<EdgeValue>
    /// One per vertex; empty until superstep 0 initialises them (unless restored from a checkpoint).
    var values: [VertexValue]
    var halted: [Bool]
    /// Resolved message slots, for jobs with a combiner (made in prepare).
    var routing: MessageRouting?
    /// Local vertex of each incoming slot, per sending partition (learnt in resolve).
    var inbound: InboundRouting?
    /// The message slots of jobs with a combiner, allocated once per partition and epoch and reused every superstep.
    var slots: SuperstepSlots<Message>?
}
