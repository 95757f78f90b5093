import SpindleCore
import SpindlePosix

/// Runs the partition lifecycle of a superstep job on a worker, once for every engine: a ``PartitionProgram``
/// (BSP's closures, Pregel's vertex program) plugs in what differs. One host serves one task.
///
/// - prepare: asks the program for the partition's state, releases what this worker served for the partition
///   in an older epoch, holds the new state (after superstep -1, or after the restored checkpoint's superstep).
///   A graph image the program made is handed to the worker's ``GraphImageWriter`` and reported pending; every
///   later task of the partition here (resolve, superstep) reports the write's outcome once it ended (a write of
///   an older epoch's partition whose graph is kept goes on being reported), and the output task waits (bounded)
///   for it, since the image lives in the job's temporary directory.
///   When the job logs messages, the routing output (Pregel with a combiner) stays served while the partition is
///   held, for partitions that recover elsewhere.
/// - superstep `s`: finds the held partition (failing the task unless it is of the task's epoch and holds the
///   result of `s - 1`), gathers the inbox, decodes aggregates and globals, lets the program compute on a copy
///   of the state, writes the checkpoint when asked (messages fsynced, then the state), serves the messages
///   through the exchange, releases (unregisters and deletes) the message outputs older than `s - 1`, which no
///   superstep reads any more (when the job logs messages, those after the newest checkpoint move to the
///   ``MessageLog`` instead and older logs are deleted), and commits the new state. A superstep the partition
///   had already computed when a confined recovery abandoned its stage is answered again, not recomputed.
/// - output: hands the held state and the partition's temporary part file to the program.
struct PartitionHost<Program: PartitionProgram> {
    typealias State = Program.State
    let program: Program
    let settings: SuperstepSettings
    let assignment: TaskAssignment
    let context: TaskContext

    /// Runs a prepare, resolve, superstep or output task.
    func run(_ task: PartitionTask) throws -> TaskOutcome {
        pruneLocalCheckpoints(task)
        switch task.kind {
        case .prepare: return try prepare(task)
        case .resolve: return try resolve(task)
        case .superstep: return try superstep(task)
        case .output: return try output(task)
        case .replicate: return try CheckpointReplica.replicate(task, context: context)
        case .load: throw TaskFailure("partition \(task.partition) got a load payload outside the load stage")
        }
    }

    /// The partition held for `task`'s partition and epoch.
    /// - Throws: a ``TaskFailure`` when this worker holds none (or one of another epoch).
    func heldPartition(_ task: PartitionTask) throws -> HostedPartition<State> {
        guard let held = context.services.partitions.object(task.partition, as: HostedPartition<State>.self), held.epoch == task.epoch else {
            throw TaskFailure("partition \(task.partition) is not prepared on this worker for epoch \(task.epoch)")
        }
        return held
    }

    private func prepare(_ task: PartitionTask) throws -> TaskOutcome {
        let (task, fetchedState) = try fetchingRestoredState(task)
        defer { if let fetchedState { try? FileSystem.unlink(fetchedState) } }
        let previous = context.services.partitions.object(task.partition, as: HostedPartition<State>.self)
        let prepared = try program.prepare(task, previous: previous?.state, context: context)
        if let previous {
            release(previous.served)
            MessageLog.release(
                previous.logs + (previous.routing.map { [$0] } ?? []), exchange: context.services.exchange, budget: context.services.messageLog)
        }
        let held = HostedPartition(state: prepared.state, epoch: task.epoch, superstep: task.restoreStatePath == nil ? -1 : task.superstep)
        if let output = prepared.output, task.logFloor != nil {
            context.services.exchange.register(assignment.attempt, file: output.file)
            held.routing = MessageLog.Entry(superstep: held.superstep, attempt: assignment.attempt, file: output.path)
        } else if let output = prepared.output {
            // Read by the stage after this one, which ends before the first superstep (held.superstep + 1) starts:
            // tagged so that superstep releases it.
            serve(output, superstep: held.superstep - 1, scratchFile: output.path, in: held)
        }
        // The image's write goes on in the background; a write of an older epoch goes on being reported.
        held.image = prepared.imageWrite.map { context.services.graphImages.start($0) } ?? previous?.image
        var image = prepared.graphImage
        if let pending = held.image, var report = image, !report.intact {
            report.intact = pending.intact == true
            report.pending = pending.intact == nil
            image = report
        }
        context.services.partitions.set(task.partition, held)
        let report = PartitionReport(
            partitionSizes: prepared.output?.sizes ?? [], members: prepared.members, records: prepared.records, graphImage: image)
        return TaskOutcome(payload: report.wireEncoded(), statistics: AttemptStatistics())
    }

    private func resolve(_ task: PartitionTask) throws -> TaskOutcome {
        let held = try heldPartition(task)
        var state = held.state
        let members = try program.resolve(&state, task, context: context)
        held.state = state
        return TaskOutcome(payload: PartitionReport(members: members, graphImage: writtenImage(held)).wireEncoded(), statistics: AttemptStatistics())
    }

    /// What the partition's background image write came to, once it ended: the image written from the load outputs,
    /// intact or not (nil while it is in progress, or when this worker started none).
    private func writtenImage(_ held: HostedPartition<State>) -> GraphImageReport? {
        guard let intact = held.image?.intact else { return nil }
        return GraphImageReport(source: .loadOutputs, intact: intact)
    }

    private func superstep(_ task: PartitionTask) throws -> TaskOutcome {
        let p = task.partition
        let held = try heldPartition(task)
        if let kept = held.kept, kept.superstep == task.superstep, held.superstep == task.superstep {
            return try answerAgain(task, held: held, kept: kept)
        }
        guard held.superstep == task.superstep - 1 else {
            throw TaskFailure("partition \(p) holds the state after superstep \(held.superstep) on this worker, not after \(task.superstep - 1)")
        }
        let inbox = try SuperstepInbox(task.inbox, partition: p, context: context, inMemory: program.keepsInboxInMemory, ahead: task.ahead)
        let dir = try checkpointDirectory(of: task)
        let input = SuperstepInput(
            task: task, inbox: inbox, aggregates: try previousAggregates(task), globals: Self.globals(task),
            messagesPath: dir.map { CheckpointStore.messagesPath($0, partition: p) } ?? "\(context.scratchPrefix)-messages.out",
            checkpointing: dir != nil)
        // A copy: the held state stays the last committed one if this attempt fails.
        var state = held.state
        let result = try program.superstep(&state, input, context: context)
        if let dir {
            try FileSystem.syncFile(input.messagesPath)
            try program.writeCheckpoint(state, to: CheckpointStore.statePath(dir, partition: p))
        }
        let checkpointCopy = try dir.flatMap { try publishCheckpoint(task, dir: $0) }
        serve(result.messages, superstep: task.superstep, scratchFile: dir == nil ? result.messages.path : nil, in: held)
        // Superstep s reads the messages of s - 1 only; older outputs are no longer needed, but by a confined
        // recovery, which reads those after the newest checkpoint from the log.
        let stale = Array(held.served.prefix { $0.superstep < task.superstep - 1 })
        if let floor = task.logFloor {
            for output in stale where output.superstep > floor {
                let path = "\(context.scratchPrefix)-log-\(output.superstep)"
                if let entry = MessageLog.keep(output, path: path, exchange: context.services.exchange, budget: context.services.messageLog) {
                    held.logs.append(entry)
                }
            }
            release(stale.filter { $0.superstep <= floor })
            MessageLog.prune(&held.logs, upTo: floor, exchange: context.services.exchange, budget: context.services.messageLog)
        } else {
            release(stale)
        }
        held.served.removeFirst(stale.count)
        held.state = state
        held.superstep = task.superstep
        var statistics = AttemptStatistics()
        statistics.bytesIn = inbox.segments.reduce(0) { $0 + $1.bytes.count }
        statistics.recordsIn = result.messagesReceived
        statistics.recordsOut = result.messagesSent
        statistics.bytesOut = result.messages.sizes.reduce(0, +)
        statistics.spills = result.spills
        withExtendedLifetime(inbox) {}
        let report = PartitionReport(
            partitionSizes: result.messages.sizes, members: result.members, activeMembers: result.activeMembers,
            messagesSent: result.messagesSent, aggregates: result.aggregates.values, checkpoint: checkpointCopy, graphImage: writtenImage(held))
        let payload = report.wireEncoded()
        if task.logFloor != nil { held.kept = (task.superstep, payload, statistics) }
        return TaskOutcome(payload: payload, statistics: statistics)
    }

    /// Answers superstep `task.superstep` again without computing it: the partition had already computed it
    /// when a confined recovery abandoned the stage. Its output is served under this attempt from now on.
    /// - Throws: a ``TaskFailure`` when this worker no longer serves that output.
    private func answerAgain(
        _ task: PartitionTask, held: HostedPartition<State>, kept: (superstep: Int, payload: [UInt8], statistics: AttemptStatistics)
    ) throws -> TaskOutcome {
        let exchange = context.services.exchange
        guard let i = held.served.lastIndex(where: { $0.superstep == task.superstep }), let file = exchange.localOutput(held.served[i].attempt)
        else {
            throw TaskFailure("partition \(task.partition) no longer serves its messages of superstep \(task.superstep) on this worker")
        }
        exchange.unregister(held.served[i].attempt)
        exchange.register(assignment.attempt, file: file)
        held.served[i].attempt = assignment.attempt
        return TaskOutcome(payload: kept.payload, statistics: kept.statistics)
    }

    private func output(_ task: PartitionTask) throws -> TaskOutcome {
        let held = try heldPartition(task)
        // The job's temporary directory, which holds the image, is removed once the output commits.
        _ = held.image?.wait(timeout: .seconds(60))
        let target = PartFileTarget(outputDirectory: settings.outputDirectory, name: OutputCommitter.partName(task.partition), context: context)
        let writer = try OutputLineWriter(path: target.path)
        let members = try program.output(held.state, partition: task.partition, to: writer, context: context)
        try writer.finish()
        try target.deliver()
        var statistics = AttemptStatistics()
        statistics.recordsOut = writer.records
        statistics.bytesOut = writer.bytes
        return TaskOutcome(payload: PartitionReport(members: members).wireEncoded(), statistics: statistics)
    }

    /// The aggregators' folds of the previous superstep (their identities before the first superstep).
    /// - Throws: a ``TaskFailure`` when the task carries a number of them other than the job declares.
    private func previousAggregates(_ task: PartitionTask) throws -> AggregatorValues {
        let aggregators = program.aggregators
        if task.aggregates.isEmpty { return AggregatorValues(aggregators) }
        guard task.aggregates.count == aggregators.count else {
            throw TaskFailure(
                "superstep \(task.superstep) of partition \(task.partition) carries \(task.aggregates.count) aggregator values; the job declares \(aggregators.count)")
        }
        return AggregatorValues(values: task.aggregates)
    }

    private static func globals(_ task: PartitionTask) -> [String: Double] {
        var globals: [String: Double] = [:]
        for pair in task.globals { globals[pair.first] = pair.second }
        return globals
    }

    /// Serves `output` through the worker's exchange under this attempt, and remembers it in `held`.
    private func serve(_ output: PartitionedOutput, superstep: Int, scratchFile: String?, in held: HostedPartition<State>) {
        context.services.exchange.register(assignment.attempt, file: output.file)
        held.served.append((superstep, assignment.attempt, scratchFile))
    }

    /// Stops serving `outputs` and deletes their scratch files (best effort: a file that cannot be deleted only
    /// costs scratch space until the worker removes its scratch directory at exit).
    private func release(_ outputs: [(superstep: Int, attempt: AttemptID, scratchFile: String?)]) {
        for output in outputs {
            context.services.exchange.unregister(output.attempt)
            if let file = output.scratchFile { try? FileSystem.unlink(file) }
        }
    }
}
