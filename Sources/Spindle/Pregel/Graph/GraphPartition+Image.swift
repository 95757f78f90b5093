import SpindleCore

extension GraphPartition {
    /// Whether the edge values can be kept in a ``GraphImage`` as raw bytes: none (`Unweighted`), or plain data.
    static var imageable: Bool { MemoryLayout<EdgeValue>.size == 0 || _isPOD(EdgeValue.self) }

    /// Writes this partition's image (``GraphImage``, layout 2): vertex count, edge count, edge value stride, 1 when
    /// the image holds the message routing (else 0), then the ids, the offsets, the targets (only without a routing:
    /// the routing knows every edge's target as its slot's) and the edge values as raw little-endian arrays, then,
    /// with a routing, its slot count and arrays (edge slots, slot bases, slot targets, slot edge starts, slot
    /// sources). Reads only immutable arrays: it may run on another thread while the partition computes.
    /// - Parameters:
    ///   - routing: resolved from this graph (one slot per edge), or nil.
    ///   - stop: see ``GraphImage/write(_:partition:stop:body:)``.
    /// - Precondition: ``imageable``.
    func writeImage(_ path: String, partition: Int, routing: MessageRouting?, stop: @escaping () -> Bool = { false }) throws {
        precondition(Self.imageable, "edge values of this type are not plain data")
        precondition(routing.map { $0.edgeSlots.count == edgeCount } ?? true, "a routing resolved from another graph")
        let stride = MemoryLayout<EdgeValue>.size == 0 ? 0 : MemoryLayout<EdgeValue>.stride
        try GraphImage.write(path, partition: partition, stop: stop) { sink in
            try sink.appendInteger(UInt64(ids.count))
            try sink.appendInteger(UInt64(edgeCount))
            try sink.appendInteger(UInt64(stride))
            try sink.appendInteger(routing == nil ? 0 : 1)
            try sink.appendRaw(ids)
            try sink.appendRaw(offsets)
            if routing == nil { try sink.appendRaw(targets) }
            if stride > 0 { try sink.appendRaw(edgeValues) }
            guard let routing else { return }
            try sink.appendInteger(UInt64(routing.slotTargets.count))
            try sink.appendRaw(routing.edgeSlots)
            try sink.appendRaw(routing.slotBase)
            try sink.appendRaw(routing.slotTargets)
            try sink.appendRaw(routing.slotEdgeStart)
            try sink.appendRaw(routing.slotSources)
        }
    }

    /// Reads a partition written by ``writeImage(_:partition:routing:stop:)``, checking every invariant
    /// ``GraphPartition`` and ``MessageRouting`` rely on (ids ascending, offsets ascending from 0 to the edge count,
    /// the stride of this edge value type, every slot and source index in range).
    /// - Parameters:
    ///   - unweighted: the edge value of every edge when the type has no bytes.
    ///   - partitions: the job's partition count (that of the routing's slot bases).
    /// - Returns: the partition, and its message routing when the image holds one (the partition then reads its
    ///   edge targets through it).
    /// - Throws: ``CorruptDataError`` naming the file and what is wrong.
    static func readImage(
        _ path: String, partition: Int, partitions: Int, unweighted: () -> EdgeValue
    ) throws -> (GraphPartition, MessageRouting?) {
        precondition(imageable, "edge values of this type are not plain data")
        return try GraphImage.read(path, partition: partition) { r in
            let vertices = try r.integer()
            let edges = try r.integer()
            let stride = try r.integer()
            let routed = try r.integer()
            let expected = MemoryLayout<EdgeValue>.size == 0 ? 0 : MemoryLayout<EdgeValue>.stride
            guard stride == expected else {
                throw CorruptDataError(source: path, offset: r.offset, detail: "graph image edge values of \(stride) bytes, expected \(expected)")
            }
            guard vertices < Int(Int32.max), edges < Int(Int32.max) else {
                throw CorruptDataError(source: path, offset: r.offset, detail: "graph image of \(vertices) vertices and \(edges) edges")
            }
            guard routed <= 1 else { throw CorruptDataError(source: path, offset: r.offset, detail: "graph image routing flag \(routed)") }
            let ids = try r.raw(Int64.self, count: vertices)
            let offsets = try r.raw(Int.self, count: vertices + 1)
            let targets = routed == 0 ? try r.raw(Int64.self, count: edges) : []
            let values: [EdgeValue] = stride > 0 ? try r.raw(EdgeValue.self, count: edges) : Array(repeating: unweighted(), count: edges)
            guard offsets.first == 0, offsets.last == edges else {
                throw CorruptDataError(source: path, offset: 0, detail: "graph image offsets do not run from 0 to \(edges)")
            }
            for i in 0..<vertices {
                guard offsets[i] <= offsets[i + 1] else { throw CorruptDataError(source: path, offset: 0, detail: "graph image offsets descend") }
                guard i == 0 || ids[i - 1] < ids[i] else { throw CorruptDataError(source: path, offset: 0, detail: "graph image ids not ascending") }
            }
            guard routed == 1 else { return (GraphPartition(ids: ids, offsets: offsets, targets: targets, edgeValues: values), nil) }
            let slots = try r.integer()
            let edgeSlots = try r.raw(Int32.self, count: edges)
            let slotBase = try r.raw(Int.self, count: partitions + 1)
            let slotTargets = try r.raw(Int64.self, count: slots)
            let slotEdgeStart = try r.raw(Int32.self, count: slots + 1)
            let slotSources = try r.raw(Int32.self, count: edges)
            let routing = try MessageRouting(
                checking: path, edgeSlots: edgeSlots, slotBase: slotBase, slotTargets: slotTargets, slotEdgeStart: slotEdgeStart,
                slotSources: slotSources, edges: edges, vertices: vertices, partitions: partitions)
            return (GraphPartition(ids: ids, offsets: offsets, edgeValues: values, targetsThrough: routing), routing)
        }
    }
}
