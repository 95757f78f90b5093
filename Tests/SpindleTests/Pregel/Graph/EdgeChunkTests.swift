import SpindleCore
import SpindlePosix
import Testing

@testable import Spindle

@Suite struct EdgeChunkTests {
    /// An item of a partition as read back; `weight` is the bit pattern of a present weight (nil for an unweighted
    /// edge or a NaN weight, which means the line had none).
    enum Item: Equatable, CustomStringConvertible {
        case edge(source: Int64, target: Int64, weight: UInt64?)
        case vertex(Int64)

        var description: String {
            switch self {
            case .edge(let s, let t, let w): "\(s)->\(t)" + (w.map { " w=\(Double(bitPattern: $0))" } ?? "")
            case .vertex(let id): "v\(id)"
            }
        }
    }

    /// The chunks of partition `q` of `file`, decoded.
    static func readChunks(_ file: PartitionedFile, partition q: Int) throws -> [(kind: EdgeChunk.Kind, items: [Item])] {
        var chunks: [(kind: EdgeChunk.Kind, items: [Item])] = []
        try EdgeChunk.forEachChunk(in: file.segment(q), source: file.path, owner: file, verified: false) { kind, bytes in
            var reader = EdgeChunk.Reader(bytes, source: file.path)
            var items: [Item] = []
            for _ in 0..<reader.items {
                let id = try reader.nextId()
                switch kind {
                case .vertices:
                    items.append(.vertex(id))
                case .edges:
                    items.append(.edge(source: id, target: try reader.nextId(), weight: nil))
                case .weightedEdges:
                    let target = try reader.nextId()
                    let weight = Double(bitPattern: UInt64(bitPattern: try reader.nextWeightBits()))
                    items.append(.edge(source: id, target: target, weight: weight.isNaN ? nil : weight.bitPattern))
                }
            }
            try reader.finish()
            chunks.append((kind, items))
        }
        return chunks
    }

    // MARK: EdgeBucketWriter

    /// Feeds 60k random edges and markers to a writer over `partitions` partitions (the last one stays empty
    /// when there are several; partition 0 gets about half of everything), calling `spillIfNeeded` after each,
    /// and checks the finished file: per partition, the edges in the order added and the markers in the order
    /// added (so spilled runs come before the buffers), chunk kinds in key order as a partitioned file requires.
    /// Returns the number of spills (modelled on the 64 KB floor of the budget) and partition 0's edge chunks.
    static func roundTrip(partitions: Int, weighted: Bool, budget: Int) throws -> (spills: Int, edgeChunksOfPartition0: Int) {
        let dir = try TemporaryDirectory()
        let writer = EdgeBucketWriter(
            partitions: partitions, weighted: weighted, budget: budget, scratchPrefix: dir.file("task"), expectedEdges: 1000)
        let specialWeights: [Double] = [0, -0.0, 1, -2.5, .greatestFiniteMagnitude, -.leastNonzeroMagnitude, 1e-300]
        var rng = SplitMix64(seed: UInt64(partitions * 2 + (weighted ? 1 : 0)))
        var edges = [[Item]](repeating: [], count: partitions)
        var vertices = [[Item]](repeating: [], count: partitions)
        var spills = 0
        var bufferedWords = 0
        for _ in 0..<60_000 {
            let q = partitions == 1 || rng.next() % 2 == 0 ? 0 : Int(rng.next() % UInt64(partitions - 1))
            if rng.next() % 4 == 0 {
                let id = randomVertexId(&rng)
                writer.addVertex(partition: q, id: id)
                vertices[q].append(.vertex(id))
                bufferedWords += 1
            } else {
                let source = randomVertexId(&rng)
                let target = randomVertexId(&rng)
                let weight: Double? =
                    switch rng.next() % 8 {
                    case 0: nil
                    case 1: specialWeights[Int(rng.next() % UInt64(specialWeights.count))]
                    default: Double(Int(rng.next() % 2001) - 1000) / 8
                    }
                writer.addEdge(partition: q, source: source, target: target, weight: weight)
                edges[q].append(.edge(source: source, target: target, weight: weighted ? weight?.bitPattern : nil))
                bufferedWords += weighted ? 3 : 2
            }
            try writer.spillIfNeeded()
            if bufferedWords * 8 >= max(1 << 16, budget) {
                spills += 1
                bufferedWords = 0
            }
        }
        let path = dir.file("task-edges.out")
        let sizes = try writer.finish(path: path)
        #expect(try FileSystem.listDirectory(dir.path) == ["task-edges.out"], "run files are removed")
        let file = try PartitionedFile(path: path)
        #expect(file.partitionCount == partitions)
        #expect(file.partitionSizes == sizes)
        var edgeChunksOfPartition0 = 0
        for q in 0..<partitions {
            let chunks = try readChunks(file, partition: q)
            #expect(chunks.allSatisfy { $0.kind == .vertices || $0.kind == (weighted ? .weightedEdges : .edges) })
            #expect(chunks.allSatisfy { !$0.items.isEmpty && $0.items.count <= EdgeChunk.maxItems })
            #expect(zip(chunks, chunks.dropFirst()).allSatisfy { $0.kind.rawValue <= $1.kind.rawValue }, "partition \(q): chunk keys out of order")
            let readEdges = chunks.filter { $0.kind != .vertices }.flatMap(\.items)
            let readVertices = chunks.filter { $0.kind == .vertices }.flatMap(\.items)
            for (what, read, added) in [("edge", readEdges, edges[q]), ("marker", readVertices, vertices[q])] {
                #expect(read.count == added.count, "partition \(q): \(what)s")
                if let k = read.indices.first(where: { $0 < added.count && read[$0] != added[$0] }) {
                    Issue.record("partition \(q), \(what) \(k): read \(read[k]), added \(added[k])")
                }
            }
            #expect((sizes[q] == 0) == (edges[q].isEmpty && vertices[q].isEmpty), "partition \(q)")
            if q == 0 { edgeChunksOfPartition0 = chunks.count(where: { $0.kind != .vertices }) }
        }
        return (spills, edgeChunksOfPartition0)
    }

    @Test(arguments: [1, 4], [false, true])
    func bucketsRoundTripInOrderWithoutSpills(partitions: Int, weighted: Bool) throws {
        let result = try Self.roundTrip(partitions: partitions, weighted: weighted, budget: 1 << 30)
        #expect(result.spills == 0)
        #expect(result.edgeChunksOfPartition0 >= 2, "more than \(EdgeChunk.maxItems) edges take several chunks")
    }

    /// A budget below the writer's 64 KB floor: a spill every few thousand items, runs first, then the buffers.
    /// Runs in a child process: when a spilled run's marker chunks preceded later edge chunks (a bug, fixed),
    /// `PartitionedFileWriter`'s sorted-keys assertion trapped, which would take the whole test run down.
    @Test(arguments: [1, 4], [false, true])
    func bucketsRoundTripInOrderThroughSpills(partitions: Int, weighted: Bool) async {
        await #expect(processExitsWith: .success) { [partitions, weighted] in
            let result = try Self.roundTrip(partitions: partitions, weighted: weighted, budget: 1)
            #expect(result.spills >= 10)
        }
    }

    /// The smallest case of that bug: one marker and 4096 edges (a spill at the 64 KB floor), then one more
    /// edge and marker. The file must keep each partition's keys (chunk kinds) in order.
    @Test func spilledMarkersDoNotPrecedeLaterEdgesInAPartition() async {
        await #expect(processExitsWith: .success) {
            let dir = try TemporaryDirectory()
            let writer = EdgeBucketWriter(partitions: 1, weighted: false, budget: 0, scratchPrefix: dir.file("task"))
            writer.addVertex(partition: 0, id: -1)
            for i in 0..<4096 as Range<Int64> { writer.addEdge(partition: 0, source: i, target: i + 1, weight: nil) }
            try writer.spillIfNeeded()
            writer.addEdge(partition: 0, source: 9, target: 8, weight: nil)
            writer.addVertex(partition: 0, id: -2)
            _ = try writer.finish(path: dir.file("out"))
            let chunks = try Self.readChunks(try PartitionedFile(path: dir.file("out")), partition: 0)
            #expect(zip(chunks, chunks.dropFirst()).allSatisfy { $0.kind.rawValue <= $1.kind.rawValue }, "chunk kinds \(chunks.map(\.kind))")
            #expect(chunks.filter { $0.kind == .vertices }.flatMap(\.items) == [.vertex(-1), .vertex(-2)])
            #expect(chunks.filter { $0.kind == .edges }.flatMap(\.items).count == 4097)
        }
    }

    @Test func writerWithNothingAddedWritesEmptyPartitions() throws {
        let dir = try TemporaryDirectory()
        let writer = EdgeBucketWriter(partitions: 3, weighted: true, budget: 0, scratchPrefix: dir.file("t"))
        try writer.spillIfNeeded()
        let sizes = try writer.finish(path: dir.file("out"))
        #expect(sizes == [0, 0, 0])
        let file = try PartitionedFile(path: dir.file("out"))
        for q in 0..<3 { #expect(try Self.readChunks(file, partition: q).isEmpty) }
    }

    // MARK: Chunk encoding

    private static func encode(_ words: [Int64], _ kind: EdgeChunk.Kind) -> [UInt8] {
        var bytes: [UInt8] = []
        words.withUnsafeBufferPointer { EdgeChunk.encode($0, kind: kind, into: &bytes) }
        return bytes
    }

    /// Every word of `chunk` through a Reader, then `finish()`.
    private static func decode(_ chunk: [UInt8], _ kind: EdgeChunk.Kind) throws -> [Int64] {
        try chunk.withUnsafeBytes { raw in
            var reader = EdgeChunk.Reader(raw, source: "test chunk")
            var words: [Int64] = []
            for _ in 0..<reader.items {
                words.append(try reader.nextId())
                if kind != .vertices { words.append(try reader.nextId()) }
                if kind == .weightedEdges { words.append(try reader.nextWeightBits()) }
            }
            try reader.finish()
            return words
        }
    }

    private static let samples: [(EdgeChunk.Kind, [Int64])] = [
        (.vertices, extremeVertexIds),
        (.edges, extremeVertexIds + extremeVertexIds.reversed()),
        (.weightedEdges, [0, .min, Int64(bitPattern: Double.nan.bitPattern), .max, -1, .min, 300, 5, Int64(bitPattern: (-2.5).bitPattern)]),
    ]

    @Test func chunkRoundTripsEveryKind() throws {
        for (kind, words) in Self.samples {
            let chunk = Self.encode(words, kind)
            #expect(chunk.withUnsafeBytes { EdgeChunk.itemCount($0) } == words.count / kind.stride)
            #expect(try Self.decode(chunk, kind) == words, "\(kind)")
        }
        #expect(try Self.decode(Self.encode([], .edges), .edges) == [])
    }

    /// Ids of every varint length from 1 to 10 bytes, in runs long enough that some are read with the
    /// word-at-a-time path and the last ones, near the chunk's end, a byte at a time.
    @Test func idsOfEveryLengthRoundTripThroughBothDecodePaths() throws {
        var ids: [Int64] = []
        for bits in stride(from: 0, through: 63, by: 3) {
            let magnitude = Int64(bitPattern: (UInt64(1) << UInt64(bits)) - 1)
            ids += [magnitude, -magnitude - 1, magnitude / 2 + 1]
        }
        ids += [.max, .min]
        for rotation in 0..<4 {
            let words = Array(ids[rotation...] + ids[..<rotation])
            #expect(try Self.decode(Self.encode(words, .vertices), .vertices) == words)
        }
        let values: [UInt64] = [0, 1, 127, 128, 16_383, 16_384, (1 << 49) - 1, 1 << 49, (1 << 56) - 1]
        for value in values {
            var bytes = [UInt8](repeating: 0xFF, count: 16)
            var rest = value
            var length = 0
            repeat {
                bytes[length] = UInt8(truncatingIfNeeded: rest & 0x7F) | (rest >= 0x80 ? 0x80 : 0)
                rest >>= 7
                length += 1
            } while rest > 0
            let decoded: (value: UInt64, length: Int)? = bytes.withUnsafeBytes { EdgeChunk.Reader.decodeShort($0.baseAddress!) }
            if length <= 7 {
                #expect(decoded?.value == value, "\(value)")
                #expect(decoded?.length == length, "\(value)")
            } else {
                #expect(decoded == nil, "\(value) takes \(length) bytes")
            }
        }
    }

    @Test func encodeReplacesWhatTheScratchHeld() {
        var bytes: [UInt8] = [9, 9, 9, 9, 9, 9]
        [Int64(1)].withUnsafeBufferPointer { EdgeChunk.encode($0, kind: .vertices, into: &bytes) }
        #expect(bytes == [1, 0, 0, 0, 2])
    }

    @Test func truncatedChunkThrows() {
        for (kind, words) in Self.samples {
            let chunk = Self.encode(words, kind)
            for length in 4..<chunk.count {
                #expect(throws: CorruptDataError.self, "\(kind) cut to \(length) of \(chunk.count) bytes") {
                    _ = try Self.decode(Array(chunk[..<length]), kind)
                }
            }
        }
    }

    @Test func trailingBytesThrow() {
        for (kind, words) in Self.samples {
            for garbage: [UInt8] in [[0], [0x80], [1, 2, 3, 4, 5, 6, 7, 8, 9]] {
                #expect(throws: CorruptDataError.self, "\(kind) + \(garbage)") { _ = try Self.decode(Self.encode(words, kind) + garbage, kind) }
            }
        }
    }

    @Test func wrongItemCountThrows() {
        var more = Self.encode([1, 2, 3], .vertices)
        more[0] = 4
        #expect(throws: CorruptDataError.self) { _ = try Self.decode(more, .vertices) }
        var fewer = Self.encode([1, 2, 3], .vertices)
        fewer[0] = 2
        #expect(throws: CorruptDataError.self) { _ = try Self.decode(fewer, .vertices) }
    }

    @Test func idLongerThanTenBytesThrows() {
        let chunk: [UInt8] = [1, 0, 0, 0] + Array(repeating: 0xFF, count: 10) + [0]
        #expect(throws: CorruptDataError.self) { _ = try Self.decode(chunk, .vertices) }
    }

    @Test func unknownKindOrMissingCountThrows() throws {
        for (key, value): ([UInt8], [UInt8]) in [([9], [0, 0, 0, 0]), ([1, 1], [0, 0, 0, 0]), ([], [0, 0, 0, 0]), ([1], [0, 0, 0])] {
            let bytes = try encodeBlocks([TestRecord(partition: 0, key: key, value: value)])
            #expect(throws: CorruptDataError.self, "key \(key), value \(value)") {
                try bytes.withUnsafeBytes {
                    try EdgeChunk.forEachChunk(in: $0, source: "load task 0 output", owner: nil, verified: false) { _, _ in }
                }
            }
        }
    }
}
