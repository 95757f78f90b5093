import SpindleCore
import Testing

@testable import Spindle

@Suite struct GraphPartitionAssemblerTests {
    struct Edge {
        var source: Int64
        var target: Int64
        var weight: Double?
    }

    /// Runs one load task per element of `tasks` as the engine does: each edge to its source's partition, a
    /// marker for its target to the target's partition; task 0 also marks `extra`. Spills whenever the budget
    /// allows. Returns the tasks' finished files, named after `name`.
    static func load(
        _ tasks: [[Edge]], extra: [Int64] = [], partitioner: VertexPartitioner, weighted: Bool, budget: Int = 1 << 30, in dir: TemporaryDirectory,
        name: String = "load"
    ) throws -> [PartitionedFile] {
        try tasks.enumerated().map { t, edges in
            let writer = EdgeBucketWriter(
                partitions: partitioner.partitions, weighted: weighted, budget: budget, scratchPrefix: dir.file("\(name)-\(t)"))
            for edge in edges {
                writer.addEdge(partition: partitioner.partition(of: edge.source), source: edge.source, target: edge.target, weight: edge.weight)
                writer.addVertex(partition: partitioner.partition(of: edge.target), id: edge.target)
                try writer.spillIfNeeded()
            }
            if t == 0 { for id in extra { writer.addVertex(partition: partitioner.partition(of: id), id: id) } }
            let path = dir.file("\(name)-\(t)-edges.out")
            _ = try writer.finish(path: path)
            return try PartitionedFile(path: path)
        }
    }

    /// Partition `q`'s segments of `files`, in `order`.
    static func segments(_ files: [PartitionedFile], partition q: Int, order: [Int]) -> [GraphPartitionAssembler.Segment] {
        order.map { .init(bytes: files[$0].segment(q), name: "load task \($0) output", owner: files[$0]) }
    }

    /// The CSR arrays and the id index of `graph` equal those of `expected`.
    static func expectSameShape<E>(_ graph: GraphPartition<E>, _ expected: GraphPartition<E>, _ comment: Comment? = nil) {
        #expect(firstDifference(graph.ids, expected.ids) == nil, comment)
        #expect(firstDifference(graph.offsets, expected.offsets) == nil, comment)
        #expect(firstDifference(graph.targets, expected.targets) == nil, comment)
        let misplaced = graph.ids.indices.filter { graph.localIndex(of: graph.ids[$0]) != $0 }
        #expect(misplaced.isEmpty, "ids with a wrong local index at \(misplaced.prefix(5))")
    }

    @Test func assemblesSelfLoopsDuplicatesExtremesAndTargetOnlyVertices() throws {
        let dir = try TemporaryDirectory()
        let tasks: [[Edge]] = [
            [
                Edge(source: 5, target: 5, weight: 1), Edge(source: 5, target: -3, weight: nil), Edge(source: .min, target: .max, weight: 2),
                Edge(source: 5, target: -3, weight: 3),
            ],
            [Edge(source: 5, target: 7, weight: 4), Edge(source: .max, target: .min, weight: nil), Edge(source: -3, target: 5, weight: 5)],
        ]
        let files = try Self.load(tasks, extra: [100, 7], partitioner: VertexPartitioner(partitions: 1), weighted: true, in: dir)
        let graph = try GraphPartitionAssembler.assemble(Self.segments(files, partition: 0, order: [0, 1])) { $0 }
        #expect(graph.ids == [.min, -3, 5, 7, 100, .max])
        #expect(graph.offsets == [0, 1, 2, 6, 6, 6, 7])
        #expect(graph.targets == [.max, 5, 5, -3, -3, 7, .min])
        #expect(graph.edgeValues == [2, 5, 1, nil, 3, 4, nil])
        for (i, id) in graph.ids.enumerated() { #expect(graph.localIndex(of: id) == i) }
        #expect(graph.localIndex(of: 6) == nil)
        // Segments in the other order: vertex 5's edge from task 1 comes first.
        let swapped = try GraphPartitionAssembler.assemble(Self.segments(files, partition: 0, order: [1, 0])) { $0 }
        #expect(swapped.ids == graph.ids)
        #expect(swapped.targets == [.max, 5, 7, 5, -3, -3, .min])
        #expect(swapped.edgeValues == [2, 5, 4, 1, nil, 3, nil])
    }

    @Test func noSegmentsOrEmptySegmentsGiveAnEmptyPartition() throws {
        let dir = try TemporaryDirectory()
        let files = try Self.load([[], []], partitioner: VertexPartitioner(partitions: 2), weighted: false, in: dir)
        for order in [[], [0], [1, 0]] {
            let graph = try GraphPartitionAssembler.assemble(Self.segments(files, partition: 1, order: order)) { _ in 1.0 }
            #expect(graph.vertexCount == 0 && graph.edgeCount == 0 && graph.offsets == [0])
        }
    }

    /// Random edges (repeated sources, duplicates, self-loops, negative and extreme ids) in several load
    /// tasks, assembled per partition with segments in a rotated order, against
    /// `GraphPartitionBuilder.build(unsorted:vertices:)` of the same edges in the same order.
    static func matchBuilder(partitions: Int, taskCount: Int, budget: Int) throws {
        var rng = SplitMix64(seed: UInt64(100 * partitions + taskCount))
        let tasks: [[Edge]] = (0..<taskCount).map { _ in
            (0..<(24_000 / taskCount)).map { _ in
                let source = randomVertexId(&rng, range: 300)
                let target = rng.next() % 10 == 0 ? source : randomVertexId(&rng, range: 600)
                return Edge(source: source, target: target, weight: rng.next() % 4 == 0 ? nil : Double(Int(rng.next() % 200)) - 100)
            }
        }
        let extra: [Int64] = [123_456, -123_456, .min, 0]
        let partitioner = VertexPartitioner(partitions: partitions)
        let order = (0..<taskCount).map { ($0 + 1) % taskCount }
        let arrived = order.flatMap { tasks[$0] }
        let dir = try TemporaryDirectory()
        let weightedFiles = try load(tasks, extra: extra, partitioner: partitioner, weighted: true, budget: budget, in: dir, name: "weighted")
        let plainFiles = try load(tasks, extra: extra, partitioner: partitioner, weighted: false, budget: budget, in: dir, name: "plain")
        var vertices = 0
        for q in 0..<partitions {
            let edges = arrived.filter { partitioner.partition(of: $0.source) == q }
            let markers = (arrived.map(\.target) + extra).filter { partitioner.partition(of: $0) == q }
            let note = Comment(rawValue: "partition \(q) of \(partitions)")

            let weighted = try GraphPartitionAssembler.assemble(segments(weightedFiles, partition: q, order: order)) { $0 }
            let expectedWeighted = GraphPartition.build(unsorted: edges.map { ($0.source, $0.target, $0.weight) }, vertices: markers)
            expectSameShape(weighted, expectedWeighted, note)
            #expect(firstDifference(weighted.edgeValues, expectedWeighted.edgeValues) == nil, note)

            // Unweighted chunks into valued edges: every value is made from an absent weight.
            let plain = try GraphPartitionAssembler.assemble(segments(plainFiles, partition: q, order: order)) { $0 == nil ? 7 : -1 }
            expectSameShape(plain, GraphPartition.build(unsorted: edges.map { ($0.source, $0.target, 7) }, vertices: markers), note)
            #expect(plain.edgeValues.allSatisfy { $0 == 7 }, note)

            // Edges without values (zero-sized), as jobs that ignore weights have them.
            let bare: GraphPartition<Void> = try GraphPartitionAssembler.assemble(segments(plainFiles, partition: q, order: order)) { _ in () }
            expectSameShape(bare, GraphPartition.build(unsorted: edges.map { ($0.source, $0.target, ()) }, vertices: markers), note)
            #expect(bare.edgeValues.count == edges.count, note)

            vertices += weighted.vertexCount
            for id in extra + tasks[0].prefix(200).map(\.target) where partitioner.partition(of: id) != q {
                #expect(weighted.localIndex(of: id) == nil, note)
            }
        }
        #expect(vertices == Set(arrived.flatMap { [$0.source, $0.target] } + extra).count)
    }

    @Test(arguments: [1, 4], [1, 3])
    func matchesTheBuilderOnRandomGraphs(partitions: Int, taskCount: Int) throws {
        try Self.matchBuilder(partitions: partitions, taskCount: taskCount, budget: 1 << 30)
    }

    /// The same with load tasks that spill (budget at the writer's 64 KB floor). In a child process, for the
    /// reason given at `EdgeChunkTests.bucketsRoundTripInOrderThroughSpills`.
    @Test(arguments: [1, 4])
    func matchesTheBuilderWhenLoadTasksSpill(partitions: Int) async {
        await #expect(processExitsWith: .success) { [partitions] in
            try Self.matchBuilder(partitions: partitions, taskCount: 3, budget: 1)
        }
    }

    @Test func damagedSegmentThrows() throws {
        // A chunk cut inside its last id, in an intact block.
        var chunk: [UInt8] = []
        [Int64(1), 2, 3, .min].withUnsafeBufferPointer { EdgeChunk.encode($0, kind: .edges, into: &chunk) }
        let cut = try encodeBlocks([TestRecord(partition: 0, key: [EdgeChunk.Kind.edges.rawValue], value: chunk.dropLast())])
        // An intact chunk in a block whose checksum no longer matches.
        var rotten = try encodeBlocks([TestRecord(partition: 0, key: [EdgeChunk.Kind.edges.rawValue], value: chunk)])
        rotten[rotten.count - 1] ^= 1
        for bytes in [cut, rotten] {
            #expect(throws: CorruptDataError.self) {
                try bytes.withUnsafeBytes { raw in
                    _ = try GraphPartitionAssembler.assemble([.init(bytes: raw, name: "load task 0 output", owner: nil)]) { $0 }
                }
            }
        }
    }
}
