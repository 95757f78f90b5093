/// Builds a partition's ``GraphPartition`` from the edge chunks its loaders sent (see ``EdgeChunk``), which
/// arrive in no particular id order: vertex ids come out sorted ascending, each source's edges in arrival
/// order (segments in the order given, chunks in file order), parallel edges and self-loops kept. Edges
/// are ordered by a stable radix sort of their sources, which streams through memory instead of probing
/// a hash table per edge.
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
        var chunks: [(kind: EdgeChunk.Kind, bytes: UnsafeRawBufferPointer, source: String)] = []
        var edgeCount = 0
        var markerCount = 0
        for segment in segments {
            try EdgeChunk.forEachChunk(in: segment.bytes, source: segment.name, owner: segment.owner, verified: segment.verified) { kind, bytes in
                chunks.append((kind, bytes, segment.name))
                if kind == .vertices { markerCount += EdgeChunk.itemCount(bytes) } else { edgeCount += EdgeChunk.itemCount(bytes) }
            }
        }
        // Decode: each edge's source key, and its target (or, with edge values, its number: targets and
        // weights are gathered after the sort).
        let valued = MemoryLayout<EdgeValue>.size > 0
        // (Every element is written below before it is read, so the arrays start uninitialised.)
        var sourceKeys = [UInt64](unsafeUninitializedCapacity: edgeCount) { $1 = edgeCount }
        var payload = [Int64](unsafeUninitializedCapacity: edgeCount) { $1 = edgeCount }
        var edgeTargets = [Int64](unsafeUninitializedCapacity: valued ? edgeCount : 0) { $1 = valued ? edgeCount : 0 }
        var edgeWeights = [Int64](unsafeUninitializedCapacity: valued ? edgeCount : 0) { $1 = valued ? edgeCount : 0 }
        var markerKeys = [UInt64](unsafeUninitializedCapacity: markerCount) { $1 = markerCount }
        var e = 0
        var m = 0
        let absent = Int64(bitPattern: Double.nan.bitPattern)
        for (kind, bytes, source) in chunks {
            var reader = EdgeChunk.Reader(bytes, source: source)
            for _ in 0..<reader.items {
                let id = try reader.nextId()
                if kind == .vertices {
                    markerKeys[m] = PairRadixSort.key(id)
                    m += 1
                    continue
                }
                sourceKeys[e] = PairRadixSort.key(id)
                let target = try reader.nextId()
                let weight = kind == .weightedEdges ? try reader.nextWeightBits() : absent
                if valued {
                    payload[e] = Int64(e)
                    edgeTargets[e] = target
                    edgeWeights[e] = weight
                } else {
                    payload[e] = target
                }
                e += 1
            }
            try reader.finish()
        }
        PairRadixSort.sort(keys: &sourceKeys, values: &payload)
        var none: [Void] = Array(repeating: (), count: markerCount)  // markers carry no payload
        PairRadixSort.sort(keys: &markerKeys, values: &none)
        // Vertices: the union of sources and markers, in id order; each with its run of sorted edges.
        var ids: [Int64] = []
        var offsets: [Int] = [0]
        var i = 0
        var j = 0
        while i < edgeCount || j < markerCount {
            let key = i < edgeCount && (j == markerCount || sourceKeys[i] <= markerKeys[j]) ? sourceKeys[i] : markerKeys[j]
            ids.append(PairRadixSort.id(key))
            while i < edgeCount && sourceKeys[i] == key { i += 1 }
            while j < markerCount && markerKeys[j] == key { j += 1 }
            offsets.append(i)
        }
        let index = VertexIndexMap(expectedCount: ids.count)
        for (local, id) in ids.enumerated() { _ = index.insertIfAbsent(id, Int32(local)) }
        let targets: [Int64]
        let edgeValues: [EdgeValue]
        if valued {
            targets = payload.map { edgeTargets[Int($0)] }
            edgeValues = payload.map { number in
                let weight = Double(bitPattern: UInt64(bitPattern: edgeWeights[Int(number)]))
                return edgeValue(weight.isNaN ? nil : weight)
            }
        } else {
            targets = payload
            edgeValues = Array(repeating: edgeValue(nil), count: edgeCount)
        }
        return GraphPartition(ids: ids, offsets: offsets, targets: targets, edgeValues: edgeValues, index: index)
    }
}
