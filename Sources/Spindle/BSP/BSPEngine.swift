import SpindleCore
import SpindlePosix

/// Runs a ``BSPJob``: the coordinator side is the ``SuperstepDriver`` the Pregel engine uses (stages load,
/// prepare, one per superstep, output; checkpoints and rollback); on workers a task loads a split, prepares a
/// partition, runs a superstep on it, or writes its output (see ``PartitionTaskKind``).
///
/// Messages move through the shared exchange as records with an empty key in the segment of their destination
/// partition, in send order (no sorting, no combining); the destination fetches its segment from every
/// partition's output in partition order (``SuperstepInbox``), which gives the documented delivery order.
struct BSPEngine<State: WireCodable & Sendable, Message: WireCodable & Sendable>: JobEngine {
    let definition: BSPJob<State, Message>

    func makeDriver(_ setup: DriverSetup) throws -> any JobDriver {
        SuperstepDriver(
            setup: setup, aggregators: definition.aggregators, master: definition.makeMasterCompute?(setup.parameters),
            resolvesMessageTargets: false, vocabulary: .bsp)
    }

    func runTask(_ assignment: TaskAssignment, context: TaskContext) throws -> TaskOutcome {
        let settings = try WireReader.decode(SuperstepSettings.self, from: context.descriptor.engineSettings)
        if assignment.task.stage == SuperstepDriver.loadStage {
            return try load(assignment, context: context, settings: settings)
        }
        let payload = try WireReader.decode(PartitionTask.self, from: assignment.payload)
        switch payload.kind {
        case .prepare: return try prepare(payload, assignment: assignment, context: context, settings: settings)
        case .superstep: return try superstep(payload, assignment: assignment, context: context, settings: settings)
        case .output: return try output(payload, assignment: assignment, context: context, settings: settings)
        case .resolve, .load: throw TaskFailure("a \(payload.kind) task payload in a BSP job")
        }
    }

    /// Runs the job's load function on every line of a split; writes what it sends, by destination partition.
    private func load(_ assignment: TaskAssignment, context: TaskContext, settings: SuperstepSettings) throws -> TaskOutcome {
        let split = try WireReader.decode(InputSplit.self, from: assignment.payload)
        let counters = Counters()
        let prefix = context.scratchPrefix
        let outbox = BSPOutbox<Message>(partitionCount: settings.partitions, budget: settings.bufferBytes, scratchPrefix: prefix)
        let loader = BSPLoader<Message>(partitionCount: settings.partitions)
        let load = try definition.makeLoad(context.parameters)
        var records = 0
        var skipped = 0
        try InputRecordReader.forEachRecord(
            in: split, firstLineNumbers: [], maxRecord: settings.maxRecord, skipBadRecords: settings.skipBadRecords, counters: counters,
            context: context
        ) { record in
            do {
                try load(record, loader)
            } catch let bad as MalformedRecord {
                loader.discard()
                if settings.skipBadRecords {
                    skipped += 1
                    return
                }
                let planned = split.chunks.first { $0.path == record.path }?.identity
                let number = try InputRecordReader.lineNumber(of: record.offset, path: record.path, planned: planned)
                throw InputError(message: "malformed record at \(record.path):\(number): \(bad.reason); fix the line or pass --skip-bad-records")
            }
            records += 1
            loader.commit(to: outbox)
            if let failure = outbox.failure { throw failure }
        }
        let path = "\(prefix)-load.out"
        let sizes = try outbox.finish(path: path)
        context.services.exchange.register(assignment.attempt, file: try PartitionedFile(path: path))
        var statistics = AttemptStatistics()
        statistics.bytesIn = split.byteCount
        statistics.recordsIn = records
        statistics.recordsOut = outbox.sent
        statistics.bytesOut = sizes.reduce(0, +)
        let report = PartitionReport(partitionSizes: sizes, records: records, skippedRecords: skipped + counters[CounterName.skippedRecords])
        return TaskOutcome(payload: report.wireEncoded(), statistics: statistics)
    }

    /// Makes the partition's state from what the loaders sent it, or restores it from a checkpoint, and holds it.
    private func prepare(_ payload: PartitionTask, assignment: TaskAssignment, context: TaskContext, settings: SuperstepSettings) throws
        -> TaskOutcome
    {
        let p = payload.partition
        let partition: BSPPartition<State>
        if let path = payload.restoreStatePath {
            let (halted, state) = try CheckpointStore.readBlob(path) { r in (try r.read(Bool.self), try State(from: &r)) }
            partition = BSPPartition(state: state, halted: halted, epoch: payload.epoch, superstep: payload.superstep)
        } else {
            // Lost load outputs fail this task blamelessly, naming the load tasks to run again.
            let fetcher = SegmentFetcher(
                secret: context.services.secret, server: context.services.exchange, scratchPrefix: context.scratchPrefix,
                producerStage: SuperstepDriver.loadStage, producerName: "load task")
            let segments = try fetcher.fetch(partition: p, sources: payload.loadSources, context: context)
            let messages = BSPMessages<Message>(
                segments.map {
                    RecordCursor(blocks: $0.bytes, source: "load task \($0.producer) output", owner: $0.owner, checksumsVerified: $0.verified)
                },
                isEmpty: segments.allSatisfy { $0.bytes.isEmpty })
            let state = try definition.makeState(context.parameters)(p, settings.partitions, messages)
            if let problem = messages.problems.first { throw problem }
            withExtendedLifetime(segments) {}
            partition = BSPPartition(state: state, halted: false, epoch: payload.epoch, superstep: -1)
        }
        if let previous = context.services.partitions.object(p, as: BSPPartition<State>.self) {
            Self.release(previous.servedMessages, context: context)
        }
        context.services.partitions.set(p, partition)
        return TaskOutcome(payload: PartitionReport(members: 1).wireEncoded(), statistics: AttemptStatistics())
    }

    /// Stops serving message outputs and deletes their scratch files.
    private static func release(_ outputs: [(superstep: Int, attempt: AttemptID, scratchFile: String?)], context: TaskContext) {
        for output in outputs {
            context.services.exchange.unregister(output.attempt)
            if let file = output.scratchFile { try? FileSystem.unlink(file) }
        }
    }

    /// Runs one superstep of the partition (unless it voted to halt and got no message), writes the messages
    /// it sent, and, when asked, checkpoints them with its state.
    private func superstep(_ payload: PartitionTask, assignment: TaskAssignment, context: TaskContext, settings: SuperstepSettings) throws
        -> TaskOutcome
    {
        let p = payload.partition
        let held = try heldPartition(p, epoch: payload.epoch, context: context)
        guard held.superstep == payload.superstep - 1 else {
            throw TaskFailure("partition \(p) holds the state after superstep \(held.superstep) on this worker, not after \(payload.superstep - 1)")
        }
        let inbox = try SuperstepInbox(payload.inbox, partition: p, context: context)
        let messages = BSPMessages<Message>(inbox.cursors(), isEmpty: inbox.isEmpty)
        let outbox = BSPOutbox<Message>(
            partitionCount: settings.partitions, budget: settings.bufferBytes, scratchPrefix: context.scratchPrefix)
        var globals: [String: Double] = [:]
        for pair in payload.globals { globals[pair.first] = pair.second }
        let bsp = BSPContext<Message>(
            superstep: payload.superstep, partition: p, partitionCount: settings.partitions, outbox: outbox, aggregators: definition.aggregators,
            previous: AggregatorValues(values: payload.aggregates.isEmpty ? definition.aggregators.map(\.identity) : payload.aggregates),
            globals: globals)
        // A copy: the held state stays the last committed one if this attempt fails.
        var state = held.state
        var halted = held.halted
        if !halted || !messages.isEmpty {
            let compute = try definition.makeCompute(context.parameters)
            try compute(&state, messages, bsp)
            if let problem = messages.problems.first { throw problem }
            halted = bsp.halted
        }
        let dir = payload.checkpointDirectory
        let path = dir.map { CheckpointStore.messagesPath($0, partition: p) } ?? "\(context.scratchPrefix)-messages.out"
        let sizes = try outbox.finish(path: path)
        if let dir {
            try FileSystem.syncFile(path)
            try CheckpointStore.writeBlob(CheckpointStore.statePath(dir, partition: p)) { w in
                w.write(halted)
                state.encode(to: &w)
            }
        }
        context.services.exchange.register(assignment.attempt, file: try PartitionedFile(path: path))
        // Superstep s reads the messages of s - 1 only; older ones are no longer needed.
        held.servedMessages.append((payload.superstep, assignment.attempt, dir == nil ? path : nil))
        let stale = held.servedMessages.prefix { $0.superstep < payload.superstep - 1 }
        Self.release(Array(stale), context: context)
        held.servedMessages.removeFirst(stale.count)
        withExtendedLifetime(inbox) {}
        held.state = state
        held.halted = halted
        held.superstep = payload.superstep
        var statistics = AttemptStatistics()
        statistics.bytesIn = inbox.segments.reduce(0) { $0 + $1.bytes.count }
        statistics.recordsOut = outbox.sent
        statistics.bytesOut = sizes.reduce(0, +)
        let report = PartitionReport(
            partitionSizes: sizes, members: 1, activeMembers: halted ? 0 : 1, messagesSent: outbox.sent, aggregates: bsp.aggregates.values)
        return TaskOutcome(payload: report.wireEncoded(), statistics: statistics)
    }

    /// Runs the job's output function on the partition's final state, into the partition's part file.
    private func output(_ payload: PartitionTask, assignment: TaskAssignment, context: TaskContext, settings: SuperstepSettings) throws
        -> TaskOutcome
    {
        let held = try heldPartition(payload.partition, epoch: payload.epoch, context: context)
        let path = OutputCommitter.temporaryPath(
            outputDirectory: settings.outputDirectory, attempt: assignment.attempt, name: OutputCommitter.partName(payload.partition))
        let writer = try OutputLineWriter(path: path)
        try definition.makeOutput(context.parameters)(held.state, BSPOutput(partition: payload.partition, writer: writer))
        try writer.finish()
        var statistics = AttemptStatistics()
        statistics.recordsOut = writer.records
        statistics.bytesOut = writer.bytes
        return TaskOutcome(payload: PartitionReport(members: 1).wireEncoded(), statistics: statistics)
    }

    private func heldPartition(_ p: Int, epoch: Int, context: TaskContext) throws -> BSPPartition<State> {
        guard let held = context.services.partitions.object(p, as: BSPPartition<State>.self), held.epoch == epoch else {
            throw TaskFailure("partition \(p) is not prepared on this worker for epoch \(epoch)")
        }
        return held
    }
}
