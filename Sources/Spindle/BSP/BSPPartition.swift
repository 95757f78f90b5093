import SpindleCore

/// A BSP partition held by its owner between supersteps: the state after the last superstep this worker
/// committed, and whether the partition voted to halt in it.
final class BSPPartition<State>: @unchecked Sendable {  // Used by one task at a time (tasks of a worker run one after another).
    var state: State
    var halted: Bool
    /// The rollback epoch the state belongs to.
    let epoch: Int
    /// The superstep whose result `state` is (-1: made by `makeState`, before superstep 0).
    var superstep: Int
    /// Message outputs of this partition the worker's exchange serves, oldest first, with the scratch file
    /// to delete once they are no longer needed (nil for a checkpoint's file, which the checkpoints prune).
    var servedMessages: [(superstep: Int, attempt: AttemptID, scratchFile: String?)] = []

    init(state: State, halted: Bool, epoch: Int, superstep: Int) {
        self.state = state
        self.halted = halted
        self.epoch = epoch
        self.superstep = superstep
    }
}
