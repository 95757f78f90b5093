import Testing

@testable import Spindle

@Suite struct GraphPartitionTargetsThroughSlotsTests {
    /// A graph reading its targets through resolved slots has the same vertices, edges and targets, per edge
    /// and as a whole, and routing it again resolves the same slots.
    @Test(arguments: [1, 3])
    func targetsReadThroughSlotsEqualTheGraphsOwn(partitions: Int) {
        let graph = MessageRoutingTests.randomGraph(seed: 77 &+ UInt64(partitions))
        let partitioner = VertexPartitioner(partitions: partitions)
        let routing = MessageRouting(graph: graph, partitioner: partitioner)
        let compact = graph.readingTargets(through: routing)
        #expect(compact.targetsThroughSlots && !graph.targetsThroughSlots)
        #expect(compact.ids == graph.ids && compact.offsets == graph.offsets && compact.edgeCount == graph.edgeCount)
        let targets = graph.targets
        #expect(compact.targets == targets)
        let wrong = (0..<graph.edgeCount).filter { compact.target(ofEdge: $0) != targets[$0] }
        #expect(wrong.isEmpty, "edges with another target: \(wrong.prefix(5))")
        for i in 0..<graph.vertexCount {
            for k in 0..<graph.outDegree(i) where compact.edgeTarget(i, k) != graph.edgeTarget(i, k) {
                Issue.record("vertex \(i) edge \(k): \(compact.edgeTarget(i, k)) instead of \(graph.edgeTarget(i, k))")
            }
            #expect(compact.localIndex(of: graph.ids[i]) == i)
        }
        #expect(compact.readingTargets(through: routing) === compact)
        let again = MessageRouting(graph: compact, partitioner: partitioner)
        #expect(again.edgeSlots == routing.edgeSlots && again.slotTargets == routing.slotTargets && again.slotSources == routing.slotSources)
    }
}
