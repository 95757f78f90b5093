import SpindleCore
/// A partition a worker holds between the tasks of a superstep job: the program's state after the last
/// superstep this worker committed, and the message outputs the worker's exchange serves for it.
final class HostedPartition<State>: @unchecked Sendable {  // Used by one task at a time (tasks of a worker run one after another).
    var state: State
    /// The rollback epoch the state belongs to.
    let epoch: Int
    /// The superstep whose result `state` is (-1: prepared, before superstep 0).
    var superstep: Int
    /// Outputs of this partition the worker's exchange serves, oldest first: the superstep that needs them
    /// last is `superstep + 1`; `scratchFile` is deleted once they are released (nil for an output held in
    /// memory or for a checkpoint's file, which the checkpoints prune).
    var served: [(superstep: Int, attempt: AttemptID, scratchFile: String?)] = []

    init(state: State, epoch: Int, superstep: Int) {
        self.state = state
        self.epoch = epoch
        self.superstep = superstep
    }
}
