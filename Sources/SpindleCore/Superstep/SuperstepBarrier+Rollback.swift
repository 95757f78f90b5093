extension SuperstepBarrier {
    // MARK: Full rollback

    /// Starts a full rollback of every partition (a confined recovery in progress is given up).
    mutating func rollBackEveryPartition(lost: WorkerID) -> [BarrierDirective] {
        recovery = nil
        stageMembers.removeAll()
        log = SuperstepLog()
        partitionEpochs = Array(repeating: epoch, count: settings.partitions)
        return verifyNewest(lost: lost)
    }

    /// Asks for the newest committed checkpoint to be verified, or rolls back to superstep 0 when none is left.
    mutating func verifyNewest(lost: WorkerID) -> [BarrierDirective] {
        guard let s = checkpoints.last else {
            awaiting = .nothing
            aggregates = identities
            globals = [:]
            return [.rollback(epoch: epoch, to: nil, lost: lost), addPrepare(restore: nil)]
        }
        awaiting = .verification(superstep: s, lost: lost)
        if settings.checkpointStore == .workers { return verifyReplicated(s) }
        return [.verifyCheckpoint(superstep: s)]
    }

    mutating func checkpointVerified(_ manifest: CheckpointManifest) -> [BarrierDirective] {
        guard case .verification(let s, let lost) = awaiting, manifest.superstep == s else { return [] }
        guard manifest.partitions == settings.partitions, manifest.aggregates.count == settings.aggregators.count else {
            return checkpointCorrupt(
                s, cause: "its manifest does not fit the job (\(manifest.partitions) partitions, \(manifest.aggregates.count) aggregates)")
        }
        awaiting = .nothing
        aggregates = manifest.aggregates
        globals = Dictionary(manifest.globals.map { ($0.first, $0.second) }, uniquingKeysWith: { _, last in last })
        return [.rollback(epoch: epoch, to: s, lost: lost), addPrepare(restore: manifest)]
    }

    /// A damaged checkpoint does not count: it is dropped (the replay writes it again) and the one before it is tried.
    mutating func checkpointCorrupt(_ superstep: Int, cause: String) -> [BarrierDirective] {
        guard case .verification(let s, let lost) = awaiting, superstep == s else { return [] }
        checkpoints.removeLast()
        replicated[s] = nil
        return [.record(.checkpointCorrupt(superstep: s, cause: cause)), .discardCheckpoint(superstep: s)] + verifyNewest(lost: lost)
    }
}
