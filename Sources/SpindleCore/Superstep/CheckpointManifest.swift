/// What the coordinator records about a checkpoint, in its `MANIFEST`.
package struct CheckpointManifest: Sendable, Equatable, WireCodable {
    package var superstep: Int
    package var totalVertices: Int
    package var partitions: Int
    /// The aggregators' values folded at the barrier of `superstep`, in the job's aggregator order.
    package var aggregates: [Double]
    /// Master compute's globals after `superstep`, sorted by name.
    package var globals: [Pair<String, Double>]

    package init(superstep: Int, totalVertices: Int, partitions: Int, aggregates: [Double], globals: [Pair<String, Double>]) {
        self.superstep = superstep
        self.totalVertices = totalVertices
        self.partitions = partitions
        self.aggregates = aggregates
        self.globals = globals
    }

    package func encode(to w: inout WireWriter) {
        w.write(superstep)
        w.write(totalVertices)
        w.write(partitions)
        w.write(aggregates)
        w.write(globals)
    }

    /// - Throws: ``WireError`` when the bytes are cut short, or a count is negative or out of range.
    package init(from r: inout WireReader) throws {
        superstep = try r.read(Int.self)
        totalVertices = try r.read(Int.self)
        partitions = try r.read(Int.self)
        aggregates = try r.read([Double].self)
        globals = try r.read([Pair<String, Double>].self)
        guard superstep >= 0, totalVertices >= 0, partitions >= 1 else {
            throw WireError.invalidValue(
                type: "checkpoint manifest", detail: "superstep \(superstep), \(totalVertices) vertices and \(partitions) partitions are out of range"
            )
        }
    }
}
