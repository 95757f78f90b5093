/// The kinds of partition tasks of a superstep job; the first byte of every payload.
enum PartitionTaskKind: UInt8, Sendable {
    /// Parse a split of the input and shuffle what it yields to the partitions.
    case load = 1
    /// Build (or keep) a partition's state on its owner, or restore it from a checkpoint.
    case prepare = 2
    /// Run one superstep on a partition.
    case superstep = 3
    /// Write a partition's part file.
    case output = 4
    /// Learn, from every partition's routing, which local member each incoming message slot is for (jobs that
    /// resolve message targets).
    case resolve = 5
    /// Copy a partition's checkpoint files from the worker that wrote them (`--checkpoint-store workers`).
    case replicate = 6
}
