extension SuperstepBarrier {
    // MARK: Confined recovery
    //
    // When an owner dies and the job logs messages, only its partitions (and those of a recovery it interrupts)
    // go back to the newest checkpoint `c`, on the survivors, under a new epoch. They are prepared from it (and
    // resolve their message targets), then replay supersteps c+1 ..< rejoin in stages of their own, reading the
    // checkpoint's messages first and then what every partition logged (``InboxPlan/logged(superstep:)``), with
    // the aggregates and globals recorded the first time; master compute does not run. The other partitions keep
    // their state and do not compute: they only serve their logs. Messages the recovering partitions send to them
    // are never fetched. At `rejoin` every partition runs again (those that had already computed it answer with
    // their kept result). Without a checkpoint, with a log or a master record missing, or with a damaged newest
    // checkpoint, every partition rolls back instead.

    /// Records what confined recovery needs of a committed partition task.
    mutating func logCommitted(_ role: StageRole, stage: Int, partition: Int, _ committed: CommittedTask) {
        guard settings.logsMessages else { return }
        switch role {
        case .superstep(let s, _, _), .replay(let s, _):
            log.recordMessages(
                superstep: s, partition: partition, partitions: settings.partitions, committed, partial: narrowedReplays[stage] != nil)
        case .prepare where settings.resolvesMessageTargets:
            log.recordRouting(partition: partition, committed)
        default:
            break
        }
    }

    /// The confined recovery to run after losing the owner of `lost`, or nil when every partition must roll back.
    /// - Parameter live: the surviving workers; every log the plan reads must be on one of them.
    /// - Returns: a plan whose `lost` is to be filled in by ``startConfined(_:lost:)``.
    func confinedPlan(lost: [Int], live: [WorkerID]) -> ConfinedRecovery? {
        guard settings.logsMessages, let c = checkpoints.last, awaiting == .nothing else { return nil }
        let rejoin: Int
        if let recovery {
            rejoin = recovery.rejoin
        } else {
            switch roles[currentStage] {
            case .superstep(let s, _, _)?: rejoin = s
            // Between superstep s and the next: every partition completed s, so the recovering ones replay up to it.
            case .replicate(let s, _)?, .recopy(_, let s, _)?: rejoin = s + 1
            case .output? where stop != nil: rejoin = stop!.superstep + 1
            default: return nil
            }
        }
        guard rejoin > c else { return nil }
        // A partition whose logged messages of a superstep reach only the partitions of an earlier recovery (see
        // ``messageTargets(of:)``) cannot serve the others: it computes again too.
        let recovering = Set(lost).union(recovery?.partitions ?? []).union(log.partial.values.joined())
        let survivors = Set(live)
        for p in 0..<settings.partitions where !recovering.contains(p) {
            for s in (c + 1)..<rejoin {
                guard let task = log.messages(of: s, partitions: settings.partitions)[p], survivors.contains(task.worker) else { return nil }
            }
            if settings.resolvesMessageTargets {
                guard let task = log.routing[p], survivors.contains(task.worker) else { return nil }
            }
        }
        // Replayed superstep s reads the values after s - 1: the checkpoint's for c, recorded ones after it.
        guard rejoin - 1 <= c + 1 || (c + 1...rejoin - 2).allSatisfy({ log.masters[$0] != nil }) else { return nil }
        return ConfinedRecovery(partitions: recovering.sorted(), checkpoint: c, rejoin: rejoin, lost: WorkerID(0))
    }

    /// Starts `plan` after the loss of `lost`: raises the recovering partitions' epoch and asks for the checkpoint
    /// they restore to be verified.
    mutating func startConfined(_ plan: ConfinedRecovery, lost: WorkerID) -> [BarrierDirective] {
        var plan = plan
        plan.lost = lost
        recovery = plan
        stageMembers.removeAll()
        for p in plan.partitions { partitionEpochs[p] = epoch }
        awaiting = .confinedVerification(superstep: plan.checkpoint, lost: lost)
        if settings.checkpointStore == .workers { return verifyReplicated(plan.checkpoint) }
        return [.verifyCheckpoint(superstep: plan.checkpoint)]
    }

    mutating func confinedCheckpointVerified(_ manifest: CheckpointManifest) -> [BarrierDirective] {
        guard case .confinedVerification(let s, let lost) = awaiting, manifest.superstep == s, let recovery else { return [] }
        guard manifest.partitions == settings.partitions, manifest.aggregates.count == settings.aggregators.count else {
            return confinedCheckpointCorrupt(
                s, cause: "its manifest does not fit the job (\(manifest.partitions) partitions, \(manifest.aggregates.count) aggregates)")
        }
        awaiting = .nothing
        log.recordMaster(superstep: s, aggregates: manifest.aggregates, globals: manifest.globals)
        return [
            .recoverConfined(epoch: epoch, to: s, lost: lost, partitions: recovery.partitions, rejoin: recovery.rejoin),
            addPartitionStage(name: "prepare", role: .prepare(restore: manifest), members: recovery.partitions),
        ]
    }

    /// The checkpoint a confined recovery would restore is damaged: every partition rolls back to an older one.
    mutating func confinedCheckpointCorrupt(_ superstep: Int, cause: String) -> [BarrierDirective] {
        guard case .confinedVerification(let s, let lost) = awaiting, superstep == s else { return [] }
        recovery = nil
        stageMembers.removeAll()
        log = SuperstepLog()
        partitionEpochs = Array(repeating: epoch, count: settings.partitions)
        awaiting = .verification(superstep: s, lost: lost)
        return checkpointCorrupt(s, cause: cause)
    }

    /// A stage of the recovering partitions completed: the next one, or the stage where every partition rejoins.
    mutating func recoveryStageCompleted(_ stage: Int, role: StageRole, _ recovery: ConfinedRecovery) -> [BarrierDirective] {
        switch role {
        case .prepare(let restore):
            let images = preparedGraphs(stage)
            if settings.resolvesMessageTargets {
                return images + [
                    addPartitionStage(
                        name: "resolve", role: .resolve(restore: restore, prepareStage: stage), members: recovery.partitions)
                ]
            }
            return images + replay(recovery.checkpoint + 1, recovery)
        case .resolve(_, let prepareStage):
            committedTasks[prepareStage] = nil
            return releaseLoadStageOnceImagesAreIntact() + replay(recovery.checkpoint + 1, recovery)
        case .replay(let s, _):
            committedTasks[stage - 1] = nil
            return [.record(.replayed(s, partitions: recovery.partitions, epoch: epoch))] + releaseLoadStageOnceImagesAreIntact()
                + replay(s + 1, recovery)
        case .load, .superstep, .output, .replicate, .recopy:
            return []
        }
    }

    /// Adds the replay of superstep `s`, or the stage where every partition rejoins when `s` is it.
    private mutating func replay(_ s: Int, _ recovery: ConfinedRecovery) -> [BarrierDirective] {
        let inbox = Self.inbox(of: s, checkpoint: recovery.checkpoint)
        if s < recovery.rejoin {
            let added = addPartitionStage(name: "superstep \(s) (replay)", role: .replay(s, inbox: inbox), members: recovery.partitions)
            // Every partition reads the messages of rejoin - 1 at the rejoin; before that, only the recovering ones.
            if s < recovery.rejoin - 1 { narrowedReplays[currentStage] = recovery.partitions }
            return [added]
        }
        self.recovery = nil
        stageMembers.removeAll()
        if let stop, s == stop.superstep + 1 { return [addPartitionStage(name: "output", role: .output)] }
        return addSuperstep(s, inbox: inbox)
    }

    /// Where superstep `s` of a recovery from the checkpoint of `checkpoint` reads its messages.
    private static func inbox(of s: Int, checkpoint: Int) -> InboxPlan {
        s - 1 == checkpoint ? .checkpoint(superstep: checkpoint) : .logged(superstep: s - 1)
    }

    // MARK: Queries for payloads

    /// The partitions the tasks of `stage` send messages to, when not every partition: a replay before the
    /// superstep ahead of the rejoin sends only to the recovering partitions, the only ones that read it (the
    /// others read their own logs, and at the rejoin, the messages of the superstep before it from everyone).
    package func messageTargets(of stage: Int) -> [Int]? { narrowedReplays[stage] }

    /// The partition the owner of `partition` runs after it in `stage`: the next one it owns among the stage's
    /// partitions (a worker is given its tasks of a stage in index order), so that it may fetch that one's input
    /// while it runs this one. In a stage of a recovery, only the recovering partitions count.
    package func nextOwned(after partition: Int, in stage: Int) -> Int? {
        guard let members = stageMembers[stage] else { return nextOwned(after: partition) }
        guard owners.indices.contains(partition) else { return nil }
        return members.first { $0 > partition && owners.indices.contains($0) && owners[$0] == owners[partition] }
    }

    /// The aggregates and globals the tasks of `stage` (a superstep or a replay) start from: the values after the
    /// superstep before, as recorded the first time for a replay.
    package func startingValues(of stage: Int) -> SuperstepLog.Master {
        if case .replay(let s, _)? = roles[stage], let recorded = log.masters[s - 1] { return recorded }
        return SuperstepLog.Master(aggregates: aggregates, globals: sortedGlobals)
    }

    /// Where each partition's message routing is served for the resolve stage after `prepareStage`: that stage's
    /// outputs, and the logged ones of the partitions it did not prepare.
    package func routingTasks(prepareStage: Int) -> [CommittedTask?] {
        let prepared = committedTasks(of: prepareStage)
        return (0..<settings.partitions).map { prepared[$0] ?? log.routing[$0] }
    }

    /// The superstep below which workers may delete their message logs (the newest committed checkpoint, or -1),
    /// or nil when the job logs no messages.
    package var logFloor: Int? { settings.logsMessages ? (checkpoints.last ?? -1) : nil }
}
