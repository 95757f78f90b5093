/// What a partition task (load, prepare, resolve, superstep, output) reports back. A member is what the
/// engine counts in a partition: a vertex in Pregel, the partition itself in BSP.
package struct PartitionReport: WireCodable, Sendable, Equatable {
    /// Bytes per destination partition of the task's output (load and superstep tasks).
    package var partitionSizes: [Int]
    package var members: Int
    /// Records loaded (load tasks) or held (prepare tasks; edges in Pregel).
    package var records: Int
    /// Members that did not vote to halt.
    package var activeMembers: Int
    package var messagesSent: Int
    package var aggregates: [Double]
    package var skippedRecords: Int
    /// This worker's copy of the partition's checkpoint files, when it wrote or copied them in
    /// ``CheckpointStoreMode/workers`` (a superstep that checkpoints, or a replicate task); nil otherwise.
    package var checkpoint: CheckpointCopy?
    /// What a prepare task did with the partition's graph image, when the job keeps them; nil otherwise.
    package var graphImage: GraphImageReport?

    package init(
        partitionSizes: [Int] = [], members: Int = 0, records: Int = 0, activeMembers: Int = 0, messagesSent: Int = 0, aggregates: [Double] = [],
        skippedRecords: Int = 0, checkpoint: CheckpointCopy? = nil, graphImage: GraphImageReport? = nil
    ) {
        self.partitionSizes = partitionSizes; self.members = members; self.records = records; self.activeMembers = activeMembers
        self.messagesSent = messagesSent; self.aggregates = aggregates; self.skippedRecords = skippedRecords
        self.checkpoint = checkpoint; self.graphImage = graphImage
    }
    package func encode(to w: inout WireWriter) {
        w.write(partitionSizes); w.write(members); w.write(records); w.write(activeMembers); w.write(messagesSent); w.write(aggregates);
        w.write(skippedRecords); w.write(checkpoint); w.write(graphImage)
    }
    package init(from r: inout WireReader) throws {
        partitionSizes = try r.read([Int].self); members = try r.read(Int.self); records = try r.read(Int.self); activeMembers = try r.read(Int.self)
        messagesSent = try r.read(Int.self); aggregates = try r.read([Double].self); skippedRecords = try r.read(Int.self)
        checkpoint = try r.read(CheckpointCopy?.self); graphImage = try r.read(GraphImageReport?.self)
    }
}
