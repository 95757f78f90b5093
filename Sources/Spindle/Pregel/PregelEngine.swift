import SpindleCore
import SpindlePosix

/// Runs a ``PregelJob``: the coordinator side is a ``SuperstepDriver``; on workers a task loads edges, prepares
/// a partition, resolves its message targets, runs a superstep on it, or writes its output (see
/// ``PartitionTaskKind``): the load here, the rest through a ``PartitionHost`` running a ``VertexProgram``.
///
/// Messages and edges move through the shared exchange: a superstep's messages to vertex `v` are records
/// keyed by `v` in the partition that owns `v`, combined on the sender, sorted, and fetched by the owner
/// for the next superstep, where a merge with the sorted vertex ids hands each vertex its messages.
struct PregelEngine<VertexValue: WireCodable & Sendable, EdgeValue: Sendable, Message: WireCodable & Sendable>: JobEngine {
    let definition: PregelJob<VertexValue, EdgeValue, Message>

    func makeDriver(_ setup: DriverSetup) throws -> any JobDriver {
        SuperstepDriver(
            setup: setup, aggregators: definition.aggregators, master: definition.makeMasterCompute?(setup.parameters),
            resolvesMessageTargets: definition.combiner != nil, vocabulary: .pregel)
    }

    // The job's types are known only in the job's module, so this generic code would run unspecialized
    // (metadata lookups and witness calls per vertex and message); pre-specialize the built-in jobs' types.
    // The specialisation reaches the host, the program and its compute loop, which are generic over the same types.
    @_specialize(where VertexValue == Double, EdgeValue == Unweighted, Message == Double)
    @_specialize(where VertexValue == Int64, EdgeValue == Unweighted, Message == Int64)
    @_specialize(where VertexValue == Double, EdgeValue == Double, Message == Double)
    func runTask(_ assignment: TaskAssignment, context: TaskContext) throws -> TaskOutcome {
        let settings = try WireReader.decode(SuperstepSettings.self, from: context.descriptor.engineSettings)
        if assignment.task.stage == SuperstepDriver.loadStage {
            return try load(assignment, context: context, settings: settings)
        }
        let task = try WireReader.decode(PartitionTask.self, from: assignment.payload)
        let program = VertexProgram(definition: definition, settings: settings)
        return try PartitionHost(program: program, settings: settings, assignment: assignment, context: context).run(task)
    }

    /// Parses a split of the edge list and buckets each edge by its source's partition (and, once per
    /// target, the target's existence by the target's partition); no sorting (see ``GraphPartitionAssembler``).
    private func load(_ assignment: TaskAssignment, context: TaskContext, settings: SuperstepSettings) throws -> TaskOutcome {
        let split = try WireReader.decode(InputSplit.self, from: assignment.payload)
        let undirected = definition.undirected(context.parameters)
        let counters = Counters()
        let prefix = context.scratchPrefix
        let vertices = VertexPartitioner(partitions: settings.partitions)
        let buckets = EdgeBucketWriter(
            partitions: settings.partitions, weighted: MemoryLayout<EdgeValue>.size > 0, budget: settings.bufferBytes, scratchPrefix: prefix,
            expectedEdges: split.byteCount / 12 * (undirected ? 2 : 1))
        var edges = 0
        var sent = 0
        var skipped = 0
        try EdgeListReader.forEachEdge(
            in: split, maxRecord: settings.maxRecord, skipBadRecords: settings.skipBadRecords, counters: counters, context: context,
            weightProblem: definition.checkWeight,
            edge: { source, target, weight in
                edges += 1
                buckets.addEdge(partition: vertices.partition(of: source), source: source, target: target, weight: weight)
                sent += 1
                if undirected {
                    buckets.addEdge(partition: vertices.partition(of: target), source: target, target: source, weight: weight)
                    sent += 1
                } else if buckets.addTarget(partition: vertices.partition(of: target), id: target) {
                    sent += 1
                }
                if edges & 0xFFFF == 0 { try buckets.spillIfNeeded() }
            },
            malformed: { record, problem in
                if settings.skipBadRecords {
                    skipped += 1
                    return
                }
                let planned = split.chunks.first { $0.path == record.path }?.identity
                let number = try InputRecordReader.lineNumber(of: record.offset, path: record.path, planned: planned, context: context)
                throw InputError(message: "malformed edge at \(record.path):\(number): \(problem); fix the line or pass --skip-bad-records")
            })
        let path = "\(prefix)-edges.out"
        let sizes = try buckets.finish(path: path)
        context.services.exchange.register(assignment.attempt, file: try PartitionedFile(path: path))
        var statistics = AttemptStatistics()
        statistics.bytesIn = split.byteCount
        statistics.recordsIn = edges
        statistics.recordsOut = sent
        statistics.spills = buckets.spillCount
        statistics.bytesOut = sizes.reduce(0, +)
        let report = PartitionReport(partitionSizes: sizes, records: edges, skippedRecords: skipped + counters[CounterName.skippedRecords])
        return TaskOutcome(payload: report.wireEncoded(), statistics: statistics)
    }
}
