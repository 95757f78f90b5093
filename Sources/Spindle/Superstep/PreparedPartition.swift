import SpindleCore

/// What a ``PartitionProgram`` made of a partition in a prepare task.
struct PreparedPartition<State> {
    var state: State
    /// Members the partition holds (vertices in Pregel, 1 in BSP).
    var members: Int
    /// Records the partition holds (edges in Pregel).
    var records: Int
    /// An output every partition fetches in the next stage (Pregel's message routing), if any.
    var output: PartitionedOutput?
    /// What the program did with the partition's graph image (nil: the job keeps none, or the task needed none).
    var graphImage: GraphImageReport?
    /// The partition's image to write in the background (``GraphImageWriter``): `graphImage` then says where the
    /// graph came from, and the host reports the image pending.
    var imageWrite: GraphImageWriter.Write?

    init(state: State, members: Int, records: Int = 0, output: PartitionedOutput? = nil, graphImage: GraphImageReport? = nil) {
        self.state = state
        self.members = members
        self.records = records
        self.output = output
        self.graphImage = graphImage
    }
}
