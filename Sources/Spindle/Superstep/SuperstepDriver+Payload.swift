import SpindleCore

extension SuperstepDriver {
    /// The payload of an attempt of `task`, from the barrier's plan of its stage: a split for a load task, a
    /// ``PartitionTask`` for the others (empty for a stage the barrier did not plan).
    func payload(for task: TaskID) -> [UInt8] {
        guard let role = barrier.role(of: task.stage) else { return [] }
        var payload = PartitionTask(kind: .prepare, partition: task.index, epoch: barrier.epoch)
        switch role {
        case .load:
            return splits[task.index].wireEncoded()
        case .prepare(let restore):
            payload.loadSources = loadSources(for: task.index)
            payload.ahead = barrier.nextOwned(after: task.index).map { FetchAhead(partition: $0, sources: loadSources(for: $0)) }
            if let restore {
                payload.restoreStatePath = CheckpointStore.statePath(checkpointDirectory(restore.superstep), partition: task.index)
                payload.superstep = restore.superstep
            }
        case .resolve(_, let prepareStage):
            payload.kind = .resolve
            payload.inbox = .exchange(sources(of: prepareStage, for: task.index))
            payload.ahead = barrier.nextOwned(after: task.index).map { FetchAhead(partition: $0, sources: sources(of: prepareStage, for: $0)) }
        case .superstep(let s, let inbox, let writesCheckpoint):
            payload.kind = .superstep
            payload.superstep = s
            payload.totalVertices = barrier.totalMembers ?? 0
            payload.aggregates = barrier.aggregates
            payload.globals = barrier.sortedGlobals
            payload.checkpointDirectory = writesCheckpoint ? checkpointDirectory(s) : nil
            switch inbox {
            case .none:
                payload.initialize = true
            case .checkpoint(let restored):
                let dir = checkpointDirectory(restored)
                payload.inbox = .checkpoint((0..<partitions).map { CheckpointStore.messagesPath(dir, partition: $0) })
            case .previousStage(let stage):
                payload.inbox = .exchange(sources(of: stage, for: task.index))
                payload.ahead = barrier.nextOwned(after: task.index).map { FetchAhead(partition: $0, sources: sources(of: stage, for: $0)) }
            }
        case .output:
            payload.kind = .output
        }
        return payload.wireEncoded()
    }

    /// Where the load outputs hold partition `partition`'s records.
    private func loadSources(for partition: Int) -> [SegmentSource] {
        barrier.loadOutputs.enumerated().compactMap { index, output in
            source(producer: index, output, partition: partition)
        }
    }

    /// Where the outputs of `stage` (one task per partition) hold partition `partition`'s data.
    private func sources(of stage: Int, for partition: Int) -> [SegmentSource] {
        barrier.committedTasks(of: stage).enumerated().compactMap { q, output in
            source(producer: q, output, partition: partition)
        }
    }

    private func source(producer: Int, _ output: SuperstepBarrier.CommittedTask?, partition: Int) -> SegmentSource? {
        guard let output, let address = exchangeAddresses[output.worker] else { return nil }
        return SegmentSource(
            producer: producer, attempt: output.attempt, host: address.host, port: address.port, bytes: output.report.partitionSizes[partition])
    }
}
