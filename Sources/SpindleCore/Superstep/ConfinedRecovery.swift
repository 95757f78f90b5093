/// A confined recovery in progress: which partitions recompute, from which checkpoint, and where they rejoin.
package struct ConfinedRecovery: Sendable, Equatable {
    /// The recovering partitions, in increasing order: the lost worker's, and those of a recovery it interrupted.
    package var partitions: [Int]
    /// The superstep of the checkpoint they restore.
    package var checkpoint: Int
    /// The superstep at which every partition runs again (one past the last superstep when the job had stopped:
    /// its output stage follows).
    package var rejoin: Int
    /// The worker whose loss started (or last widened) the recovery.
    package var lost: WorkerID
}
