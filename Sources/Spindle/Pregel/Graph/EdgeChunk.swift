import SpindlePosix

/// The records a Pregel load task writes for each partition and the partition's owner reads back: chunks
/// of packed 64-bit little-endian words, the chunk's kind in its one-byte key. A chunk holds whole edges.
enum EdgeChunk {
    /// What a chunk's words are.
    enum Kind: UInt8 {
        /// (source, target) pairs.
        case edges = 1
        /// (source, target, weight bits) triples; a NaN weight means the line had no weight column (parsed
        /// weights are always finite).
        case weightedEdges = 2
        /// Ids of vertices that exist because they appeared as targets.
        case vertices = 3

        /// Words per item.
        var stride: Int {
            switch self {
            case .edges: 2
            case .weightedEdges: 3
            case .vertices: 1
            }
        }
    }

    /// Words per chunk record at most (256 KiB).
    static let maxWords = 32 * 1024

    /// Calls `body` with every chunk of `segment` (a partition's bytes from one load task), checking kinds and sizes.
    /// - Throws: `CorruptDataError` naming `source` for a bad block, kind or length.
    static func forEachChunk(
        in segment: UnsafeRawBufferPointer, source: String, owner: AnyObject?, verified: Bool, _ body: (Kind, UnsafeRawBufferPointer) throws -> Void
    ) throws {
        var cursor = RecordCursor(blocks: segment, source: source, owner: owner, checksumsVerified: verified)
        while try cursor.next() {
            guard cursor.key.count == 1, let kind = Kind(rawValue: cursor.key[0]), cursor.value.count % (8 * kind.stride) == 0 else {
                throw CorruptDataError(source: source, offset: 0, detail: "a loaded edge chunk has an unknown kind or a partial item")
            }
            try body(kind, cursor.value)
        }
    }

    /// Word `i` of a chunk.
    @inline(__always) static func word(_ chunk: UnsafeRawBufferPointer, _ i: Int) -> Int64 {
        Int64(littleEndian: chunk.loadUnaligned(fromByteOffset: 8 * i, as: Int64.self))
    }
}

/// Buckets a load task's edges and vertex markers by destination partition: in memory up to a budget, then
/// spilled to run files; ``finish(path:)`` writes one partitioned file holding, for each partition, every
/// run's chunks and then the buffered ones, in the order they were added.
final class EdgeBucketWriter {
    private let partitions: Int
    private let weighted: Bool
    private let budget: Int
    private let scratchPrefix: String
    @exclusivity(unchecked) private var edgeWords: [[Int64]]
    @exclusivity(unchecked) private var vertexIds: [[Int64]]
    @exclusivity(unchecked) private var bufferedWords = 0
    private var runs: [String] = []

    /// - Parameters:
    ///   - weighted: whether edges carry a weight word (jobs whose edge values take memory).
    ///   - budget: bytes buffered before a spill.
    ///   - expectedEdges: about how many edges will be added (room is reserved for them, within the budget).
    init(partitions: Int, weighted: Bool, budget: Int, scratchPrefix: String, expectedEdges: Int = 0) {
        self.partitions = partitions
        self.weighted = weighted
        self.budget = max(1 << 16, budget)
        self.scratchPrefix = scratchPrefix
        edgeWords = Array(repeating: [], count: partitions)
        vertexIds = Array(repeating: [], count: partitions)
        let words = min(self.budget / 8, expectedEdges * (weighted ? 3 : 2)) / partitions
        for q in 0..<partitions { edgeWords[q].reserveCapacity(words + words / 8) }
    }

    /// Buffers edge `source -> target` for partition `q`.
    @inline(__always) func addEdge(partition q: Int, source: Int64, target: Int64, weight: Double?) {
        edgeWords[q].append(source)
        edgeWords[q].append(target)
        if weighted {
            edgeWords[q].append(Int64(bitPattern: (weight ?? .nan).bitPattern))
            bufferedWords &+= 3
        } else {
            bufferedWords &+= 2
        }
    }

    /// Buffers the existence of vertex `id` for partition `q`.
    @inline(__always) func addVertex(partition q: Int, id: Int64) {
        vertexIds[q].append(id)
        bufferedWords &+= 1
    }

    /// Spills the buffers to a run file once they pass the budget.
    func spillIfNeeded() throws {
        if bufferedWords * 8 >= budget { try spill() }
    }

    private func spill() throws {
        let path = "\(scratchPrefix)-edges-run\(runs.count)"
        let writer = try PartitionedFileWriter(path: path, partitionCount: partitions)
        for q in 0..<partitions { try writeBuffers(q, to: writer) }
        _ = try writer.finish(sync: false)
        runs.append(path)
    }

    private func writeBuffers(_ q: Int, to writer: PartitionedFileWriter) throws {
        try Self.write(edgeWords[q], kind: weighted ? .weightedEdges : .edges, partition: q, to: writer)
        try Self.write(vertexIds[q], kind: .vertices, partition: q, to: writer)
        bufferedWords -= edgeWords[q].count + vertexIds[q].count
        edgeWords[q] = []
        vertexIds[q] = []
    }

    private static func write(_ words: [Int64], kind: EdgeChunk.Kind, partition q: Int, to writer: PartitionedFileWriter) throws {
        guard !words.isEmpty else { return }
        let itemsPerChunk = EdgeChunk.maxWords / kind.stride
        var key = kind.rawValue
        try withUnsafeBytes(of: &key) { key in
            try words.withUnsafeBytes { raw in
                var start = 0
                while start < words.count {
                    let end = min(words.count, start + itemsPerChunk * kind.stride)
                    try writer.append(partition: q, key: key, value: UnsafeRawBufferPointer(rebasing: raw[(8 * start)..<(8 * end)]))
                    start = end
                }
            }
        }
    }

    /// Writes the partitioned file at `path` (runs first, then the buffers, partition by partition), removes
    /// the runs, and returns each partition's byte size.
    func finish(path: String) throws -> [Int] {
        let runFiles = try runs.map { try PartitionedFile(path: $0) }
        let writer = try PartitionedFileWriter(path: path, partitionCount: partitions)
        for q in 0..<partitions {
            for run in runFiles {
                var cursor = run.cursor(q)
                while try cursor.next() { try writer.append(partition: q, key: cursor.key, value: cursor.value) }
            }
            try writeBuffers(q, to: writer)
        }
        let sizes = try writer.finish(sync: false)
        for path in runs { try? FileSystem.unlink(path) }
        runs = []
        return sizes
    }
}
