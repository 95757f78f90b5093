import SpindleCore

extension SuperstepDriver {
    // MARK: Checkpoints kept by workers (`--checkpoint-store workers`)

    var keepsCheckpointsOnWorkers: Bool { barrier.settings.checkpointStore == .workers }

    /// The job waits for every worker's storage report before it starts when it checkpoints and its store is still
    /// to be decided, or is the output directory (only workers that see it may own partitions).
    var awaitsWorkerStorage: Bool {
        setup.checkpointEvery > 0 && (undecidedStore != nil || barrier.settings.checkpointStore == .output)
    }

    /// Decides `--checkpoint-store auto` from the storage every worker reported (event `checkpoint_store`), and
    /// journals the store a fresh run uses, before the first stage.
    func chooseCheckpointStore(_ control: any DriverControl) throws {
        let workers = control.liveWorkers
        let blind = workers.filter { control.storage(of: $0)?.seesOutput != true }
        if let setting = undecidedStore {
            let mode = setup.checkpointEvery > 0 ? setting.decide(storages: workers.map(control.storage(of:))) : .output
            var settings = barrier.settings
            settings.checkpointStore = mode
            barrier = SuperstepBarrier(settings: settings, identities: aggregators.map(\.identity))
            undecidedStore = nil
            if mode == .workers {
                setup.console.log(
                    "\(blind.map(\.description).joined(separator: ", ")) cannot see the output directory: checkpoints are kept by the workers "
                        + "that write them, each copied to one other worker")
            }
        }
        let mode = barrier.settings.checkpointStore
        if journalsStore { try setup.journal?.append(.checkpointStoreChosen(mode), sync: false) }
        setup.events.record(
            "checkpoint_store",
            [
                ("store", .string(mode.rawValue)), ("setting", .string(setup.checkpointStore.rawValue)),
                ("workers_without_output", .array(blind.map { .int(Int($0.rawValue)) })),
            ])
    }

    /// The healthy workers that may own partitions: with checkpoints under the output directory, those that reported
    /// seeing it (``CheckpointStoreMode/mayOwnPartitions(_:checkpoints:)``), never assumed.
    /// - Parameter placing: whether the barrier places partitions with the list (the owners are chosen, or an owner
    ///   left): the others are named on the console.
    /// - Throws: ``TaskFailure`` when placing and no healthy worker may own partitions though some are alive.
    func ownerCandidates(_ control: any DriverControl, placing: Bool) throws -> [WorkerID] {
        let healthy = control.healthyWorkers
        let mode = barrier.settings.checkpointStore
        let fit = healthy.filter { mode.mayOwnPartitions(control.storage(of: $0), checkpoints: setup.checkpointEvery > 0) }
        guard placing, fit.count < healthy.count else { return fit }
        let unfit = healthy.filter { !fit.contains($0) }.map(\.description).joined(separator: ", ")
        guard !fit.isEmpty else {
            throw TaskFailure(
                "no live worker can own partitions: this job keeps its checkpoints under the output directory \(setup.output.directory) "
                    + "(--checkpoint-store output\(setup.resume == nil ? "" : ", as the run it resumes did")), which \(unfit) cannot see; "
                    + "run it with --checkpoint-store auto or workers when hosts share no file system")
        }
        setup.console.log("\(unfit) cannot see the output directory, where this job keeps its checkpoints: it owns no partitions")
        return fit
    }

    /// The event fields saying where a rollback to the checkpoint of `superstep` (nil: superstep 0) restores
    /// `restoring` from: the store, and with checkpoints kept by workers the holder each partition reads, in order.
    func restoreFields(superstep: Int?, partitions restoring: [Int]) -> [(String, JSONValue)] {
        var fields: [(String, JSONValue)] = [("store", .string(barrier.settings.checkpointStore.rawValue))]
        guard let superstep, let checkpoint = barrier.replicated[superstep] else { return fields }
        fields.append(
            ("restore_from", .array(restoring.map { p in
                let owner = barrier.owners.indices.contains(p) ? barrier.owners[p] : nil
                return checkpoint.holder(of: p, preferring: owner).map { .int(Int($0.rawValue)) } ?? .null
            })))
        return fields
    }

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
            "the interrupted run's checkpoints were kept by its workers, none of which rejoined: "
                + "restarting from superstep 0")
    }
}
