import SpindleCore
import SpindlePosix

/// A ``PregelJob`` as the program a ``PartitionHost`` runs: a partition is a graph in CSR form with one value
/// and halt flag per vertex (the members); a superstep merges the incoming messages with the sorted vertices,
/// runs compute on every active vertex or vertex with messages (``VertexComputeLoop``), and writes what the
/// vertices sent (``VertexMessageWriter``). Jobs with a combiner resolve message targets once into dense slots
/// (``MessageRouting``), so most messages travel without keys.
struct VertexProgram<VertexValue: WireCodable & Sendable, EdgeValue: Sendable, Message: WireCodable & Sendable>: PartitionProgram {
    typealias State = PregelPartition<VertexValue, EdgeValue, Message>
    let definition: PregelJob<VertexValue, EdgeValue, Message>
    let settings: SuperstepSettings

    var aggregators: [Aggregator] { definition.aggregators }
    var keepsInboxInMemory: Bool { true }

    /// Builds the partition's graph from the loaders' outputs, or reads it from its image (unless this worker holds
    /// it already), and sets its values from a checkpoint, or leaves them for superstep 0 to initialise. Jobs with
    /// a combiner also resolve their message targets and serve every partition the slot ids it will receive.
    func prepare(_ task: PartitionTask, previous: State?, context: TaskContext) throws -> PreparedPartition<State> {
        let (assembled, imaged, image, write) = try graph(task, previous: previous, context: context)
        var graph = assembled
        var routing: MessageRouting?
        if definition.combiner != nil {
            let resolved = previous?.routing ?? imaged ?? MessageRouting(graph: graph, partitioner: VertexPartitioner(partitions: settings.partitions))
            // The slots know every edge's target: the graph's own target array is released.
            graph = graph.readingTargets(through: resolved)
            routing = resolved
        }
        var state = State(graph: graph, values: [], halted: [])
        if let path = task.restoreStatePath {
            (state.values, state.halted) = try CheckpointStore.readState(path, expectedCount: graph.vertexCount, as: VertexValue.self)
        }
        var output: PartitionedOutput?
        if let routing {
            state.routing = routing
            output = try writeRouting(routing, context: context)
        }
        var prepared = PreparedPartition(state: state, members: graph.vertexCount, records: graph.edgeCount, output: output, graphImage: image)
        prepared.imageWrite = write
        return prepared
    }

    /// The partition's graph: the one this worker holds, its image when told to read it, or else one assembled from
    /// the load outputs, whose image is then to be written in the background when the job keeps images (a damaged
    /// image is reported). The image holds the message routing too (jobs with a combiner), returned when it was read
    /// or made here.
    private func graph(
        _ task: PartitionTask, previous: State?, context: TaskContext
    ) throws -> (GraphPartition<EdgeValue>, MessageRouting?, GraphImageReport?, GraphImageWriter.Write?) {
        let path = GraphPartition<EdgeValue>.imageable ? task.graphImagePath : nil
        if let graph = previous?.graph {
            return (graph, nil, path.map { _ in GraphImageReport(source: .held, intact: task.readsGraphImage) }, nil)
        }
        var problem: String?
        if let path, task.readsGraphImage {
            do {
                let (graph, routing) = try GraphPartition<EdgeValue>.readImage(path, partition: task.partition, partitions: settings.partitions) {
                    definition.edgeValue(nil)
                }
                return (graph, routing, GraphImageReport(source: .image, intact: true), nil)
            } catch {
                problem = String("\(error)".prefix(1024))
            }
        }
        let graph = try assembleGraph(task, context: context)
        guard let path else { return (graph, nil, nil, nil) }
        let routing = definition.combiner == nil ? nil : MessageRouting(graph: graph, partitioner: VertexPartitioner(partitions: settings.partitions))
        // The image only saves work later: a partition whose image cannot be written is rebuilt from the input.
        let partition = task.partition
        let write = GraphImageWriter.Write { stop in try graph.writeImage(path, partition: partition, routing: routing, stop: stop) }
        return (graph, routing, GraphImageReport(source: .loadOutputs, intact: false, problem: problem), write)
    }

    private func assembleGraph(_ task: PartitionTask, context: TaskContext) throws -> GraphPartition<EdgeValue> {
        let fetcher = SegmentFetcher(
            secret: context.services.secret, server: context.services.exchange, scratchPrefix: context.scratchPrefix,
            producerStage: SuperstepDriver.loadStage, producerName: "load task", inMemory: true)
        let segments = try fetcher.fetch(partition: task.partition, sources: task.loadSources, context: context)
        if let ahead = task.ahead { fetcher.prefetch(ahead) }
        let graph = try GraphPartitionAssembler.assemble(
            segments.map { .init(bytes: $0.bytes, name: "load task \($0.producer) output", owner: $0.owner, verified: $0.verified) },
            edgeValue: definition.edgeValue)
        withExtendedLifetime(segments) {}
        return graph
    }

    /// Writes, for every destination partition, the ids of the slots this partition sends it.
    private func writeRouting(_ routing: MessageRouting, context: TaskContext) throws -> PartitionedOutput {
        let path = context.scratchPrefix + "-routing.out"
        let writer = try PartitionedFileWriter(path: path, partitionCount: settings.partitions)
        for q in 0..<settings.partitions {
            let bytes = routing.targetBytes(for: q)
            try bytes.withUnsafeBytes { try writer.append(partition: q, key: UnsafeRawBufferPointer(start: nil, count: 0), value: $0) }
        }
        let sizes = try writer.finish(sync: false)
        return PartitionedOutput(file: try PartitionedFile(path: path), sizes: sizes, path: path)
    }

    /// Fetches every partition's slot ids for this partition and maps them to local vertex indices.
    func resolve(_ state: inout State, _ task: PartitionTask, context: TaskContext) throws -> Int {
        guard case .exchange = task.inbox else { throw TaskFailure("the resolve task of partition \(task.partition) has no sources") }
        let routings = try SuperstepInbox(task.inbox, partition: task.partition, context: context, inMemory: true, ahead: task.ahead)
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
                    throw TaskFailure("partition \(segment.sender) has edges to vertex \(id), which partition \(task.partition) does not hold")
                }
                indices[k] = Int32(index)
            }
            local[segment.sender] = indices
        }
        withExtendedLifetime(routings) {}
        state.inbound = InboundRouting(localIndices: local)
        return state.graph.vertexCount
    }

    /// Runs one superstep on the partition and writes the messages its vertices sent.
    func superstep(_ state: inout State, _ input: SuperstepInput, context: TaskContext) throws -> SuperstepResult {
        let task = input.task
        let graph = state.graph
        if task.initialize {
            let initial = definition.makeInitialValue(context.parameters)
            state.values = (0..<graph.vertexCount).map { initial(graph.ids[$0], graph.outDegree($0), task.totalVertices) }
            state.halted = Array(repeating: false, count: graph.vertexCount)
        }
        guard state.values.count == graph.vertexCount else {
            throw TaskFailure("partition \(task.partition) has no vertex values for superstep \(task.superstep)")
        }
        let slots = try combinedSlots(&state, partition: task.partition)
        let (keyed, scattered) = try mergeInbox(input.inbox, slots: slots, inbound: state.inbound)
        let counters = Counters()
        let sink = MapOutputSink<Message>(
            budget: settings.bufferBytes, partitioner: partitioner, combine: definition.combine, scratchPrefix: context.scratchPrefix,
            counters: counters, direct: nil)
        let targets = try messageTargets(task)
        let vertices = VertexPartitioner(partitions: settings.partitions)
        let outbox = MessageOutbox<Message>(
            output: MapOutput<Int64, Message>(sink: sink, combine: definition.combine, counters: counters),
            keeps: targets.map { wanted in { wanted[vertices.partition(of: $0)] } })
        var active = 0
        var received = scattered
        var aggregates = AggregatorValues(definition.aggregators)
        var alongEdges = 0
        if graph.vertexCount > 0 {
            let vertex = makeVertexContext(state, input, outbox: outbox, slots: slots)
            let loop = VertexComputeLoop(
                graph: graph, vertex: vertex, compute: try definition.makeCompute(context.parameters), keyed: keyed, combined: slots?.inbox,
                sink: sink, context: context)
            let counts = try loop.run(values: &state.values, halted: &state.halted)
            active = counts.active
            received += counts.received
            alongEdges = (slots?.outbox.added ?? 0) + vertex.broadcastEdges
            if let slots, let routing = state.routing {
                slots.deliverBroadcasts(
                    graph: graph, routing: routing, broadcastEdges: vertex.broadcastEdges, broadcastingEdges: vertex.broadcastingEdges,
                    targets: task.messageTargets)
            }
            aggregates = vertex.aggregates
        } else if try keyed.next() {
            throw TaskFailure(
                "a message was sent to vertex \(Int64(shuffleBytes: keyed.key)), which does not exist (superstep \(task.superstep - 1))")
        }
        let writer = VertexMessageWriter<Message>(
            partition: task.partition, superstep: task.superstep, partitionCount: settings.partitions, scratchPrefix: context.scratchPrefix,
            targets: targets)
        let messages = try writer.write(
            dense: slots?.outbox, routing: state.routing, keyed: outbox, sink: sink, path: input.messagesPath, checkpointing: input.checkpointing)
        return SuperstepResult(
            messages: messages, members: graph.vertexCount, activeMembers: active, messagesSent: outbox.output.emitted + alongEdges,
            messagesReceived: received, aggregates: aggregates, spills: sink.spillCount)
    }

    /// Which partitions the task sends messages to, by partition (nil: every one).
    /// - Throws: a ``TaskFailure`` when the task names a partition the job does not have.
    private func messageTargets(_ task: PartitionTask) throws -> [Bool]? {
        guard let targets = task.messageTargets else { return nil }
        var wanted = Array(repeating: false, count: settings.partitions)
        for q in targets {
            guard wanted.indices.contains(q) else {
                throw TaskFailure(
                    "superstep \(task.superstep) of partition \(task.partition) names message target partition \(q) of \(settings.partitions)")
            }
            wanted[q] = true
        }
        return wanted
    }

    /// The shuffle partitioner of keyed messages: a message keyed by vertex `v` goes to `v`'s partition.
    private var partitioner: PartitionFunction {
        let vertices = VertexPartitioner(partitions: settings.partitions)
        return PartitionFunction(kind: .custom({ key, _ in vertices.partition(of: Int64(shuffleBytes: key)) }), partitions: settings.partitions)
    }

    /// The one context every vertex of the superstep runs with.
    private func makeVertexContext(
        _ state: State, _ input: SuperstepInput, outbox: MessageOutbox<Message>, slots: SuperstepSlots<Message>?
    ) -> VertexContext<VertexValue, EdgeValue, Message> {
        let vertex = VertexContext<VertexValue, EdgeValue, Message>(
            initial: state.values[0], partition: state.graph, aggregators: definition.aggregators, previous: input.aggregates,
            globals: input.globals, outbox: outbox)
        vertex.storedSuperstep = input.task.superstep
        vertex.storedTotalVertices = input.task.totalVertices
        vertex.dense = slots?.outbox
        vertex.edgeSlots = state.routing?.edgeSlots ?? []
        vertex.broadcasts = slots?.broadcasts
        return vertex
    }

    /// The partition's message slots, emptied for a new superstep (allocated once per partition and epoch);
    /// nil for a job without a combiner.
    private func combinedSlots(_ state: inout State, partition: Int) throws -> SuperstepSlots<Message>? {
        guard let combiner = definition.combiner else { return nil }
        guard let routing = state.routing, state.inbound != nil else {
            throw TaskFailure("partition \(partition) has no resolved message routing on this worker")
        }
        if let slots = state.slots {
            slots.reset()
            return slots
        }
        let slots = SuperstepSlots(graph: state.graph, routing: routing, combiner: combiner)
        state.slots = slots
        return slots
    }

    /// The keyed messages of `inbox`, merged by target id. A segment whose first record has an empty key starts
    /// with a dense block, which is scattered into `slots.inbox` first.
    /// - Returns: the merger and the number of messages scattered.
    private func mergeInbox(_ inbox: SuperstepInbox, slots: SuperstepSlots<Message>?, inbound: InboundRouting?) throws -> (RunMerger, Int) {
        var cursors: [RecordCursor] = []
        var received = 0
        for (segment, segmentCursor) in zip(inbox.segments, inbox.cursors()) {
            var cursor = segmentCursor
            if let slots, let inbound, try cursor.next(), cursor.key.isEmpty {
                received += try slots.inbox.scatter(cursor.value, localIndices: inbound.localIndices[segment.sender], source: segment.source)
                cursors.append(cursor)
            } else {
                cursors.append(segmentCursor)
            }
        }
        return (RunMerger(cursors: cursors), received)
    }

    func writeCheckpoint(_ state: State, to path: String) throws {
        try CheckpointStore.writeState(path, values: state.values, halted: state.halted)
    }

    /// Writes `vertex<TAB>value` for every vertex of the partition, in id order.
    func output(_ state: State, partition: Int, to writer: OutputLineWriter, context: TaskContext) throws -> Int {
        guard state.values.count == state.graph.vertexCount else {
            throw TaskFailure("partition \(partition) has no vertex values on this worker for output")
        }
        try VertexOutputFormatter.write(
            ids: state.graph.ids, values: state.values, customFormat: definition.customFormat, format: definition.formatValue, to: writer)
        return state.graph.vertexCount
    }
}
