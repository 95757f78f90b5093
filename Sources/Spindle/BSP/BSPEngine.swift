import SpindleCore
import SpindlePosix

/// Runs a ``BSPJob``: the coordinator side is the ``SuperstepDriver`` the Pregel engine uses (stages load,
/// prepare, one per superstep, output; checkpoints and rollback); on workers a task loads a split, prepares a
/// partition, runs a superstep on it, or writes its output (see ``PartitionTaskKind``): the load here, the rest
/// through a ``PartitionHost`` running the job's closures as a ``BSPProgram``.
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
        let task = try WireReader.decode(PartitionTask.self, from: assignment.payload)
        let program = BSPProgram(definition: definition, settings: settings)
        return try PartitionHost(program: program, settings: settings, assignment: assignment, context: context).run(task)
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
                let number = try InputRecordReader.lineNumber(of: record.offset, path: record.path, planned: planned, context: context)
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
        statistics.spills = outbox.spillCount
        statistics.bytesOut = sizes.reduce(0, +)
        let report = PartitionReport(partitionSizes: sizes, records: records, skippedRecords: skipped + counters[CounterName.skippedRecords])
        return TaskOutcome(payload: report.wireEncoded(), statistics: statistics)
    }
}
