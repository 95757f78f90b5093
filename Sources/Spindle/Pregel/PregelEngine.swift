import SpindleCore
import SpindlePosix

/// Runs a ``PregelJob``: the coordinator side is a ``SuperstepDriver``; on workers a task loads edges, prepares
/// a partition, runs a superstep on it, or writes its output (see ``PartitionTaskKind``).
///
/// Messages and edges move through the shared exchange: a superstep's messages to vertex `v` are records
/// keyed by `v` in the partition that owns `v`, combined on the sender, sorted, and fetched by the owner
/// for the next superstep, where a merge with the sorted vertex ids hands each vertex its messages.
struct PregelEngine<VertexValue: WireCodable & Sendable, EdgeValue: Sendable, Message: WireCodable & Sendable>: JobEngine {
    typealias State = PartitionState<VertexValue, EdgeValue>
    let definition: PregelJob<VertexValue, EdgeValue, Message>

    func makeDriver(_ setup: DriverSetup) throws -> any JobDriver {
        SuperstepDriver(
            setup: setup, aggregators: definition.aggregators, master: definition.makeMasterCompute?(setup.parameters),
            resolvesMessageTargets: definition.combiner != nil, vocabulary: .pregel)
    }

    // The job's types are known only in the job's module, so this generic code would run unspecialized
    // (metadata lookups and witness calls per vertex and message); pre-specialize the built-in jobs' types.
    @_specialize(where VertexValue == Double, EdgeValue == Unweighted, Message == Double)
    @_specialize(where VertexValue == Int64, EdgeValue == Unweighted, Message == Int64)
    @_specialize(where VertexValue == Double, EdgeValue == Double, Message == Double)
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
        case .resolve: return try resolve(payload, assignment: assignment, context: context, settings: settings)
        case .load: throw TaskFailure("a load payload outside the load stage")
        }
    }

    /// The shuffle partitioner of keyed messages: a message keyed by vertex `v` goes to `v`'s partition.
    private func partitioner(_ settings: SuperstepSettings) -> PartitionFunction {
        let vertices = VertexPartitioner(partitions: settings.partitions)
        return PartitionFunction(kind: .custom({ key, _ in vertices.partition(of: Int64(shuffleBytes: key)) }), partitions: settings.partitions)
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
                let number = try InputRecordReader.lineNumber(of: record.offset, path: record.path, planned: planned)
                throw InputError(message: "malformed edge at \(record.path):\(number): \(problem); fix the line or pass --skip-bad-records")
            })
        let path = "\(prefix)-edges.out"
        let sizes = try buckets.finish(path: path)
        context.services.exchange.register(assignment.attempt, file: try PartitionedFile(path: path))
        var statistics = AttemptStatistics()
        statistics.bytesIn = split.byteCount
        statistics.recordsIn = edges
        statistics.recordsOut = sent
        statistics.bytesOut = sizes.reduce(0, +)
        let report = PartitionReport(partitionSizes: sizes, records: edges, skippedRecords: skipped + counters[CounterName.skippedRecords])
        return TaskOutcome(payload: report.wireEncoded(), statistics: statistics)
    }

    /// Builds the partition's graph from the loaders' outputs (unless this worker has it) and sets its
    /// values from a checkpoint, or marks them for initialisation.
    private func prepare(_ payload: PartitionTask, assignment: TaskAssignment, context: TaskContext, settings: SuperstepSettings) throws
        -> TaskOutcome
    {
        let p = payload.partition
        let graph: GraphPartition<EdgeValue>
        if let existing = context.services.partitions.object(p, as: State.self) {
            graph = existing.graph
            for (_, attempt) in existing.servedMessages { context.services.exchange.unregister(attempt) }
            existing.servedMessages = []
        } else {
            let fetcher = SegmentFetcher(
                secret: context.services.secret, server: context.services.exchange,
                scratchPrefix: context.scratchPrefix, producerStage: SuperstepDriver.loadStage, producerName: "load task",
                inMemory: true)
            let segments = try fetcher.fetch(partition: p, sources: payload.loadSources, context: context)
            if let ahead = payload.ahead { fetcher.prefetch(ahead) }
            graph = try GraphPartitionAssembler.assemble(
                segments.map { .init(bytes: $0.bytes, name: "load task \($0.producer) output", owner: $0.owner, verified: $0.verified) },
                edgeValue: definition.edgeValue)
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
        if definition.combiner != nil {
            // Resolve message targets once: slots per destination partition, whose ids the owners learn next.
            let routing =
                context.services.partitions.object(p, as: State.self)?.routing
                ?? MessageRouting(graph: graph, partitioner: VertexPartitioner(partitions: settings.partitions))
            state.routing = routing
            let path = context.scratchPrefix + "-routing.out"
            let writer = try PartitionedFileWriter(path: path, partitionCount: settings.partitions)
            for q in 0..<settings.partitions {
                let bytes = routing.targetBytes(for: q)
                try bytes.withUnsafeBytes { try writer.append(partition: q, key: UnsafeRawBufferPointer(start: nil, count: 0), value: $0) }
            }
            sizes = try writer.finish(sync: false)
            context.services.exchange.register(assignment.attempt, file: try PartitionedFile(path: path))
        }
        context.services.partitions.set(p, state)
        let report = PartitionReport(partitionSizes: sizes, members: graph.vertexCount, records: graph.edgeCount)
        return TaskOutcome(payload: report.wireEncoded(), statistics: AttemptStatistics())
    }

    /// Fetches every partition's slot ids for this partition and maps them to local vertex indices.
    private func resolve(_ payload: PartitionTask, assignment: TaskAssignment, context: TaskContext, settings: SuperstepSettings) throws
        -> TaskOutcome
    {
        let p = payload.partition
        guard let state = context.services.partitions.object(p, as: State.self), state.epoch == payload.epoch else {
            throw TaskFailure("partition \(p) is not prepared on this worker for epoch \(payload.epoch)")
        }
        guard case .exchange = payload.inbox else { throw TaskFailure("a resolve task without sources") }
        let routings = try SuperstepInbox(payload.inbox, partition: p, context: context, inMemory: true, ahead: payload.ahead)
        var local = Array(repeating: [Int32](), count: settings.partitions)
        for segment in routings.segments {
            let source = "routing of partition \(segment.sender)"
            var cursor = RecordCursor(blocks: segment.bytes, source: source, owner: segment.owner, checksumsVerified: segment.verified)
            guard try cursor.next() else { continue }
            let ids = cursor.value
            var indices = [Int32](repeating: 0, count: ids.count / 8)
            for k in indices.indices {
                let id = Int64(littleEndian: ids.loadUnaligned(fromByteOffset: k * 8, as: Int64.self))
                guard let index = state.graph.localIndex(of: id) else {
                    throw TaskFailure("partition \(segment.sender) has edges to vertex \(id), which partition \(p) does not hold")
                }
                indices[k] = Int32(index)
            }
            local[segment.sender] = indices
        }
        state.inbound = InboundRouting(localIndices: local)
        return TaskOutcome(payload: PartitionReport(members: state.graph.vertexCount).wireEncoded(), statistics: AttemptStatistics())
    }

    /// Runs one superstep on a partition: merges its incoming messages with its sorted vertices, calls
    /// compute on every active vertex or vertex with messages, and writes the messages it sends.
    private func superstep(_ payload: PartitionTask, assignment: TaskAssignment, context: TaskContext, settings: SuperstepSettings) throws
        -> TaskOutcome
    {
        let p = payload.partition
        guard let state = context.services.partitions.object(p, as: State.self), state.epoch == payload.epoch else {
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
        let dense = definition.combiner != nil
        if dense && (state.routing == nil || state.inbound == nil) {
            throw TaskFailure("partition \(p) has no resolved message routing on this worker")
        }
        let slots = dense ? combinedSlots(state) : nil
        let incoming = try SuperstepInbox(payload.inbox, partition: p, context: context, inMemory: true, ahead: payload.ahead)
        var cursors: [RecordCursor] = []
        var received = 0
        for (segment, segmentCursor) in zip(incoming.segments, incoming.cursors()) {
            var cursor = segmentCursor
            if let slots, try cursor.next(), cursor.key.isEmpty {
                received += try slots.inbox.scatter(cursor.value, localIndices: state.inbound!.localIndices[segment.sender], source: segment.source)
                cursors.append(cursor)
            } else {
                cursors.append(segmentCursor)
            }
        }
        let inbox = RunMerger(cursors: cursors)
        var hasMessage = try inbox.next()

        let counters = Counters()
        let dir = payload.checkpointDirectory
        let prefix = context.scratchPrefix
        let sink = MapOutputSink<Message>(
            budget: settings.bufferBytes, partitioner: partitioner(settings), combine: definition.combine, scratchPrefix: prefix, counters: counters,
            direct: nil)
        let outbox = MessageOutbox<Message>(output: MapOutput<Int64, Message>(sink: sink, combine: definition.combine, counters: counters))
        let denseOutbox = slots?.outbox
        let previous = AggregatorValues(values: payload.aggregates.isEmpty ? definition.aggregators.map(\.identity) : payload.aggregates)
        var globals: [String: Double] = [:]
        for pair in payload.globals { globals[pair.first] = pair.second }
        var active = 0
        var directSends = 0
        var broadcastEdges = 0
        var aggregates = AggregatorValues(definition.aggregators)
        if graph.vertexCount > 0 {
            let compute = try definition.makeCompute(context.parameters)
            let vertex = VertexContext<VertexValue, EdgeValue, Message>(
                initial: values[0], partition: graph, aggregators: definition.aggregators, previous: previous, globals: globals, outbox: outbox)
            vertex.storedSuperstep = payload.superstep
            vertex.storedTotalVertices = payload.totalVertices
            vertex.dense = denseOutbox
            vertex.edgeSlots = state.routing?.edgeSlots ?? []
            vertex.broadcasts = slots?.broadcasts
            // A vertex's messages: its combined one alone in `single` (reused) when no keyed ones are addressed to it,
            // else gathered in `messages`. The combined inbox's slots are read directly: this runs once per vertex.
            let combinedPresent = slots?.inbox.present
            let combinedValues = slots?.inbox.values
            try graph.ids.withUnsafeBufferPointer { ids in
                try graph.offsets.withUnsafeBufferPointer { offsets in
                    try values.withUnsafeMutableBufferPointer { values in
                        try halted.withUnsafeMutableBufferPointer { halted in
                            // Declared here, not captured from outside the closures, so that passing them to
                            // `compute` needs no retain.
                            var messages: [Message] = []
                            var single: [Message] = []
                            let none: [Message] = []
                            @inline(__always) func run(_ i: Int, _ messages: [Message]) {
                                vertex.local = i
                                vertex.edgeStart = offsets[i]
                                vertex.storedOutDegree = offsets[i + 1] - offsets[i]
                                vertex.storedID = ids[i]
                                vertex.storedValue = values[i]
                                vertex.halted = false
                                compute(vertex, messages)
                                values[i] = vertex.storedValue
                                halted[i] = vertex.halted
                                if !vertex.halted { active += 1 }
                            }
                            for i in 0..<ids.count {
                                let id = ids[i]
                                let holdsCombined = combinedPresent?[i] ?? false
                                if !hasMessage || Int64(shuffleBytes: inbox.key) > id {
                                    if holdsCombined {
                                        let message = combinedValues.unsafelyUnwrapped[i]
                                        if single.isEmpty { single.append(message) } else { single[0] = message }
                                        run(i, single)
                                    } else if !halted[i] {
                                        run(i, none)
                                    }
                                } else {
                                    messages.removeAll(keepingCapacity: true)
                                    if holdsCombined { messages.append(combinedValues.unsafelyUnwrapped[i]) }
                                    while hasMessage {
                                        let target = Int64(shuffleBytes: inbox.key)
                                        if target > id { break }
                                        guard target == id else {
                                            throw TaskFailure(
                                                "a message was sent to vertex \(target), which does not exist (superstep \(payload.superstep - 1))")
                                        }
                                        var reader = WireReader(inbox.value)
                                        messages.append(try Message(from: &reader))
                                        received += 1
                                        hasMessage = try inbox.next()
                                    }
                                    run(i, messages)
                                }
                                if i & 4095 == 4095 {
                                    try context.checkCancelled()
                                    if let failure = sink.failure { throw failure }
                                }
                            }
                        }
                    }
                }
            }
            if let failure = sink.failure { throw failure }
            directSends = slots?.outbox.added ?? 0
            broadcastEdges = vertex.broadcastEdges
            if let slots, let routing = state.routing, broadcastEdges > 0 {
                // Deliver the broadcasts along the edges: by slot when most edges carry one (sequential
                // writes, reads from the small broadcast array), by vertex when few do.
                if broadcastEdges * 4 >= graph.edgeCount {
                    slots.outbox.gather(
                        slots.broadcasts, start: routing.slotEdgeStart, sources: routing.slotSources,
                        everySourceSends: vertex.broadcastingEdges == graph.edgeCount)
                } else {
                    routing.edgeSlots.withUnsafeBufferPointer { edgeSlots in
                        for v in 0..<graph.vertexCount where slots.broadcasts.holds(v) {
                            slots.outbox.add(slots: edgeSlots.baseAddress!, graph.offsets[v], graph.offsets[v + 1], slots.broadcasts.message(v))
                        }
                    }
                }
            }
            aggregates = vertex.aggregates
        }
        if hasMessage {
            throw TaskFailure(
                "a message was sent to vertex \(Int64(shuffleBytes: inbox.key)), which does not exist (superstep \(payload.superstep - 1))")
        }
        withExtendedLifetime(incoming) {}
        let path = dir.map { CheckpointStore.messagesPath($0, partition: p) } ?? "\(prefix)-messages.out"
        var sizes: [Int]
        let messages: PartitionedFile
        if let denseOutbox, let routing = state.routing, dir == nil, outbox.output.emitted == 0 {
            // Only dense slots, kept in memory: each destination's block is written in place.
            let builder = DirectBlockFileBuilder(
                name: "messages of partition \(p) in superstep \(payload.superstep)", partitionCount: settings.partitions,
                expectedBytes: routing.slotTargets.count * (MemoryLayout<Message>.size + 1) + 64 * settings.partitions)
            for q in 0..<settings.partitions {
                try denseOutbox.appendBlock(routing.slotBase[q]..<routing.slotBase[q + 1], partition: q, to: builder)
            }
            (messages, sizes) = try builder.finish()
        } else if let denseOutbox, let routing = state.routing {
            // Each destination's stretch of dense slots first (an empty key sorts first), then keyed sends.
            // Kept in memory unless they belong to a checkpoint.
            var keyed: PartitionedFile?
            if outbox.output.emitted > 0 {
                let keyedPath = "\(prefix)-keyed.out"
                _ = try sink.finish(table: outbox.output.table, finalPath: keyedPath)
                keyed = try PartitionedFile(path: keyedPath)
                try FileSystem.unlink(keyedPath)
            }
            let writer =
                dir == nil
                ? PartitionedFileWriter(
                    memoryNamed: "messages of partition \(p) in superstep \(payload.superstep)", partitionCount: settings.partitions,
                    expectedBytes: routing.slotTargets.count * (MemoryLayout<Message>.size + 1))
                : try PartitionedFileWriter(path: path, partitionCount: settings.partitions)
            for q in 0..<settings.partitions {
                try denseOutbox.withBlock(routing.slotBase[q]..<routing.slotBase[q + 1]) { block in
                    try writer.append(partition: q, key: UnsafeRawBufferPointer(start: nil, count: 0), value: block)
                }
                guard var cursor = keyed?.cursor(q) else { continue }
                while try cursor.next() { try writer.append(partition: q, key: cursor.key, value: cursor.value) }
            }
            if dir == nil {
                (messages, sizes) = try writer.finishInMemory()
            } else {
                sizes = try writer.finish(sync: false)
                messages = try PartitionedFile(path: path)
            }
        } else {
            sizes = try sink.finish(table: outbox.output.table, finalPath: path)
            messages = try PartitionedFile(path: path)
        }
        let sent = outbox.output.emitted + directSends + broadcastEdges
        if let dir {
            try FileSystem.syncFile(path)
            try CheckpointStore.writeState(CheckpointStore.statePath(dir, partition: p), values: values, halted: halted)
        }
        context.services.exchange.register(assignment.attempt, file: messages)
        // Superstep s reads the messages of s - 1 only; older ones are no longer needed.
        state.servedMessages.append((payload.superstep, assignment.attempt))
        while let oldest = state.servedMessages.first, oldest.superstep < payload.superstep - 1 {
            context.services.exchange.unregister(oldest.attempt)
            state.servedMessages.removeFirst()
        }
        state.values = values
        state.halted = halted
        state.superstep = payload.superstep
        var statistics = AttemptStatistics()
        statistics.recordsIn = received
        statistics.recordsOut = sent
        statistics.bytesOut = sizes.reduce(0, +)
        let report = PartitionReport(
            partitionSizes: sizes, members: graph.vertexCount, activeMembers: active, messagesSent: sent, aggregates: aggregates.values)
        return TaskOutcome(payload: report.wireEncoded(), statistics: statistics)
    }

    /// Appends the decimal digits of `n` (with a minus sign when negative), as `String(n)` spells it.
    static func appendDecimal(_ n: Int64, to bytes: inout [UInt8]) {
        var magnitude = n.magnitude
        if n < 0 { bytes.append(0x2D) }
        let start = bytes.count
        repeat {
            bytes.append(0x30 + UInt8(magnitude % 10))
            magnitude /= 10
        } while magnitude > 0
        bytes[start...].reverse()
    }

    /// The partition's message slots, emptied for a new superstep (allocated once per partition and epoch).
    private func combinedSlots(_ state: State) -> SuperstepSlots<Message> {
        if let slots = state.slots as? SuperstepSlots<Message> {
            slots.inbox.reset()
            slots.outbox.reset()
            slots.broadcasts.reset()
            return slots
        }
        let slots = SuperstepSlots<Message>(
            inbox: CombinedSlots(count: state.graph.vertexCount, combiner: definition.combiner!),
            outbox: CombinedSlots(count: state.routing!.slotTargets.count, combiner: definition.combiner!),
            broadcasts: CombinedSlots(count: state.graph.vertexCount, combiner: definition.combiner!))
        state.slots = slots
        return slots
    }

    /// Writes `vertex<TAB>value` for every vertex of the partition, in id order, to its part file.
    private func output(_ payload: PartitionTask, assignment: TaskAssignment, context: TaskContext, settings: SuperstepSettings) throws
        -> TaskOutcome
    {
        guard let state = context.services.partitions.object(payload.partition, as: State.self), state.epoch == payload.epoch,
            state.values.count == state.graph.vertexCount
        else {
            throw TaskFailure("partition \(payload.partition) is not on this worker for output")
        }
        let path = OutputCommitter.temporaryPath(
            outputDirectory: settings.outputDirectory, attempt: assignment.attempt, name: OutputCommitter.partName(payload.partition))
        let writer = try OutputLineWriter(path: path)
        let ids = state.graph.ids
        if definition.customFormat == nil && (VertexValue.self == Double.self || VertexValue.self == Int64.self) {
            // Default formatting of a number: its digits need no escaping; lines go out in batches.
            var lines: [UInt8] = []
            lines.reserveCapacity(1 << 17)
            var batched = 0
            for i in 0..<state.graph.vertexCount {
                Self.appendDecimal(ids[i], to: &lines)
                lines.append(0x09)
                if VertexValue.self == Int64.self {
                    Self.appendDecimal(unsafeBitCast(state.values[i], to: Int64.self), to: &lines)
                } else {
                    var text = unsafeBitCast(state.values[i], to: Double.self).description
                    text.withUTF8 { lines.append(contentsOf: $0) }
                }
                lines.append(0x0A)
                batched += 1
                if lines.count >= 1 << 16 {
                    try lines.withUnsafeBytes { try writer.writeRawLines($0, count: batched) }
                    lines.removeAll(keepingCapacity: true)
                    batched = 0
                }
            }
            try lines.withUnsafeBytes { try writer.writeRawLines($0, count: batched) }
        } else {
            var key: [UInt8] = []
            for i in 0..<state.graph.vertexCount {
                key.removeAll(keepingCapacity: true)
                Self.appendDecimal(ids[i], to: &key)
                try writer.write(keyText: key, field: definition.formatValue(state.values[i]))
            }
        }
        try writer.finish()
        var statistics = AttemptStatistics()
        statistics.recordsOut = writer.records
        statistics.bytesOut = writer.bytes
        return TaskOutcome(payload: PartitionReport(members: state.graph.vertexCount).wireEncoded(), statistics: statistics)
    }
}

/// A partition's combined message slots: what it received (one slot per local vertex), what it sends
/// (one slot per resolved target), and what its vertices broadcast (one slot per local vertex).
final class SuperstepSlots<Message: WireCodable & Sendable> {
    let inbox: CombinedSlots<Message>
    let outbox: CombinedSlots<Message>
    let broadcasts: CombinedSlots<Message>
    init(inbox: CombinedSlots<Message>, outbox: CombinedSlots<Message>, broadcasts: CombinedSlots<Message>) {
        self.inbox = inbox
        self.outbox = outbox
        self.broadcasts = broadcasts
    }
}

/// Where a vertex's sends go: a map-side buffer keyed by target vertex, combined and partitioned by owner.
final class MessageOutbox<Message: WireCodable & Sendable> {
    let output: MapOutput<Int64, Message>
    init(output: MapOutput<Int64, Message>) { self.output = output }
    @inline(__always) func send(to target: Int64, _ message: Message) { output.emit(target, message) }
}
