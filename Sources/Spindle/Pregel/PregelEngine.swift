import SpindleCore
import SpindlePosix

/// Runs a ``PregelJob``: the coordinator side is a ``PregelDriver``; on workers a task loads edges, prepares
/// a partition, runs a superstep on it, or writes its output (see ``PregelTaskKind``).
///
/// Messages and edges move through the shared exchange: a superstep's messages to vertex `v` are records
/// keyed by `v` in the partition that owns `v`, combined on the sender, sorted, and fetched by the owner
/// for the next superstep, where a merge with the sorted vertex ids hands each vertex its messages.
struct PregelEngine<VertexValue: WireCodable & Sendable, EdgeValue: Sendable, Message: WireCodable & Sendable>: JobEngine {
    typealias State = PartitionState<VertexValue, EdgeValue>
    let definition: PregelJob<VertexValue, EdgeValue, Message>

    func makeDriver(_ setup: DriverSetup) throws -> any JobDriver {
        PregelDriver(
            setup: setup, aggregators: definition.aggregators, master: definition.makeMasterCompute?(setup.parameters),
            resolvesMessageTargets: definition.combine != nil)
    }

    // The job's types are known only in the job's module, so this generic code would run unspecialized
    // (metadata lookups and witness calls per vertex and message); pre-specialize the built-in jobs' types.
    @_specialize(where VertexValue == Double, EdgeValue == Unweighted, Message == Double)
    @_specialize(where VertexValue == Int64, EdgeValue == Unweighted, Message == Int64)
    @_specialize(where VertexValue == Double, EdgeValue == Double, Message == Double)
    func runTask(_ assignment: TaskAssignment, context: TaskContext) throws -> TaskOutcome {
        let settings = try WireReader.decode(PregelSettings.self, from: context.descriptor.engineSettings)
        if assignment.task.stage == PregelDriver.loadStage {
            return try load(assignment, context: context, settings: settings)
        }
        let payload = try WireReader.decode(PartitionTaskPayload.self, from: assignment.payload)
        switch payload.kind {
        case .prepare: return try prepare(payload, assignment: assignment, context: context, settings: settings)
        case .superstep: return try superstep(payload, assignment: assignment, context: context, settings: settings)
        case .output: return try output(payload, assignment: assignment, context: context, settings: settings)
        case .resolve: return try resolve(payload, assignment: assignment, context: context, settings: settings)
        case .load: throw TaskFailure("a load payload outside the load stage")
        }
    }

    private func partitioner(_ settings: PregelSettings) -> PartitionFunction {
        PartitionFunction(kind: .hash, partitions: settings.partitions)
    }

    /// Parses a split of the edge list and sends each edge to its source's partition (and a marker to its target's).
    private func load(_ assignment: TaskAssignment, context: TaskContext, settings: PregelSettings) throws -> TaskOutcome {
        let split = try WireReader.decode(InputSplit.self, from: assignment.payload)
        let undirected = definition.undirected(context.parameters)
        let counters = Counters()
        let prefix = "\(context.scratchDirectory)/attempt-\(assignment.attempt.rawValue)"
        let sink = MapOutputSink<LoadedEdge>(
            budget: settings.bufferBytes, partitioner: partitioner(settings), combine: nil, scratchPrefix: prefix, counters: counters, direct: nil)
        let output = MapOutput<Int64, LoadedEdge>(sink: sink, combine: nil, counters: counters)
        var targetsSeen = Set<Int64>()
        var edges = 0
        var skipped = 0
        try InputRecordReader.forEachRecord(
            in: split, firstLineNumbers: [], maxRecord: settings.maxRecord, skipBadRecords: settings.skipBadRecords, counters: counters, context: context
        ) { record in
            guard let line = EdgeListParser.parse(record.bytes) else {
                if settings.skipBadRecords {
                    skipped += 1
                    return
                }
                let file = try MappedFile(path: record.path)
                let number = EdgeListParser.lineNumber(of: record.offset, in: file.bytes)
                throw InputError(
                    message: "malformed edge at \(record.path):\(number): \(EdgeListParser.problem(record.bytes)); fix the line or pass --skip-bad-records")
            }
            guard case .edge(let source, let target, let weight) = line else { return }
            edges += 1
            output.emit(source, LoadedEdge(target: target, weight: weight))
            if undirected {
                output.emit(target, LoadedEdge(target: source, weight: weight))
            } else if targetsSeen.insert(target).inserted {
                output.emit(target, LoadedEdge(target: nil, weight: nil))
            }
            if let failure = sink.failure { throw failure }
        }
        let path = "\(prefix)-edges.out"
        let sizes = try sink.finish(table: nil, finalPath: path)
        context.services.exchange.register(assignment.attempt, file: try PartitionedFile(path: path))
        var statistics = AttemptStatistics()
        statistics.bytesIn = split.byteCount
        statistics.recordsIn = edges
        statistics.recordsOut = output.emitted
        statistics.bytesOut = sizes.reduce(0, +)
        let report = PregelTaskReport(partitionSizes: sizes, edges: edges, skippedLines: skipped + counters[CounterName.skippedRecords])
        return TaskOutcome(payload: report.wireEncoded(), statistics: statistics)
    }

    /// Builds the partition's graph from the loaders' outputs (unless this worker has it) and sets its
    /// values from a checkpoint, or marks them for initialisation.
    private func prepare(_ payload: PartitionTaskPayload, assignment: TaskAssignment, context: TaskContext, settings: PregelSettings) throws -> TaskOutcome {
        let p = payload.partition
        let graph: GraphPartition<EdgeValue>
        if let existing = context.services.partitions.state(p, as: State.self) {
            graph = existing.graph
        } else {
            let fetcher = SegmentFetcher(
                secret: context.services.secret, server: context.services.exchange,
                scratchPrefix: "\(context.scratchDirectory)/attempt-\(assignment.attempt.rawValue)", mapStage: PregelDriver.loadStage)
            let segments = try fetcher.fetch(partition: p, sources: payload.loadSources, context: context)
            let merger = RunMerger(cursors: segments.map { RecordCursor(blocks: $0.bytes, source: "load task \($0.mapIndex) output", owner: $0.owner) })
            var builder = GraphPartitionBuilder<EdgeValue>()
            while try merger.next() {
                let id = Int64(shuffleBytes: merger.key)
                var reader = WireReader(merger.value)
                let edge = try LoadedEdge(from: &reader)
                if let target = edge.target {
                    builder.addEdge(from: id, to: target, value: definition.edgeValue(edge.weight))
                } else {
                    builder.addVertex(id)
                }
            }
            graph = builder.build()
            withExtendedLifetime(segments) {}
        }
        var values: [VertexValue] = []
        var halted: [Bool] = []
        var superstep = -1
        if let path = payload.restoreStatePath {
            (values, halted) = try CheckpointStore.readState(path, expectedCount: graph.vertexCount, as: VertexValue.self)
            superstep = payload.superstep
        }
        let state = State(graph: graph, values: values, halted: halted, epoch: payload.epoch, superstep: superstep)
        var sizes: [Int] = []
        if definition.combine != nil {
            // Resolve message targets once: slots per destination partition, whose ids the owners learn next.
            let routing = context.services.partitions.state(p, as: State.self)?.routing ?? MessageRouting(graph: graph, partitioner: partitioner(settings))
            state.routing = routing
            let path = "\(context.scratchDirectory)/attempt-\(assignment.attempt.rawValue)-routing.out"
            let writer = try PartitionedFileWriter(path: path, partitionCount: settings.partitions)
            for q in 0..<settings.partitions {
                let bytes = routing.targetBytes(for: q)
                try bytes.withUnsafeBytes { try writer.append(partition: q, key: UnsafeRawBufferPointer(start: nil, count: 0), value: $0) }
            }
            sizes = try writer.finish(sync: false)
            context.services.exchange.register(assignment.attempt, file: try PartitionedFile(path: path))
        }
        context.services.partitions.set(p, state)
        let report = PregelTaskReport(partitionSizes: sizes, vertices: graph.vertexCount, edges: graph.edgeCount)
        return TaskOutcome(payload: report.wireEncoded(), statistics: AttemptStatistics())
    }

    /// Fetches every partition's slot ids for this partition and maps them to local vertex indices.
    private func resolve(_ payload: PartitionTaskPayload, assignment: TaskAssignment, context: TaskContext, settings: PregelSettings) throws -> TaskOutcome {
        let p = payload.partition
        guard let state = context.services.partitions.state(p, as: State.self), state.epoch == payload.epoch else {
            throw TaskFailure("partition \(p) is not prepared on this worker for epoch \(payload.epoch)")
        }
        guard case .exchange(let sources) = payload.inbox else { throw TaskFailure("a resolve task without sources") }
        let fetcher = SegmentFetcher(
            secret: context.services.secret, server: context.services.exchange,
            scratchPrefix: "\(context.scratchDirectory)/attempt-\(assignment.attempt.rawValue)", mapStage: -1)
        let segments: [SegmentFetcher.Segment]
        do { segments = try fetcher.fetch(partition: p, sources: sources, context: context) } catch let failure as BlamelessFailure {
            throw BlamelessFailure(description: failure.description, lostOutputs: [])
        }
        var local = Array(repeating: [Int32](), count: settings.partitions)
        for segment in segments {
            var cursor = RecordCursor(blocks: segment.bytes, source: "routing of partition \(segment.mapIndex)", owner: segment.owner)
            guard try cursor.next() else { continue }
            let ids = cursor.value
            var indices = [Int32](repeating: 0, count: ids.count / 8)
            for k in indices.indices {
                let id = Int64(littleEndian: ids.loadUnaligned(fromByteOffset: k * 8, as: Int64.self))
                guard let index = state.graph.localIndex(of: id) else {
                    throw TaskFailure("partition \(segment.mapIndex) has edges to vertex \(id), which partition \(p) does not hold")
                }
                indices[k] = Int32(index)
            }
            local[segment.mapIndex] = indices
        }
        state.inbound = InboundRouting(localIndices: local)
        return TaskOutcome(payload: PregelTaskReport(vertices: state.graph.vertexCount).wireEncoded(), statistics: AttemptStatistics())
    }

    /// Runs one superstep on a partition: merges its incoming messages with its sorted vertices, calls
    /// compute on every active vertex or vertex with messages, and writes the messages it sends.
    private func superstep(_ payload: PartitionTaskPayload, assignment: TaskAssignment, context: TaskContext, settings: PregelSettings) throws -> TaskOutcome {
        let p = payload.partition
        guard let state = context.services.partitions.state(p, as: State.self), state.epoch == payload.epoch else {
            throw TaskFailure("partition \(p) is not prepared on this worker for epoch \(payload.epoch)")
        }
        let graph = state.graph
        var values = state.values
        var halted = state.halted
        if payload.initialize {
            let initial = definition.makeInitialValue(context.parameters)
            values = (0..<graph.vertexCount).map { initial(graph.ids[$0], graph.outDegree($0), payload.totalVertices) }
            halted = Array(repeating: false, count: graph.vertexCount)
        }
        guard values.count == graph.vertexCount else {
            throw TaskFailure("partition \(p) has no vertex values for superstep \(payload.superstep)")
        }
        // Incoming messages: dense blocks (combined, resolved slots) and records sorted by target id.
        let dense = definition.combine != nil
        if dense && (state.routing == nil || state.inbound == nil) {
            throw TaskFailure("partition \(p) has no resolved message routing on this worker")
        }
        var denseInbox: [Message?] = dense ? Array(repeating: nil, count: graph.vertexCount) : []
        var owners: [AnyObject] = []
        var cursors: [RecordCursor] = []
        var received = 0
        func take(sender: Int, bytes: UnsafeRawBufferPointer, owner: AnyObject, source: String) throws {
            owners.append(owner)
            var cursor = RecordCursor(blocks: bytes, source: source, owner: owner)
            if dense, try cursor.next(), cursor.key.isEmpty, let combine = definition.combine {
                received += try DenseOutbox<Message>.scatter(
                    cursor.value, localIndices: state.inbound!.localIndices[sender], into: &denseInbox, combine: combine, source: source)
                cursors.append(cursor)
            } else {
                cursors.append(RecordCursor(blocks: bytes, source: source, owner: owner))
            }
        }
        switch payload.inbox {
        case .none: break
        case .exchange(let sources):
            let fetcher = SegmentFetcher(
                secret: context.services.secret, server: context.services.exchange,
                scratchPrefix: "\(context.scratchDirectory)/attempt-\(assignment.attempt.rawValue)", mapStage: -1)
            let segments: [SegmentFetcher.Segment]
            do { segments = try fetcher.fetch(partition: p, sources: sources, context: context) } catch let failure as BlamelessFailure {
                throw BlamelessFailure(description: failure.description, lostOutputs: [])
            }
            for s in segments { try take(sender: s.mapIndex, bytes: s.bytes, owner: s.owner, source: "messages of partition \(s.mapIndex)") }
        case .checkpoint(let paths):
            for (sender, path) in paths.enumerated() {
                let file = try PartitionedFile(path: path)
                try take(sender: sender, bytes: file.segment(p), owner: file, source: path)
            }
        }
        let inbox = RunMerger(cursors: cursors)
        var hasMessage = try inbox.next()

        let counters = Counters()
        let dir = payload.checkpointDirectory
        let prefix = "\(context.scratchDirectory)/attempt-\(assignment.attempt.rawValue)"
        let sink = MapOutputSink<Message>(
            budget: settings.bufferBytes, partitioner: partitioner(settings), combine: definition.combine, scratchPrefix: prefix, counters: counters,
            direct: nil)
        let outbox = MessageOutbox<Message>(output: MapOutput<Int64, Message>(sink: sink, combine: definition.combine, counters: counters))
        let denseOutbox = dense ? DenseOutbox<Message>(slots: state.routing!.slotTargets.count, combine: definition.combine!) : nil
        let previous = AggregatorValues(values: payload.aggregates.isEmpty ? definition.aggregators.map(\.identity) : payload.aggregates)
        var globals: [String: Double] = [:]
        for pair in payload.globals { globals[pair.first] = pair.second }
        var active = 0
        var aggregates = AggregatorValues(definition.aggregators)
        if graph.vertexCount > 0 {
            let compute = try definition.makeCompute(context.parameters)
            let vertex = VertexContext<VertexValue, EdgeValue, Message>(
                initial: values[0], partition: graph, aggregators: definition.aggregators, previous: previous, globals: globals, outbox: outbox)
            vertex.superstep = payload.superstep
            vertex.totalVertices = payload.totalVertices
            vertex.dense = denseOutbox
            vertex.edgeSlots = state.routing?.edgeSlots ?? []
            var messages: [Message] = []
            for i in 0..<graph.vertexCount {
                let id = graph.ids[i]
                messages.removeAll(keepingCapacity: true)
                if dense, let combined = denseInbox[i] { messages.append(combined) }
                while hasMessage {
                    let target = Int64(shuffleBytes: inbox.key)
                    if target > id { break }
                    guard target == id else {
                        throw TaskFailure("a message was sent to vertex \(target), which does not exist (superstep \(payload.superstep - 1))")
                    }
                    var reader = WireReader(inbox.value)
                    messages.append(try Message(from: &reader))
                    received += 1
                    hasMessage = try inbox.next()
                }
                guard !halted[i] || !messages.isEmpty else { continue }
                vertex.local = i
                vertex.id = id
                vertex.value = values[i]
                vertex.halted = false
                compute(vertex, messages)
                values[i] = vertex.value
                halted[i] = vertex.halted
                if !vertex.halted { active += 1 }
                if i & 4095 == 4095 { try context.checkCancelled() }
                if let failure = sink.failure { throw failure }
            }
            aggregates = vertex.aggregates
        }
        if hasMessage {
            throw TaskFailure("a message was sent to vertex \(Int64(shuffleBytes: inbox.key)), which does not exist (superstep \(payload.superstep - 1))")
        }
        withExtendedLifetime(owners) {}
        let path = dir.map { CheckpointStore.messagesPath($0, partition: p) } ?? "\(prefix)-messages.out"
        var sizes: [Int]
        if let denseOutbox, let routing = state.routing {
            // Each destination's stretch of dense slots first (an empty key sorts first), then keyed sends.
            let keyedPath = "\(prefix)-keyed.out"
            _ = try sink.finish(table: outbox.output.table, finalPath: keyedPath)
            let keyed = try PartitionedFile(path: keyedPath)
            let writer = try PartitionedFileWriter(path: path, partitionCount: settings.partitions)
            for q in 0..<settings.partitions {
                let block = denseOutbox.block(routing.slotBase[q]..<routing.slotBase[q + 1])
                try block.withUnsafeBytes { try writer.append(partition: q, key: UnsafeRawBufferPointer(start: nil, count: 0), value: $0) }
                var cursor = keyed.cursor(q)
                while try cursor.next() { try writer.append(partition: q, key: cursor.key, value: cursor.value) }
            }
            sizes = try writer.finish(sync: false)
            try FileSystem.unlink(keyedPath)
        } else {
            sizes = try sink.finish(table: outbox.output.table, finalPath: path)
        }
        let sent = outbox.output.emitted + (denseOutbox?.sends ?? 0)
        if let dir {
            try FileSystem.syncFile(path)
            try CheckpointStore.writeState(CheckpointStore.statePath(dir, partition: p), values: values, halted: halted)
        }
        context.services.exchange.register(assignment.attempt, file: try PartitionedFile(path: path))
        state.values = values
        state.halted = halted
        state.superstep = payload.superstep
        var statistics = AttemptStatistics()
        statistics.recordsIn = received
        statistics.recordsOut = sent
        statistics.bytesOut = sizes.reduce(0, +)
        let report = PregelTaskReport(
            partitionSizes: sizes, vertices: graph.vertexCount, activeVertices: active, messagesSent: sent, aggregates: aggregates.values)
        return TaskOutcome(payload: report.wireEncoded(), statistics: statistics)
    }

    /// Writes `vertex<TAB>value` for every vertex of the partition, in id order, to its part file.
    private func output(_ payload: PartitionTaskPayload, assignment: TaskAssignment, context: TaskContext, settings: PregelSettings) throws -> TaskOutcome {
        guard let state = context.services.partitions.state(payload.partition, as: State.self), state.epoch == payload.epoch,
            state.values.count == state.graph.vertexCount
        else {
            throw TaskFailure("partition \(payload.partition) is not on this worker for output")
        }
        let path = OutputCommitter.temporaryPath(
            outputDirectory: settings.outputDirectory, attempt: assignment.attempt, name: MapReduceSettings.partName(payload.partition))
        let writer = try OutputLineWriter(path: path)
        for i in 0..<state.graph.vertexCount {
            try writer.write(keyText: Array(String(state.graph.ids[i]).utf8), fields: [definition.formatValue(state.values[i])])
        }
        try writer.finish()
        var statistics = AttemptStatistics()
        statistics.recordsOut = writer.records
        statistics.bytesOut = writer.bytes
        return TaskOutcome(payload: PregelTaskReport(vertices: state.graph.vertexCount).wireEncoded(), statistics: statistics)
    }
}

/// Where a vertex's sends go: a map-side buffer keyed by target vertex, combined and partitioned by owner.
final class MessageOutbox<Message: WireCodable & Sendable> {
    let output: MapOutput<Int64, Message>
    init(output: MapOutput<Int64, Message>) { self.output = output }
    @inline(__always) func send(to target: Int64, _ message: Message) { output.emit(target, message) }
}
