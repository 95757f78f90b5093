/// A partitioned file a partition task wrote for other partitions to fetch through the exchange.
struct PartitionedOutput {
    var file: PartitionedFile
    /// Bytes of each destination partition's segment.
    var sizes: [Int]
    /// The file on disk, or nil when the output is held in memory.
    var path: String?
}
