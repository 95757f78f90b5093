import SpindleCore

/// A ``BSPJob``'s closures as the program a ``PartitionHost`` runs: a partition is one member, its state is
/// the job's `State` with the partition's halt vote, and its messages go through a ``BSPOutbox`` in send order.
struct BSPProgram<Value: WireCodable & Sendable, Message: WireCodable & Sendable>: PartitionProgram {
    typealias State = BSPPartition<Value>
    let definition: BSPJob<Value, Message>
    let settings: SuperstepSettings

    var aggregators: [Aggregator] { definition.aggregators }
    var keepsInboxInMemory: Bool { false }

    /// Makes the state from what the loaders sent the partition (or reads it back from its graph image), or
    /// restores it from a checkpoint. When the job keeps graph images, a state made from the load outputs is
    /// encoded at once and handed to the worker's background writer as the partition's image.
    func prepare(_ task: PartitionTask, previous: State?, context: TaskContext) throws -> PreparedPartition<State> {
        if let path = task.restoreStatePath {
            let (halted, value) = try CheckpointStore.readBlob(path) { r in (try r.read(Bool.self), try Value(from: &r)) }
            return PreparedPartition(state: BSPPartition(value: value, halted: halted), members: 1)
        }
        var problem: String?
        if let path = task.graphImagePath, task.readsGraphImage {
            do {
                let value = try GraphImage.read(path, partition: task.partition) { r in
                    let body = r.rest()
                    var reader = WireReader(body)
                    let value = try Value(from: &reader)
                    try reader.expectEnd()
                    return value
                }
                return PreparedPartition(
                    state: BSPPartition(value: value, halted: false), members: 1, graphImage: GraphImageReport(source: .image, intact: true))
            } catch {
                problem = String("\(error)".prefix(1024))
            }
        }
        var prepared = try build(task, context: context)
        if let path = task.graphImagePath {
            // Encoded now: the state changes with every superstep, the bytes are written in the background.
            var encoded = WireWriter()
            prepared.state.value.encode(to: &encoded)
            let bytes = encoded.bytes
            let partition = task.partition
            prepared.imageWrite = GraphImageWriter.Write { stop in
                try GraphImage.write(path, partition: partition, stop: stop) { try $0.appendRaw(bytes) }
            }
            prepared.graphImage = GraphImageReport(source: .loadOutputs, intact: false, problem: problem)
        }
        return prepared
    }

    /// Makes the state from what the loaders sent the partition.
    private func build(_ task: PartitionTask, context: TaskContext) throws -> PreparedPartition<State> {
        // Lost load outputs fail this task blamelessly, naming the load tasks to run again.
        let fetcher = SegmentFetcher(
            secret: context.services.secret, server: context.services.exchange, scratchPrefix: context.scratchPrefix,
            producerStage: SuperstepDriver.loadStage, producerName: "load task")
        let segments = try fetcher.fetch(partition: task.partition, sources: task.loadSources, context: context)
        let messages = BSPMessages<Message>(
            segments.map {
                RecordCursor(blocks: $0.bytes, source: "load task \($0.producer) output", owner: $0.owner, checksumsVerified: $0.verified)
            },
            isEmpty: segments.allSatisfy { $0.bytes.isEmpty })
        let value = try definition.makeState(context.parameters)(task.partition, settings.partitions, messages)
        if let problem = messages.problems.first { throw problem }
        withExtendedLifetime(segments) {}
        return PreparedPartition(state: BSPPartition(value: value, halted: false), members: 1)
    }

    /// Runs compute (unless the partition voted to halt and got no message) and writes what it sent to
    /// `input.messagesPath`.
    func superstep(_ state: inout State, _ input: SuperstepInput, context: TaskContext) throws -> SuperstepResult {
        let messages = BSPMessages<Message>(input.inbox.cursors(), isEmpty: input.inbox.isEmpty)
        let outbox = BSPOutbox<Message>(
            partitionCount: settings.partitions, budget: settings.bufferBytes, scratchPrefix: context.scratchPrefix,
            targets: input.task.messageTargets.map { targets in (0..<settings.partitions).map { targets.contains($0) } })
        let bsp = BSPContext<Message>(
            superstep: input.task.superstep, partition: input.task.partition, partitionCount: settings.partitions, outbox: outbox,
            aggregators: definition.aggregators, previous: input.aggregates, globals: input.globals)
        if !state.halted || !messages.isEmpty {
            let compute = try definition.makeCompute(context.parameters)
            try compute(&state.value, messages, bsp)
            if let problem = messages.problems.first { throw problem }
            state.halted = bsp.halted
        }
        // Throws the first bad send or aggregator use recorded during compute.
        let sizes = try outbox.finish(path: input.messagesPath)
        return SuperstepResult(
            messages: PartitionedOutput(file: try PartitionedFile(path: input.messagesPath), sizes: sizes, path: input.messagesPath),
            members: 1, activeMembers: state.halted ? 0 : 1, messagesSent: outbox.sent, messagesReceived: 0, aggregates: bsp.aggregates,
            spills: outbox.spillCount)
    }

    func writeCheckpoint(_ state: State, to path: String) throws {
        try CheckpointStore.writeBlob(path) { w in
            w.write(state.halted)
            state.value.encode(to: &w)
        }
    }

    /// Runs the job's output function on the partition's final state.
    func output(_ state: State, partition: Int, to writer: OutputLineWriter, context: TaskContext) throws -> Int {
        try definition.makeOutput(context.parameters)(state.value, BSPOutput(partition: partition, writer: writer))
        return 1
    }
}
