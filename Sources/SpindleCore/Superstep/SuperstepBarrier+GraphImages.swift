extension SuperstepBarrier {
    // MARK: Graph images
    //
    // A job that keeps graph images has each prepare task that builds a partition from the load outputs write the
    // prepared partition to the checkpoint store once (checksummed, fsynced, renamed into place), and report it
    // (``PartitionReport/graphImage``). Once every partition's image is intact after the first prepare stage, the
    // load stage's outputs are released: the scheduler no longer runs a lost worker's load tasks again, and a
    // partition prepared after a loss (full or confined recovery) reads its image. A missing or damaged image
    // makes its prepare task fall back to the load outputs; the load tasks whose outputs were lost then run again
    // on demand (the fetch names them), the image is written anew, and event `graph_image_corrupt` says so.

    /// What to record and release after prepare stage `stage` completed: event `prepared` with where each
    /// partition's graph came from, and, the first time every partition's image is intact, the load stage.
    mutating func preparedGraphs(_ stage: Int) -> [BarrierDirective] {
        let tasks = committedTasks(of: stage)
        let images = tasks.enumerated().compactMap { p, task in task?.report.graphImage.map { (p, $0) } }
        guard !images.isEmpty else { return [] }
        var directives: [BarrierDirective] = [
            .record(
                .partitionsPrepared(
                    epoch: epoch, fromImage: images.filter { $0.1.source == .image }.map(\.0),
                    fromLoad: images.filter { $0.1.source == .loadOutputs }.map(\.0), held: images.filter { $0.1.source == .held }.map(\.0)))
        ]
        if !graphImages, images.count == settings.partitions, images.allSatisfy({ $0.1.intact }) {
            graphImages = true
            directives.append(.releaseStage(Self.loadStage))
        }
        return directives
    }
}
