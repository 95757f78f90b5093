extension SuperstepBarrier {
    // MARK: Copying a checkpoint again after a loss
    //
    // With ``CheckpointStoreMode/workers`` each partition's checkpoint files are on two workers. When one of them is
    // lost, the partition is down to a single copy: a second loss would lose the checkpoint. So at the first barrier
    // after the loss where the job goes on without writing a checkpoint of its own (a new one is copied to two
    // workers anyway), a `recopy` stage copies every such partition of the newest restorable checkpoint from its
    // surviving holder to another owner: the partition's owner when it holds no copy (its next restore reads
    // locally), else the next owner after the holder in id order. A copy counts when its sizes and CRC32Cs match the
    // original's; one that does not (or a task that fails) leaves that partition with its single copy, and the job
    // goes on. The decision is pure: the barrier knows each checkpoint's holders and its owners.

    /// The copies to make again: the newest committed checkpoint every partition of which still has a holder, its
    /// partitions with a single holder, and for each the owner to copy it to. Nil when there is nothing to copy, no
    /// other owner to copy to, or checkpoints are not kept by workers.
    package func recopyPlan() -> (checkpoint: Int, partitions: [Int], targets: [WorkerID])? {
        guard settings.checkpointStore == .workers,
            let c = checkpoints.last(where: { replicated[$0]?.firstLostPartition == nil }), let checkpoint = replicated[c]
        else { return nil }
        let ring = Set(owners).sorted()
        var partitions: [Int] = []
        var targets: [WorkerID] = []
        for p in checkpoint.holders.indices where checkpoint.holders[p].count == 1 {
            guard let target = recopyTarget(of: p, holders: checkpoint.holders[p], ring: ring) else { continue }
            partitions.append(p)
            targets.append(target)
        }
        return partitions.isEmpty ? nil : (c, partitions, targets)
    }

    /// The owner partition `p`'s second copy goes to: its owner when that holds none, else the next owner after its
    /// holder in id order that holds none; nil when every owner holds one.
    private func recopyTarget(of p: Int, holders: [WorkerID], ring: [WorkerID]) -> WorkerID? {
        if owners.indices.contains(p), !holders.contains(owners[p]) { return owners[p] }
        guard let holder = holders.first else { return nil }
        let start = ring.firstIndex { $0 > holder } ?? 0
        for i in 0..<ring.count where !holders.contains(ring[(start + i) % ring.count]) { return ring[(start + i) % ring.count] }
        return nil
    }

    /// Adds the recopy stage after superstep `s` (stage `superstepStage`) when ``recopyPlan()`` has copies to make.
    mutating func startRecopy(after s: Int, superstepStage: Int) -> BarrierDirective? {
        guard let plan = recopyPlan() else { return nil }
        stageMembers[nextStage] = plan.partitions
        return addStage(
            name: "checkpoint \(plan.checkpoint) re-copy", role: .recopy(checkpoint: plan.checkpoint, superstep: s, superstepStage: superstepStage),
            taskCount: plan.partitions.count, locationBound: false, placement: plan.targets)
    }

    /// The recopy stage `stage` completed: each matching copy adds its worker to the partition's holders; then the job
    /// goes on after superstep `s`.
    mutating func recopyCompleted(_ stage: Int, checkpoint c: Int, superstep s: Int, superstepStage: Int) -> [BarrierDirective] {
        let members = stageMembers[stage] ?? []
        let copies = committedTasks(of: stage)
        committedTasks[stage] = nil
        stageMembers[stage] = nil
        var directives: [BarrierDirective] = []
        var done: [Int] = []
        if var checkpoint = replicated[c] {
            for p in members {
                guard let task = copies[p], let copy = task.report.checkpoint else {
                    directives.append(.record(.checkpointNotRecopied(superstep: c, cause: "the copy of partition \(p) was not reported")))
                    continue
                }
                guard copy == checkpoint.copies[p], !checkpoint.holders[p].contains(task.worker) else {
                    let cause =
                        "the copy of partition \(p) on \(task.worker) (\(copy.stateBytes) + \(copy.messagesBytes) bytes) does not match the original "
                        + "(\(checkpoint.copies[p].stateBytes) + \(checkpoint.copies[p].messagesBytes) bytes)"
                    directives.append(.record(.checkpointNotRecopied(superstep: c, cause: cause)))
                    continue
                }
                checkpoint.holders[p].append(task.worker)
                done.append(p)
            }
            replicated[c] = checkpoint
            if !done.isEmpty {
                directives.append(.record(.checkpointRecopied(superstep: c, partitions: done, holders: done.map { checkpoint.holders[$0] })))
            }
        }
        return directives + continueAfterReplication(s, superstepStage: superstepStage)
    }

    /// A worker that owns no partition was lost while a recopy stage was in flight: when it held the last copy of a
    /// partition the stage copies, that copy cannot be made, so the stage is given up and the job goes on.
    mutating func recopySourceLost() -> [BarrierDirective] {
        guard case .recopy(let c, let s, let superstepStage)? = roles[currentStage], let members = stageMembers[currentStage],
            let lost = members.first(where: { replicated[c]?.holders[$0].isEmpty ?? true })
        else { return [] }
        let stage = currentStage
        abandoned.insert(stage)
        committedTasks[stage] = nil
        stageMembers[stage] = nil
        return [
            .abandonStage(stage),
            .record(.checkpointNotRecopied(superstep: c, cause: "the last copy of partition \(lost) was on a lost worker")),
        ] + continueAfterReplication(s, superstepStage: superstepStage)
    }
}
