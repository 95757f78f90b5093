/// How a superstep job recovers when a worker holding partitions dies (`spindle run --recovery`).
package enum RecoveryMode: String, Sendable, Equatable, CaseIterable {
    /// Only the lost partitions go back to the newest checkpoint and recompute, on the survivors, from the
    /// messages the other partitions logged; the others keep their state. Falls back to ``full`` when no
    /// checkpoint is committed yet, the newest one is damaged, or a needed message log was lost.
    case confined
    /// Every partition rolls back to the newest checkpoint (or to superstep 0).
    case full
}
