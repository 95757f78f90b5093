import SpindleCore

extension MessageRouting {
    /// Wraps arrays read back from a graph image once every index the superstep loops follow without bounds checks
    /// is checked to be in range.
    /// - Throws: ``CorruptDataError`` naming `path` when an array does not fit the partition's graph.
    init(
        checking path: String, edgeSlots: [Int32], slotBase: [Int], slotTargets: [Int64], slotEdgeStart: [Int32], slotSources: [Int32],
        edges: Int, vertices: Int, partitions: Int
    ) throws {
        func fail(_ detail: String) -> CorruptDataError { CorruptDataError(source: path, offset: 0, detail: "graph image routing: \(detail)") }
        let slots = slotTargets.count
        guard edgeSlots.count == edges, slotSources.count == edges else { throw fail("not one slot and source per edge") }
        guard slotBase.count == partitions + 1, slotBase.first == 0, slotBase.last == slots else { throw fail("slot bases do not fit") }
        for q in 0..<partitions where slotBase[q] > slotBase[q + 1] { throw fail("slot bases descend") }
        guard slotEdgeStart.count == slots + 1, slotEdgeStart.first == 0, slotEdgeStart.last == Int32(truncatingIfNeeded: edges) else {
            throw fail("slot edge starts do not fit")
        }
        for s in 0..<slots where slotEdgeStart[s] > slotEdgeStart[s + 1] { throw fail("slot edge starts descend") }
        let slotLimit = Int32(truncatingIfNeeded: slots)
        let vertexLimit = Int32(truncatingIfNeeded: vertices)
        guard edgeSlots.allSatisfy({ $0 >= 0 && $0 < slotLimit }) else { throw fail("an edge's slot is out of range") }
        guard slotSources.allSatisfy({ $0 >= 0 && $0 < vertexLimit }) else { throw fail("a slot's source is out of range") }
        self.edgeSlots = edgeSlots
        self.slotBase = slotBase
        self.slotTargets = slotTargets
        self.slotEdgeStart = slotEdgeStart
        self.slotSources = slotSources
    }
}
