/// Builds a partition's ``GraphPartition`` from the edge chunks its loaders sent (see ``EdgeChunk``), which
/// arrive in no particular id order: vertex ids come out sorted ascending, each source's edges in arrival
/// order (segments in the order given, chunks in file order), parallel edges and self-loops kept. Every
/// source gets one hash lookup per edge; no sorting of edges.
enum GraphPartitionAssembler {
    /// One load task's bytes for the partition.
    struct Segment {
        var bytes: UnsafeRawBufferPointer
        /// Names the segment in errors, such as "load task 3 output".
        var name: String
        /// Keeps `bytes` alive.
        var owner: AnyObject?
        /// The blocks' checksums were verified already.
        var verified = false
    }

    /// - Throws: `CorruptDataError` for a damaged segment.
    static func assemble<EdgeValue>(_ segments: [Segment], edgeValue: (Double?) -> EdgeValue) throws -> GraphPartition<EdgeValue> {
        var chunks: [(kind: EdgeChunk.Kind, bytes: UnsafeRawBufferPointer)] = []
        var edgeCount = 0
        for segment in segments {
            try EdgeChunk.forEachChunk(in: segment.bytes, source: segment.name, owner: segment.owner, verified: segment.verified) { kind, bytes in
                chunks.append((kind, bytes))
                if kind != .vertices { edgeCount += bytes.count / (8 * kind.stride) }
            }
        }
        // Pass 1: number the vertices in order of first appearance; remember each edge's source number.
        let index = VertexIndexMap(expectedCount: edgeCount / 32)
        var firstSeen: [Int64] = []
        var edgeSource = [Int32](repeating: 0, count: edgeCount)
        var e = 0
        for (kind, bytes) in chunks {
            let stride = kind.stride
            for i in 0..<(bytes.count / (8 * stride)) {
                let id = EdgeChunk.word(bytes, i * stride)
                let (number, inserted) = index.insertIfAbsent(id, Int32(firstSeen.count))
                if inserted { firstSeen.append(id) }
                if kind != .vertices {
                    edgeSource[e] = number
                    e += 1
                }
            }
        }
        // Local indices follow id order.
        let n = firstSeen.count
        var order = [Int32](unsafeUninitializedCapacity: n) { buffer, count in
            for i in 0..<n { buffer[i] = Int32(i) }
            count = n
        }
        firstSeen.withUnsafeBufferPointer { seen in order.sort { seen[Int($0)] < seen[Int($1)] } }
        var rank = [Int32](repeating: 0, count: n)
        var ids = [Int64](repeating: 0, count: n)
        for r in 0..<n {
            let number = Int(order[r])
            rank[number] = Int32(r)
            ids[r] = firstSeen[number]
            index.update(ids[r], Int32(r))
        }
        // Pass 2: counting sort of the edges by local source index.
        var offsets = [Int](repeating: 0, count: n + 1)
        for k in 0..<edgeCount { offsets[Int(rank[Int(edgeSource[k])]) + 1] += 1 }
        for i in 0..<n { offsets[i + 1] += offsets[i] }
        var fill = Array(offsets.dropLast())
        var targets = [Int64](repeating: 0, count: edgeCount)
        var weights: [Double?] = []
        let valued = MemoryLayout<EdgeValue>.size > 0
        if valued { weights = Array(repeating: nil, count: edgeCount) }
        e = 0
        for (kind, bytes) in chunks where kind != .vertices {
            let stride = kind.stride
            for i in 0..<(bytes.count / (8 * stride)) {
                let local = Int(rank[Int(edgeSource[e])])
                let position = fill[local]
                fill[local] = position + 1
                targets[position] = EdgeChunk.word(bytes, i * stride + 1)
                if valued && kind == .weightedEdges {
                    let weight = Double(bitPattern: UInt64(bitPattern: EdgeChunk.word(bytes, i * stride + 2)))
                    weights[position] = weight.isNaN ? nil : weight
                }
                e += 1
            }
        }
        let edgeValues: [EdgeValue]
        if valued {
            edgeValues = weights.map(edgeValue)
        } else {
            edgeValues = Array(repeating: edgeValue(nil), count: edgeCount)
        }
        return GraphPartition(ids: ids, offsets: offsets, targets: targets, edgeValues: edgeValues, index: index)
    }
}
