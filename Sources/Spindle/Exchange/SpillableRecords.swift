/// Records held in memory for a ``PartitionedSpillBuffer``, whatever their store: a byte arena
/// (``RecordBuffer``), a table that combines equal keys, or columns of numbers encoded as records on the way
/// out. The store does the appending (its hot path stays its own); the spill buffer decides when and where it
/// is written.
protocol SpillableRecords {
    /// Records held; 0 exactly when the store is empty.
    var count: Int { get }
    /// Bytes held, counted against the spill buffer's memory budget.
    var byteCount: Int { get }
    /// Appends every record to `writer`: partitions in increasing order, keys within a partition in
    /// `ByteString.compare` order, records with equal keys in the order they were added.
    func write(to writer: PartitionedFileWriter) throws
    /// Removes every record, keeping the memory for reuse.
    func removeAll()
}

extension RecordBuffer: SpillableRecords {}
