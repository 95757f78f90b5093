import SpindleCore
import SpindlePosix

/// Runs a ``MapReduceJob``: the coordinator side is a ``MapReduceDriver``; on workers each task is a
/// line-count pass, a map task, or a reduce task, told apart by its stage.
struct MapReduceEngine<Key: ShuffleKey, Value: WireCodable & Sendable>: JobEngine {
    let definition: MapReduceJob<Key, Value>

    func makeDriver(_ setup: DriverSetup) throws -> any JobDriver {
        try MapReduceDriver(
            setup: setup, lineNumbers: definition.lineNumbers, mapOnly: definition.makeReduce == nil,
            totalOrderSamples: { if case .totalOrder(let n) = definition.partitioning { return n } else { return nil } }(),
            sampleKeys: { [definition] records in try sampleKeys(records, definition: definition, parameters: setup.parameters) })
    }

    func runTask(_ assignment: TaskAssignment, context: TaskContext) throws -> TaskOutcome {
        let settings = try WireReader.decode(MapReduceSettings.self, from: context.descriptor.engineSettings)
        let stage = assignment.task.stage
        if stage == settings.countStage {
            let split = try WireReader.decode(InputSplit.self, from: assignment.payload)
            let counts = try InputRecordReader.countLines(in: split, context: context)
            return TaskOutcome(payload: counts.wireEncoded(), statistics: AttemptStatistics())
        } else if stage == settings.mapStage {
            return try runMap(assignment, context: context, settings: settings)
        } else {
            return try runReduce(assignment, context: context, settings: settings)
        }
    }

    private func partitionFunction(_ settings: MapReduceSettings) -> PartitionFunction {
        let partitions = max(1, settings.reducers)
        switch definition.partitioning {
        case .hash: return PartitionFunction(kind: .hash, partitions: partitions)
        case .totalOrder: return PartitionFunction(kind: .ranges(settings.rangeBounds), partitions: partitions)
        case .custom(let f): return PartitionFunction(kind: .custom({ bytes, n in f(Key(shuffleBytes: bytes), n) }), partitions: partitions)
        }
    }

    private func runMap(_ assignment: TaskAssignment, context: TaskContext, settings: MapReduceSettings) throws -> TaskOutcome {
        let payload = try WireReader.decode(MapTaskPayload.self, from: assignment.payload)
        let counters = Counters()
        let map = try definition.makeMap(context.parameters)
        let prefix = context.scratchPrefix
        var direct: MapOutputSink<Value>.DirectOutput?
        var target: PartFileTarget?
        if settings.reducers == 0 {
            target = PartFileTarget(outputDirectory: settings.outputDirectory, name: OutputCommitter.partName(assignment.task.index), context: context)
            direct = .init(
                writer: try OutputLineWriter(path: target!.path), formatKey: { bytes, out in Key(shuffleBytes: bytes).appendOutputText(to: &out) },
                formatValue: definition.formatValue)
        }
        let sink = MapOutputSink<Value>(
            budget: settings.mapBufferBytes, partitioner: partitionFunction(settings), combine: definition.combine, scratchPrefix: prefix,
            counters: counters, direct: direct, expectedBytes: payload.split.byteCount)
        let output = MapOutput<Key, Value>(sink: sink, combine: definition.combine, counters: counters)
        try InputRecordReader.forEachRecord(
            in: payload.split, firstLineNumbers: payload.firstLineNumbers, maxRecord: settings.maxRecord, skipBadRecords: settings.skipBadRecords,
            counters: counters, context: context
        ) { record in
            try map(record, output)
            if let failure = sink.failure { throw failure }
        }
        let finalPath = "\(prefix)-map.out"
        let sizes = try sink.finish(table: output.table, finalPath: finalPath)
        try target?.deliver()
        counters.increment(CounterName.mapOutputRecords, by: output.emitted)
        var statistics = AttemptStatistics()
        statistics.bytesIn = payload.split.byteCount
        statistics.recordsIn = counters[CounterName.mapInputRecords]
        statistics.recordsOut = output.emitted
        statistics.spills = sink.spillCount
        if let direct {
            counters.increment(CounterName.outputRecords, by: direct.writer.records)
            counters.increment(CounterName.outputBytes, by: direct.writer.bytes)
            statistics.bytesOut = direct.writer.bytes
            statistics.output = direct.writer.digest
        } else {
            context.services.exchange.register(assignment.attempt, file: try PartitionedFile(path: finalPath))
            statistics.bytesOut = sizes.reduce(0, +)
        }
        return TaskOutcome(payload: TaskReport(partitionSizes: sizes, counters: counters.pairs).wireEncoded(), statistics: statistics)
    }

    private func runReduce(_ assignment: TaskAssignment, context: TaskContext, settings: MapReduceSettings) throws -> TaskOutcome {
        let payload = try WireReader.decode(ReduceTaskPayload.self, from: assignment.payload)
        guard let makeReduce = definition.makeReduce else { throw TaskFailure("a map-only job has no reduce tasks") }
        let reduce = try makeReduce(context.parameters)
        let counters = Counters()
        let prefix = context.scratchPrefix
        let fetcher = SegmentFetcher(
            secret: context.services.secret, server: context.services.exchange, scratchPrefix: prefix, producerStage: settings.mapStage)
        let segments = try fetcher.fetch(partition: payload.partition, sources: payload.sources, context: context)
        let fetched = segments.reduce(0) { $0 + $1.bytes.count }
        counters.increment(CounterName.shuffleBytes, by: fetched)
        let sourceNames = segments.map { "map task \($0.producer) output" }
        let merger = RunMerger(
            cursors: zip(segments, sourceNames).map { RecordCursor(blocks: $0.bytes, source: $1, owner: $0.owner, releasingPages: true) })
        let group = ReduceGroup(merger: merger)
        let target = PartFileTarget(outputDirectory: settings.outputDirectory, name: OutputCommitter.partName(payload.partition), context: context)
        let writer = try OutputLineWriter(path: target.path)
        let output = ReduceOutput<Key>(writer: writer, counters: counters)
        var groups = 0
        do {
            while try group.nextGroup() {
                let key = group.key.withUnsafeBytes { Key(shuffleBytes: $0) }
                try reduce(key, ReduceValues(group: group), output)
                if let failure = group.failure { throw failure }
                groups += 1
                if groups & 1023 == 0 {
                    try context.checkCancelled()
                    context.setProgress(Double(group.records) / Double(max(1, group.records + 1)))
                }
            }
        } catch let corrupt as CorruptDataError {
            // A source's bytes went bad after they were checked on arrival (for example on local disk).
            let lost = segments.enumerated().filter { corrupt.source == sourceNames[$0.offset] }.map { TaskID(stage: settings.mapStage, index: $0.element.producer) }
            throw BlamelessFailure(description: "\(corrupt)", lostOutputs: lost)
        }
        try writer.finish()
        try target.deliver()
        withExtendedLifetime(segments) {}
        counters.increment(CounterName.reduceInputGroups, by: groups)
        counters.increment(CounterName.reduceInputRecords, by: group.records)
        counters.increment(CounterName.outputRecords, by: writer.records)
        counters.increment(CounterName.outputBytes, by: writer.bytes)
        var statistics = AttemptStatistics()
        statistics.bytesIn = fetched
        statistics.recordsIn = group.records
        statistics.recordsOut = writer.records
        statistics.bytesOut = writer.bytes
        statistics.output = writer.digest
        return TaskOutcome(payload: TaskReport(partitionSizes: [], counters: counters.pairs).wireEncoded(), statistics: statistics)
    }
}

/// Runs the job's map function on sampled records on the coordinator and returns the emitted key bytes
/// (for the total-order partitioner's split points).
private func sampleKeys<Key: ShuffleKey, Value: WireCodable & Sendable>(
    _ records: [TextRecordSample], definition: MapReduceJob<Key, Value>, parameters: JobParameters
) throws -> [[UInt8]] {
    let map = try definition.makeMap(parameters)
    let counters = Counters()
    let sink = MapOutputSink<Value>(
        budget: .max, partitioner: PartitionFunction(kind: .hash, partitions: 1), combine: nil, scratchPrefix: "", counters: counters, direct: nil)
    sink.sampledKeys = []
    let output = MapOutput<Key, Value>(sink: sink, combine: nil, counters: counters)
    for sample in records {
        try sample.line.withUnsafeBytes { bytes in
            try map(TextRecord(bytes: bytes, path: sample.path, offset: sample.offset, lineNumber: TextRecord.sampled), output)
        }
    }
    return sink.sampledKeys ?? []
}

/// A line read on the coordinator for sampling.
struct TextRecordSample {
    var line: [UInt8]
    var path: String
    var offset: Int
}
