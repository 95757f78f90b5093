extension SuperstepBarrier {
    // MARK: Checkpoints kept by workers
    //
    // With ``CheckpointStoreMode/workers``, each partition's owner writes its checkpoint files into its own scratch
    // directory and reports their sizes and CRC32Cs with its superstep. After master compute, a `replicate` stage
    // copies each partition's files to the next owner in worker order (one task per partition, placed there),
    // which reports the sizes and CRC32Cs of its copy. The checkpoint commits when every copy matches its
    // original; otherwise it does not count (the job goes on, the next checkpoint tries again). The barrier keeps
    // each committed checkpoint's holders and drops a worker from them when it is lost: a checkpoint is restored
    // (full rollback or confined recovery) only while every partition has a holder left, else the one before it,
    // else superstep 0. Verification is therefore pure: no file is read by the coordinator.

    /// The checkpoint being copied: what its manifest will hold, and each partition's original.
    package struct PendingReplication: Sendable, Equatable {
        package var superstep: Int
        /// The stage of the superstep that wrote the originals.
        package var superstepStage: Int
        package var manifest: CheckpointManifest
        /// Per partition: the worker holding the original.
        package var writers: [WorkerID]
        /// Per partition: the original's sizes and checksums.
        package var copies: [CheckpointCopy]
        /// Per partition: the bytes of each destination's segment of its message file.
        package var messageSizes: [[Int]]
    }

    /// The worker that keeps the second copy of what `writer` wrote: the next owner after it in id order, or nil
    /// when `writer` is the only owner.
    package func replicaHolder(of writer: WorkerID) -> WorkerID? {
        let ring = Set(owners).sorted()
        guard ring.count > 1, let i = ring.firstIndex(of: writer) else { return nil }
        return ring[(i + 1) % ring.count]
    }

    /// Starts copying the checkpoint of superstep `s` written by the tasks of `superstepStage`, or commits it at once
    /// with one copy when there is no second worker.
    mutating func startReplication(superstep s: Int, superstepStage: Int) -> [BarrierDirective] {
        let manifest = CheckpointManifest(
            superstep: s, totalVertices: totalMembers ?? 0, partitions: settings.partitions, aggregates: aggregates, globals: sortedGlobals)
        let tasks = committedTasks(of: superstepStage)
        var writers: [WorkerID] = []
        var copies: [CheckpointCopy] = []
        for (p, task) in tasks.enumerated() {
            guard let task, let copy = task.report.checkpoint else {
                return [.record(.checkpointNotCommitted(superstep: s, cause: "partition \(p) reported no checkpoint files"))]
                    + continueAfterReplication(s, superstepStage: superstepStage)
            }
            writers.append(task.worker)
            copies.append(copy)
        }
        let pending = PendingReplication(
            superstep: s, superstepStage: superstepStage, manifest: manifest, writers: writers, copies: copies,
            messageSizes: tasks.map { $0?.report.partitionSizes ?? [] })
        let replicas = writers.map(replicaHolder(of:))
        guard replicas.allSatisfy({ $0 != nil }) else {
            // A single worker: there is nowhere to copy to, and its loss loses every partition anyway.
            return commitReplicated(pending, holders: writers.map { [$0] }) + continueAfterReplication(s, superstepStage: superstepStage)
        }
        pendingReplication = pending
        return [
            addStage(
                name: "checkpoint \(s) copy", role: .replicate(s, superstepStage: superstepStage), taskCount: settings.partitions,
                locationBound: false, placement: replicas.map { $0! })
        ]
    }

    /// Every copy of the checkpoint of `s` reported: it commits when each matches its original.
    mutating func replicationCompleted(_ stage: Int, superstep s: Int, superstepStage: Int) -> [BarrierDirective] {
        guard let pending = pendingReplication, pending.superstep == s else { return [] }
        pendingReplication = nil
        let replicas = committedTasks(of: stage)
        committedTasks[stage] = nil
        var holders: [[WorkerID]] = []
        for p in 0..<settings.partitions {
            guard let replica = replicas[p], let copy = replica.report.checkpoint else {
                return [.record(.checkpointNotCommitted(superstep: s, cause: "the copy of partition \(p) was not reported"))]
                    + continueAfterReplication(s, superstepStage: superstepStage)
            }
            guard copy == pending.copies[p], replica.worker != pending.writers[p] else {
                let cause =
                    "the copy of partition \(p) on \(replica.worker) (\(copy.stateBytes) + \(copy.messagesBytes) bytes) does not match "
                    + "the original on \(pending.writers[p]) (\(pending.copies[p].stateBytes) + \(pending.copies[p].messagesBytes) bytes)"
                return [.record(.checkpointNotCommitted(superstep: s, cause: cause))] + continueAfterReplication(s, superstepStage: superstepStage)
            }
            holders.append([pending.writers[p], replica.worker])
        }
        return commitReplicated(pending, holders: holders) + continueAfterReplication(s, superstepStage: superstepStage)
    }

    /// Commits `pending` with `holders` and prunes the checkpoints older than the last two.
    private mutating func commitReplicated(_ pending: PendingReplication, holders: [[WorkerID]]) -> [BarrierDirective] {
        let s = pending.superstep
        replicated[s] = ReplicatedCheckpoint(manifest: pending.manifest, holders: holders, copies: pending.copies, messageSizes: pending.messageSizes)
        checkpoints.append(s)
        log.prune(upTo: s)
        var directives: [BarrierDirective] = [.commitReplicatedCheckpoint(pending.manifest, holders: holders), .record(.checkpoint(superstep: s))]
        while checkpoints.count > 2 {
            let old = checkpoints.removeFirst()
            replicated[old] = nil
            directives.append(.pruneCheckpoint(superstep: old))
        }
        return directives
    }

    /// The stage after the checkpoint of `s`: the output when the job stopped there, else superstep `s + 1`.
    mutating func continueAfterReplication(_ s: Int, superstepStage: Int) -> [BarrierDirective] {
        if let stop, stop.superstep == s { return [addPartitionStage(name: "output", role: .output)] }
        return addSuperstep(s + 1, inbox: .previousStage(superstepStage))
    }

    /// A lost worker holds no copy any more.
    mutating func dropHolder(_ worker: WorkerID) {
        for s in replicated.keys {
            for p in replicated[s]!.holders.indices { replicated[s]!.holders[p].removeAll { $0 == worker } }
        }
    }

    /// Verifies the checkpoint of `s` the barrier awaits from what it knows: intact while every partition has a
    /// holder left.
    mutating func verifyReplicated(_ s: Int) -> [BarrierDirective] {
        let confined: Bool
        if case .confinedVerification = awaiting { confined = true } else { confined = false }
        guard let checkpoint = replicated[s], checkpoint.firstLostPartition == nil else {
            let cause =
                replicated[s]?.firstLostPartition.map { "both copies of partition \($0) were on lost workers" }
                ?? "no worker reported a copy of it"
            return confined ? confinedCheckpointCorrupt(s, cause: cause) : checkpointCorrupt(s, cause: cause)
        }
        return confined ? confinedCheckpointVerified(checkpoint.manifest) : checkpointVerified(checkpoint.manifest)
    }

    /// Releases the committed tasks whose outputs superstep `stage` read: its inbox stage, or the stage before it.
    mutating func releaseInbox(of stage: Int) {
        if case .superstep(_, .previousStage(let previous), _)? = roles[stage] {
            committedTasks[previous] = nil
        } else {
            committedTasks[stage - 1] = nil
        }
    }

    /// Why `report` of a task of a stage with `role` cannot be accepted as far as checkpoint copies go, or nil: a
    /// replicate task and a checkpointing superstep in workers mode must report their copy, no other task may.
    func checkpointCopyProblem(_ report: PartitionReport, role: StageRole?) -> String? {
        let expected: Bool
        switch role {
        case .replicate?, .recopy?: expected = true
        case .superstep(_, _, let writes)?: expected = writes && settings.checkpointStore == .workers
        default: expected = false
        }
        if expected == (report.checkpoint != nil) { return nil }
        return expected ? "it reported no copy of its checkpoint files" : "it reported checkpoint files it was not asked for"
    }
}
