/// Where a superstep job keeps its checkpoints (`spindle run --checkpoint-store`).
package enum CheckpointStoreMode: String, Sendable, Equatable, CaseIterable {
    /// Under the output directory's `_temporary/checkpoints`, which every host sees: the coordinator writes each
    /// checkpoint's manifest and verifies a checkpoint by reading its files before a rollback uses it.
    case output
    /// In the scratch directory of the worker that wrote each partition's files, copied to one other worker: the
    /// checkpoint commits when both copies report the same sizes and CRC32Cs, and the coordinator never reads a
    /// checkpoint file. For hosts without a shared file system.
    case workers
}
