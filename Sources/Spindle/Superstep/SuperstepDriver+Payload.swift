import SpindleCore

extension SuperstepDriver {
    /// The payload of an attempt of `task`, from the barrier's plan of its stage: a split for a load task, a
    /// ``PartitionTask`` for the others (empty for a stage the barrier did not plan).
    func payload(for task: TaskID) -> [UInt8] {
        guard let role = barrier.role(of: task.stage) else { return [] }
        let p = barrier.partition(of: task)
        let next = barrier.nextOwned(after: p, in: task.stage)
        var payload = PartitionTask(kind: .prepare, partition: p, epoch: barrier.epoch(of: p))
        payload.logFloor = barrier.logFloor
        payload.workerCheckpoints = workerCheckpointPlan()
        switch role {
        case .load:
            return splits[task.index].wireEncoded()
        case .prepare(let restore):
            payload.loadSources = loadSources(for: p)
            payload.graphImagePath = graphImagePath(partition: p)
            payload.readsGraphImage = payload.graphImagePath != nil && barrier.graphImages
            payload.ahead = next.map { FetchAhead(partition: $0, sources: loadSources(for: $0)) }
            if let restore, keepsCheckpointsOnWorkers {
                payload.workerCheckpoints?.restore = checkpointHolder(
                    superstep: restore.superstep, partition: p, preferring: barrier.owners.indices.contains(p) ? barrier.owners[p] : nil)
                payload.superstep = restore.superstep
            } else if let restore {
                payload.restoreStatePath = CheckpointStore.statePath(checkpointDirectory(restore.superstep), partition: p)
                payload.superstep = restore.superstep
            }
        case .resolve(_, let prepareStage):
            let routing = barrier.routingTasks(prepareStage: prepareStage)
            payload.kind = .resolve
            payload.inbox = .exchange(sources(routing, for: p))
            payload.ahead = next.map { FetchAhead(partition: $0, sources: sources(routing, for: $0)) }
        case .superstep(let s, let inbox, let writesCheckpoint):
            superstep(s, inbox: inbox, of: task, partition: p, next: next, into: &payload)
            payload.checkpointDirectory = writesCheckpoint && !keepsCheckpointsOnWorkers ? checkpointDirectory(s) : nil
            payload.workerCheckpoints?.write = writesCheckpoint
        case .replay(let s, let inbox):
            superstep(s, inbox: inbox, of: task, partition: p, next: next, into: &payload)
            payload.replay = true
            payload.messageTargets = barrier.messageTargets(of: task.stage)
        case .replicate(let s, _):
            payload.kind = .replicate
            payload.superstep = s
            payload.workerCheckpoints?.copy = replicationSource(partition: p)
        case .recopy(let c, _, _):
            payload.kind = .replicate
            payload.superstep = c
            payload.workerCheckpoints?.copy = checkpointHolder(superstep: c, partition: p, preferring: nil)
        case .output:
            payload.kind = .output
        }
        return payload.wireEncoded()
    }

    /// Fills in the payload of superstep `s` (or its replay) of partition `p`.
    private func superstep(_ s: Int, inbox: InboxPlan, of task: TaskID, partition p: Int, next: Int?, into payload: inout PartitionTask) {
        let start = barrier.startingValues(of: task.stage)
        payload.kind = .superstep
        payload.superstep = s
        payload.totalVertices = barrier.totalMembers ?? 0
        payload.aggregates = start.aggregates
        payload.globals = start.globals
        let senders: [SuperstepBarrier.CommittedTask?]
        switch inbox {
        case .none:
            payload.initialize = true
            return
        case .checkpoint(let restored) where keepsCheckpointsOnWorkers:
            payload.inbox = .exchange(checkpointMessageSources(superstep: restored, for: p))
            payload.ahead = next.map { FetchAhead(partition: $0, sources: checkpointMessageSources(superstep: restored, for: $0)) }
            return
        case .checkpoint(let restored):
            let dir = checkpointDirectory(restored)
            payload.inbox = .checkpoint((0..<partitions).map { CheckpointStore.messagesPath(dir, partition: $0) })
            return
        case .previousStage(let stage):
            senders = barrier.committedTasks(of: stage)
        case .logged(let superstep):
            senders = barrier.log.messages(of: superstep, partitions: partitions)
        }
        payload.inbox = .exchange(sources(senders, for: p))
        payload.ahead = next.map { FetchAhead(partition: $0, sources: sources(senders, for: $0)) }
    }

    /// Where partition `partition`'s graph image is kept: in the checkpoint directory under the output, for a job
    /// that checkpoints there (nil otherwise: with checkpoints kept by workers, a recovering partition is rebuilt
    /// from the load outputs).
    func graphImagePath(partition: Int) -> String? {
        keepsGraphImages ? GraphImage.path(root: checkpointRoot, partition: partition) : nil
    }

    /// Whether prepare tasks keep an image of their partition (see ``GraphImage``).
    var keepsGraphImages: Bool { setup.checkpointEvery > 0 && !keepsCheckpointsOnWorkers }

    /// Where the load outputs hold partition `partition`'s records.
    private func loadSources(for partition: Int) -> [SegmentSource] {
        barrier.loadOutputs.enumerated().compactMap { index, output in
            source(producer: index, output, partition: partition)
        }
    }

    /// Where the outputs of `senders` (one task per partition, by partition) hold partition `partition`'s data.
    private func sources(_ senders: [SuperstepBarrier.CommittedTask?], for partition: Int) -> [SegmentSource] {
        senders.enumerated().compactMap { q, output in
            source(producer: q, output, partition: partition)
        }
    }

    private func source(producer: Int, _ output: SuperstepBarrier.CommittedTask?, partition: Int) -> SegmentSource? {
        guard let output, let address = exchangeAddresses[output.worker] else { return nil }
        return SegmentSource(
            producer: producer, attempt: output.attempt, host: address.host, port: address.port, bytes: output.report.partitionSizes[partition])
    }
}
