import SpindleCore

extension GraphPartition {
    /// Whether the edge values can be kept in a ``GraphImage`` as raw bytes: none (`Unweighted`), or plain data.
    static var imageable: Bool { MemoryLayout<EdgeValue>.size == 0 || _isPOD(EdgeValue.self) }

    /// Writes this partition's image (``GraphImage``): vertex count, edge count, edge value stride, then the ids,
    /// the offsets, the targets and the edge values as raw little-endian arrays, then 1 and the message routing's
    /// arrays (edge slots, slot bases, slot targets, slot edge starts, slot sources) with their counts, or 0.
    /// - Precondition: ``imageable``.
    func writeImage(_ path: String, partition: Int, routing: MessageRouting?) throws {
        precondition(Self.imageable, "edge values of this type are not plain data")
        let stride = MemoryLayout<EdgeValue>.size == 0 ? 0 : MemoryLayout<EdgeValue>.stride
        try GraphImage.write(path, partition: partition) { sink in
            try sink.appendInteger(UInt64(ids.count))
            try sink.appendInteger(UInt64(targets.count))
            try sink.appendInteger(UInt64(stride))
            try sink.appendRaw(ids)
            try sink.appendRaw(offsets)
            try sink.appendRaw(targets)
            if stride > 0 { try sink.appendRaw(edgeValues) }
            guard let routing else {
                try sink.appendInteger(0)
                return
            }
            try sink.appendInteger(1)
            try sink.appendInteger(UInt64(routing.slotTargets.count))
            try sink.appendRaw(routing.edgeSlots)
            try sink.appendRaw(routing.slotBase)
            try sink.appendRaw(routing.slotTargets)
            try sink.appendRaw(routing.slotEdgeStart)
            try sink.appendRaw(routing.slotSources)
        }
    }

    /// Reads a partition written by ``writeImage(_:partition:)``, checking every invariant ``GraphPartition``
    /// relies on (ids ascending, offsets ascending from 0 to the edge count, the stride of this edge value type).
    /// - Parameters:
    ///   - unweighted: the edge value of every edge when the type has no bytes.
    ///   - partitions: the job's partition count (that of the routing's slot bases).
    /// - Returns: the partition, and its message routing when the image holds one.
    /// - Throws: ``CorruptDataError`` naming the file and what is wrong.
    static func readImage(
        _ path: String, partition: Int, partitions: Int, unweighted: () -> EdgeValue
    ) throws -> (GraphPartition, MessageRouting?) {
        precondition(imageable, "edge values of this type are not plain data")
        return try GraphImage.read(path, partition: partition) { r in
            let vertices = try r.integer()
            let edges = try r.integer()
            let stride = try r.integer()
            let expected = MemoryLayout<EdgeValue>.size == 0 ? 0 : MemoryLayout<EdgeValue>.stride
            guard stride == expected else {
                throw CorruptDataError(source: path, offset: r.offset, detail: "graph image edge values of \(stride) bytes, expected \(expected)")
            }
            guard vertices < Int(Int32.max), edges < Int(Int32.max) else {
                throw CorruptDataError(source: path, offset: r.offset, detail: "graph image of \(vertices) vertices and \(edges) edges")
            }
            let ids = try r.raw(Int64.self, count: vertices)
            let offsets = try r.raw(Int.self, count: vertices + 1)
            let targets = try r.raw(Int64.self, count: edges)
            let values: [EdgeValue] = stride > 0 ? try r.raw(EdgeValue.self, count: edges) : Array(repeating: unweighted(), count: edges)
            guard offsets.first == 0, offsets.last == edges else {
                throw CorruptDataError(source: path, offset: 0, detail: "graph image offsets do not run from 0 to \(edges)")
            }
            for i in 0..<vertices {
                guard offsets[i] <= offsets[i + 1] else { throw CorruptDataError(source: path, offset: 0, detail: "graph image offsets descend") }
                guard i == 0 || ids[i - 1] < ids[i] else { throw CorruptDataError(source: path, offset: 0, detail: "graph image ids not ascending") }
            }
            let graph = GraphPartition(ids: ids, offsets: offsets, targets: targets, edgeValues: values)
            guard try r.integer() == 1 else { return (graph, nil) }
            let slots = try r.integer()
            let edgeSlots = try r.raw(Int32.self, count: edges)
            let slotBase = try r.raw(Int.self, count: partitions + 1)
            let slotTargets = try r.raw(Int64.self, count: slots)
            let slotEdgeStart = try r.raw(Int32.self, count: slots + 1)
            let slotSources = try r.raw(Int32.self, count: edges)
            let routing = try MessageRouting(
                checking: path, edgeSlots: edgeSlots, slotBase: slotBase, slotTargets: slotTargets, slotEdgeStart: slotEdgeStart,
                slotSources: slotSources, edges: edges, vertices: vertices, partitions: partitions)
            return (graph, routing)
        }
    }
}
