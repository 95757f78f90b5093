/// Builds a partition's ``GraphPartition`` from the edge chunks its loaders sent (see ``EdgeChunk``), which
/// arrive in no particular id order: vertex ids come out sorted ascending, each source's edges in arrival
/// order (segments in the order given, chunks in file order), parallel edges and self-loops kept.
///
/// One pass decodes the chunks and gives every distinct id a number in order of first appearance (one
/// lookup in the partition's id map per edge, cheaper than moving every edge through a radix sort); only
/// the distinct ids are sorted, and a second pass moves each edge into its source's run.
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
        // Edge and vertex numbers are 32-bit below (so the conversions cannot truncate).
        guard edgeCount + markerCount < Int(Int32.max) else {
            throw TaskFailure("a graph partition holds \(edgeCount) edges and \(markerCount) vertex markers, more than 2^31; use more --partitions")
        }
        let valued = MemoryLayout<EdgeValue>.size > 0
        // Pass 1: each edge's source number and its target (with edge values, its own index: targets and
        // weights are gathered at the end); each number's edge count; the ids by number.
        // (Every element of the uninitialised arrays is written below before it is read.)
        var sourceNumbers = [Int32](unsafeUninitializedCapacity: edgeCount) { $1 = edgeCount }
        var payload = [Int64](unsafeUninitializedCapacity: edgeCount) { $1 = edgeCount }
        var edgeTargets = [Int64](unsafeUninitializedCapacity: valued ? edgeCount : 0) { $1 = valued ? edgeCount : 0 }
        var edgeWeights = [Int64](unsafeUninitializedCapacity: valued ? edgeCount : 0) { $1 = valued ? edgeCount : 0 }
        // Sized for an average degree of 16 or so; it grows when there are more vertices. Numbers are given in
        // order of first appearance, so `idsByNumber` lists the ids by number; each id's out-degree is tallied
        // in its entry.
        let index = VertexIndexMap(expectedCount: (edgeCount + markerCount) / 32)
        var idsByNumber: [Int64] = []
        let absent = Int64(bitPattern: Double.nan.bitPattern)
        // One chunk's first ids (sources, or markers) decoded before they are numbered as a batch.
        var firstIds = [Int64](repeating: 0, count: EdgeChunk.maxItems)
        var markerNumbers = [Int32](repeating: 0, count: EdgeChunk.maxItems)
        var e = 0
        for (kind, bytes, source) in chunks {
            var reader = EdgeChunk.Reader(bytes, source: source)
            let items = reader.items
            if items > firstIds.count {
                firstIds = [Int64](repeating: 0, count: items)
                markerNumbers = [Int32](repeating: 0, count: items)
            }
            try firstIds.withUnsafeMutableBufferPointer { firstIds in
                for k in 0..<items {
                    firstIds[k] = try reader.nextId()
                    if kind == .vertices { continue }
                    let target = try reader.nextId()
                    if valued {
                        payload[e + k] = Int64(e + k)
                        edgeTargets[e + k] = target
                        edgeWeights[e + k] = kind == .weightedEdges ? try reader.nextWeightBits() : absent
                    } else {
                        payload[e + k] = target
                    }
                }
            }
            try reader.finish()
            firstIds.withUnsafeBufferPointer { firstIds in
                let decoded = UnsafeBufferPointer(rebasing: firstIds[0..<items])
                if kind == .vertices {
                    markerNumbers.withUnsafeMutableBufferPointer { numbers in
                        index.number(decoded, into: numbers.baseAddress!, tally: false) { idsByNumber.append($0) }
                    }
                } else {
                    sourceNumbers.withUnsafeMutableBufferPointer { numbers in
                        index.number(decoded, into: numbers.baseAddress! + e, tally: true) { idsByNumber.append($0) }
                    }
                }
            }
            if kind != .vertices { e += items }
        }
        let degrees = index.tallies()
        // The distinct ids in order, each number's rank among them, and the vertices' edge offsets.
        let vertexCount = idsByNumber.count
        var ids = idsByNumber.map(PairRadixSort.key)
        var numbers = (0..<vertexCount).map { Int32(truncatingIfNeeded: $0) }
        PairRadixSort.sort(keys: &ids, values: &numbers)
        var rank = [Int32](unsafeUninitializedCapacity: vertexCount) { $1 = vertexCount }
        // Where each number's next edge goes, by number, not by rank (one lookup fewer per edge; 32-bit, so the
        // array stays small in the cache).
        var next = [Int32](unsafeUninitializedCapacity: vertexCount) { $1 = vertexCount }
        var offsets = [Int](unsafeUninitializedCapacity: vertexCount + 1) { $1 = vertexCount + 1 }
        offsets[0] = 0
        for r in 0..<vertexCount {
            let number = Int(numbers[r])
            rank[number] = Int32(truncatingIfNeeded: r)
            next[number] = Int32(truncatingIfNeeded: offsets[r])
            offsets[r + 1] = offsets[r] + Int(degrees[number])
        }
        index.updateValues { rank[Int($0)] }
        // Pass 2: every edge into its source's run, in arrival order.
        var sorted = [Int64](unsafeUninitializedCapacity: edgeCount) { $1 = edgeCount }
        sourceNumbers.withUnsafeBufferPointer { sourceNumbers in
            payload.withUnsafeBufferPointer { payload in
                next.withUnsafeMutableBufferPointer { next in
                    sorted.withUnsafeMutableBufferPointer { sorted in
                        for e in 0..<edgeCount {
                            let n = Int(sourceNumbers[e])
                            sorted[Int(next[n])] = payload[e]
                            next[n] &+= 1
                        }
                    }
                }
            }
        }
        let targets: [Int64]
        let edgeValues: [EdgeValue]
        if valued {
            targets = sorted.map { edgeTargets[Int($0)] }
            edgeValues = sorted.map { number in
                let weight = Double(bitPattern: UInt64(bitPattern: edgeWeights[Int(number)]))
                return edgeValue(weight.isNaN ? nil : weight)
            }
        } else {
            targets = sorted
            edgeValues = Array(repeating: edgeValue(nil), count: edgeCount)
        }
        return GraphPartition(ids: ids.map(PairRadixSort.id), offsets: offsets, targets: targets, edgeValues: edgeValues, index: index)
    }
}
