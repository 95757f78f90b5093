/// What the shell needs to fold a superstep's aggregates and run master compute on the coordinator (user code,
/// so it runs outside the barrier): asked for by ``BarrierDirective/runMaster(_:)``.
package struct MasterRequest: Sendable, Equatable {
    /// The superstep that just ended.
    package var superstep: Int
    package var totalMembers: Int
    /// Members that did not vote to halt in the superstep.
    package var activeMembers: Int
    package var messagesSent: Int
    /// Each partition's partial aggregates, in partition order; fold them in this order from the identities.
    package var partials: [[Double]]
    /// The globals before master compute runs.
    package var globals: [String: Double]
}

/// What the shell learnt from folding the aggregates and running master compute, fed back with
/// ``BarrierInput/masterCompleted(_:)``.
package struct MasterResult: Sendable, Equatable {
    /// The superstep's folded aggregates, one per aggregator in declaration order.
    package var aggregates: [Double]
    /// The globals after master compute (unchanged without one).
    package var globals: [String: Double]
    /// Whether master compute asked to stop.
    package var halt: Bool

    package init(aggregates: [Double], globals: [String: Double], halt: Bool) {
        self.aggregates = aggregates
        self.globals = globals
        self.halt = halt
    }
}
