/// Buckets a load task's edges and vertex markers by destination partition: in columns of ids (one
/// ``WordBuckets`` for edges, one for markers) up to a budget, spilled by a ``PartitionedSpillBuffer`` as
/// ``EdgeChunk`` records; ``finish(path:)`` writes one partitioned file holding, for each partition, its edge
/// chunks and then its marker chunks, each kind in the order it was added (spilled runs first).
final class EdgeBucketWriter {
    private let columns: Columns
    private let spills: PartitionedSpillBuffer
    /// Sorted runs spilled to disk so far.
    var spillCount: Int { spills.spillCount }
    /// Targets marked lately, by hash: a lossy filter that keeps most repeated markers of popular targets
    /// off the exchange (a repeated marker is harmless). Starts with `Int64.min`, which is therefore never filtered.
    private let recentTargets: UnsafeMutablePointer<Int64>
    private static let recentTargetSlots = 1 << 16

    /// - Parameters:
    ///   - weighted: whether edges carry a weight word (jobs whose edge values take memory).
    ///   - budget: bytes buffered before a spill (at least 64 KiB).
    ///   - expectedEdges: about how many edges will be added (room is reserved for them, within the budget).
    init(partitions: Int, weighted: Bool, budget: Int, scratchPrefix: String, expectedEdges: Int = 0) {
        let budget = max(1 << 16, budget)
        let words = min(budget / 8, expectedEdges * (weighted ? 3 : 2)) / partitions
        columns = Columns(
            weighted: weighted, edges: WordBuckets(partitions: partitions, reserving: words + words / 8),
            vertices: WordBuckets(partitions: partitions, reserving: words / 8))
        spills = PartitionedSpillBuffer(partitionCount: partitions, budget: budget, scratchPrefix: "\(scratchPrefix)-edges")
        recentTargets = .allocate(capacity: Self.recentTargetSlots)
        recentTargets.initialize(repeating: .min, count: Self.recentTargetSlots)
    }

    deinit { recentTargets.deallocate() }

    /// Buffers edge `source -> target` for partition `q`.
    @inline(__always) func addEdge(partition q: Int, source: Int64, target: Int64, weight: Double?) {
        columns.edges.append(q, source, target)
        if columns.weighted { columns.edges.append(q, Int64(bitPattern: (weight ?? .nan).bitPattern)) }
    }

    /// Buffers the existence of vertex `id` for partition `q`.
    @inline(__always) func addVertex(partition q: Int, id: Int64) {
        columns.vertices.append(q, id)
    }

    /// Buffers the existence of edge target `id` for partition `q` unless the same id was buffered lately
    /// (a lossy filter without branches: popular targets repeat often). Returns whether it was buffered.
    @inline(__always) @discardableResult func addTarget(partition q: Int, id: Int64) -> Bool {
        let slot = Int(truncatingIfNeeded: VertexIndexMap.mix(id)) & (Self.recentTargetSlots - 1)
        let new = (recentTargets[slot] != id) || id == .min
        recentTargets[slot] = id
        columns.vertices.append(q, id, keeping: new)
        return new
    }

    /// Spills the buffers to a run file once they pass the budget.
    func spillIfNeeded() throws {
        try spills.spillIfFull(columns)
    }

    /// Writes the partitioned file at `path`, removes the runs, and returns each partition's byte size. Each
    /// partition holds its edge chunks (every run's, then the buffered ones), then its vertex chunks likewise:
    /// records stay sorted by their kind key, and each source's edges keep the order they were added in.
    func finish(path: String) throws -> [Int] {
        try spills.finish(columns, path: path)
    }

    /// The buffered ids, written as chunk records keyed by their ``EdgeChunk/Kind`` (edges before markers).
    private struct Columns: SpillableRecords {
        let weighted: Bool
        let edges: WordBuckets
        let vertices: WordBuckets

        private var edgeKind: EdgeChunk.Kind { weighted ? .weightedEdges : .edges }

        /// Items (edges and markers) buffered.
        var count: Int {
            (0..<edges.partitions).reduce(0) { $0 + edges.count($1) / edgeKind.stride + vertices.count($1) }
        }

        var byteCount: Int {
            8 * (0..<edges.partitions).reduce(0) { $0 + edges.count($1) + vertices.count($1) }
        }

        func write(to writer: PartitionedFileWriter) throws {
            var scratch: [UInt8] = []
            for q in 0..<edges.partitions {
                try write(edges.words(q), kind: edgeKind, partition: q, to: writer, scratch: &scratch)
                try write(vertices.words(q), kind: .vertices, partition: q, to: writer, scratch: &scratch)
            }
        }

        /// Appends `words` to partition `q` as chunks of at most ``EdgeChunk/maxItems`` items.
        private func write(
            _ words: UnsafeBufferPointer<Int64>, kind: EdgeChunk.Kind, partition q: Int, to writer: PartitionedFileWriter, scratch: inout [UInt8]
        ) throws {
            guard !words.isEmpty else { return }
            let wordsPerChunk = EdgeChunk.maxItems * kind.stride
            var key = kind.rawValue
            try withUnsafeBytes(of: &key) { key in
                var start = 0
                while start < words.count {
                    let end = min(words.count, start + wordsPerChunk)
                    EdgeChunk.encode(UnsafeBufferPointer(rebasing: words[start..<end]), kind: kind, into: &scratch)
                    try scratch.withUnsafeBytes { try writer.append(partition: q, key: key, value: $0) }
                    start = end
                }
            }
        }

        func removeAll() {
            for q in 0..<edges.partitions {
                edges.removeAll(q)
                vertices.removeAll(q)
            }
        }
    }
}
