import SpindleCore

extension SuperstepDriver {
    // MARK: Checkpoints kept by workers (`--checkpoint-store workers`)

    var keepsCheckpointsOnWorkers: Bool { barrier.settings.checkpointStore == .workers }

    /// The checkpoint plan every partition task carries in workers mode (the checkpoints its worker may keep); nil
    /// when checkpoints live under the output directory.
    func workerCheckpointPlan() -> WorkerCheckpointPlan? {
        keepsCheckpointsOnWorkers ? WorkerCheckpointPlan(kept: barrier.checkpoints) : nil
    }

    /// Where partition `partition`'s copy of the committed checkpoint of `superstep` is read from: the worker
    /// `preferring` when it holds one, else another holder.
    func checkpointHolder(superstep: Int, partition: Int, preferring worker: WorkerID?) -> CheckpointHolder? {
        guard let checkpoint = barrier.replicated[superstep], let holder = checkpoint.holder(of: partition, preferring: worker),
            let address = exchangeAddresses[holder]
        else { return nil }
        return CheckpointHolder(
            host: address.host, port: address.port, superstep: superstep, partition: partition, copy: checkpoint.copies[partition],
            messageSizes: checkpoint.messageSizes[partition])
    }

    /// Where partition `partition` reads the messages of the committed checkpoint of `superstep` (one source per
    /// sending partition, from a holder of its message file, this partition's owner when it holds one).
    func checkpointMessageSources(superstep: Int, for partition: Int) -> [SegmentSource] {
        let owner = barrier.owners.indices.contains(partition) ? barrier.owners[partition] : nil
        return (0..<partitions).compactMap { q in
            guard let holder = checkpointHolder(superstep: superstep, partition: q, preferring: owner) else { return nil }
            return SegmentSource(
                producer: q, attempt: CheckpointReplica.messagesID(superstep: superstep, partition: q), host: holder.host, port: holder.port,
                bytes: holder.messageSizes.indices.contains(partition) ? holder.messageSizes[partition] : 0)
        }
    }

    /// The holder a replicate task of partition `partition` copies from: the worker that wrote the pending checkpoint.
    func replicationSource(partition: Int) -> CheckpointHolder? {
        guard let pending = barrier.pendingReplication, pending.writers.indices.contains(partition),
            let address = exchangeAddresses[pending.writers[partition]]
        else { return nil }
        return CheckpointHolder(
            host: address.host, port: address.port, superstep: pending.superstep, partition: partition, copy: pending.copies[partition],
            messageSizes: pending.messageSizes[partition])
    }

    /// Carries out ``BarrierDirective/commitReplicatedCheckpoint(_:holders:)``: journals the checkpoint (no file is
    /// written: its copies are on the workers).
    func commitReplicated(_ manifest: CheckpointManifest, holders: [[WorkerID]]) throws {
        try setup.journal?.append(.checkpointCommitted(manifest), sync: false)
    }

    /// The event fields naming each partition's holders of the checkpoint of `superstep`, in workers mode.
    func holderFields(superstep: Int) -> [(String, JSONValue)] {
        guard let checkpoint = barrier.replicated[superstep] else { return [] }
        return [
            ("store", .string("workers")),
            ("holders", .array(checkpoint.holders.map { .array($0.map { .int(Int($0.rawValue)) }) })),
        ]
    }

    /// Says why a resumed run in workers mode cannot use the old run's checkpoints: their holders were the old
    /// workers, which join a new run under new identities.
    func explainResumeWithoutCheckpoints() {
        guard keepsCheckpointsOnWorkers, !barrier.checkpoints.isEmpty else { return }
        setup.console.log(
            "the interrupted run's checkpoints were kept by its workers (--checkpoint-store workers), none of which rejoined: "
                + "restarting from superstep 0")
    }
}
