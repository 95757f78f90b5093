import SpindleCore

extension SuperstepDriver {
    // MARK: Every worker lost
    //
    // The barrier moves a lost owner's partitions to a live worker; with none left it could only fail the job. But
    // the coordinator waits for workers to join (`--join-timeout`), and workers that lost the coordinator for a
    // moment (its link went down) rejoin as new members within `--coordinator-grace`. So the loss of the last
    // owner waits here, and reaches the barrier, with the new members as the live workers, once one can own
    // partitions: the job then recovers as from any loss (from the newest checkpoint it still has, else superstep 0).

    /// Keeps the loss of owner `worker` from the barrier when no healthy worker is left; true when it did.
    func deferLoss(of worker: WorkerID, control: any DriverControl) -> Bool {
        guard barrier.owners.contains(worker), control.healthyWorkers.isEmpty, !barrier.isOver else { return false }
        pendingLosses.append(worker)
        let held = barrier.owners.indices.filter { barrier.owners[$0] == worker }
        setup.events.record("partitions_waiting", [("lost", .int(Int(worker.rawValue))), ("partitions", .array(held.map { .int($0) }))])
        setup.console.log("every worker was lost: \(held.count) partition(s) wait for a worker to join (at most --join-timeout)")
        return true
    }

    /// Hands the deferred losses to the barrier once a worker that may own partitions is there (one that has
    /// reported its storage, when the store needs it).
    func workerJoined(_ worker: WorkerID, control: any DriverControl) throws {
        let healthy = control.healthyWorkers
        guard !pendingLosses.isEmpty, !healthy.isEmpty else { return }
        if awaitsWorkerStorage, healthy.contains(where: { control.storage(of: $0) == nil }) { return }
        let losses = pendingLosses
        pendingLosses = []
        for lost in losses {
            try feed(.workerLost(lost, liveWorkers: try ownerCandidates(control, placing: true)), control: control)
        }
    }
}
