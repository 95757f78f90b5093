extension SuperstepBarrier {
    // MARK: Graph images
    //
    // A job that keeps graph images has each prepare task that builds a partition from the load outputs hand the
    // prepared partition to its worker's background writer, which writes it to the checkpoint store (checksummed,
    // renamed into place, not fsynced) while the job goes on: the prepare task reports the image `pending`, and a
    // later task of the partition on that worker (resolve, superstep) reports it intact once the write ended
    // (``PartitionReport/graphImage``). The barrier accumulates the intact reports over every stage and epoch (an
    // image is the partition before any superstep, the same in every epoch, and a file renamed into place stays
    // whole): once every partition's image is intact, at the end of a prepare, resolve, superstep or replay stage,
    // the load stage's outputs are released, the scheduler no longer runs a lost worker's load tasks again, and a
    // partition prepared after a loss (full or confined recovery) reads its image. Until then a partition prepared
    // again (its worker lost, a write failed or still in progress) is rebuilt from the load outputs and its image
    // written anew. A missing or damaged image makes its prepare task fall back to the load outputs; the load
    // tasks whose outputs were lost then run again on demand (the fetch names them), the image is written anew,
    // and event `graph_image_corrupt` says so.

    /// What to record and release after prepare stage `stage` completed: event `prepared` with where each
    /// partition's graph came from, and the load stage when every partition's image is now known intact.
    mutating func preparedGraphs(_ stage: Int) -> [BarrierDirective] {
        let tasks = committedTasks(of: stage)
        let images = tasks.enumerated().compactMap { p, task in task?.report.graphImage.map { (p, $0) } }
        guard !images.isEmpty else { return [] }
        let directives: [BarrierDirective] = [
            .record(
                .partitionsPrepared(
                    epoch: epoch, fromImage: images.filter { $0.1.source == .image }.map(\.0),
                    fromLoad: images.filter { $0.1.source == .loadOutputs }.map(\.0), held: images.filter { $0.1.source == .held }.map(\.0)))
        ]
        return directives + releaseLoadStageOnceImagesAreIntact()
    }

    /// Notes that a committed task of partition `p` reported its image intact (any partition stage, any epoch).
    mutating func noteGraphImage(_ report: GraphImageReport?, partition p: Int) {
        guard let report, report.intact, !graphImages else { return }
        intactGraphImages.insert(p)
    }

    /// The load stage's release, the first time every partition's image is known intact (then ``graphImages``).
    mutating func releaseLoadStageOnceImagesAreIntact() -> [BarrierDirective] {
        guard !graphImages, intactGraphImages.count == settings.partitions else { return [] }
        graphImages = true
        intactGraphImages = []
        return [.releaseStage(Self.loadStage)]
    }
}
