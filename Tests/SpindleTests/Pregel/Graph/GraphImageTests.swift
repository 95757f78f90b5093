import Foundation
import SpindlePosix
import Testing

@testable import Spindle

/// A graph image reads back exactly what was written (graph and message routing), and any damaged byte, another
/// partition's image or a missing file is refused with a sentence naming the file.
@Suite struct GraphImageTests {
    private let partitioner = VertexPartitioner(partitions: 5)

    private func written(_ dir: TemporaryDirectory, weighted: Bool = false) throws -> (String, GraphPartition<Void>, MessageRouting) {
        let graph = MessageRoutingTests.randomGraph(seed: 7)
        let routing = MessageRouting(graph: graph, partitioner: partitioner)
        let path = dir.file("partition-3")
        try graph.writeImage(path, partition: 3, routing: routing)
        return (path, graph, routing)
    }

    @Test func anImageReadsBackTheGraphAndItsRouting() throws {
        let dir = try TemporaryDirectory()
        let (path, graph, routing) = try written(dir)
        let (read, readRouting) = try GraphPartition<Void>.readImage(path, partition: 3, partitions: 5) { () }
        #expect(read.ids == graph.ids && read.offsets == graph.offsets && read.targets == graph.targets)
        #expect(read.localIndex(of: graph.ids[7]) == 7)
        let r = try #require(readRouting)
        #expect(r.edgeSlots == routing.edgeSlots && r.slotBase == routing.slotBase && r.slotTargets == routing.slotTargets)
        #expect(r.slotEdgeStart == routing.slotEdgeStart && r.slotSources == routing.slotSources)
    }

    @Test func weightedEdgesAndNoRoutingReadBack() throws {
        let dir = try TemporaryDirectory()
        let graph = GraphPartition<Double>.build(unsorted: [(1, 2, 0.5), (1, 3, 1.5), (4, 1, -2)], vertices: [9])
        try graph.writeImage(dir.file("w"), partition: 0, routing: nil)
        let (read, routing) = try GraphPartition<Double>.readImage(dir.file("w"), partition: 0, partitions: 5) { 1 }
        #expect(read.edgeValues == graph.edgeValues && read.ids == graph.ids)
        #expect(routing == nil)
    }

    @Test(arguments: [0, 5, 13, 100, 5000]) func aDamagedByteIsRefused(at offset: Int) throws {
        let dir = try TemporaryDirectory()
        let (path, _, _) = try written(dir)
        var bytes = try FileSystem.readFile(path)
        bytes[min(offset, bytes.count - 1)] ^= 0x01
        try FileSystem.writeFileAtomically(path, bytes)
        #expect(throws: CorruptDataError.self) { try GraphPartition<Void>.readImage(path, partition: 3, partitions: 5) { () } }
    }

    @Test func anotherPartitionsOrAMissingImageIsRefused() throws {
        let dir = try TemporaryDirectory()
        let (path, _, _) = try written(dir)
        let other = #expect(throws: CorruptDataError.self) { try GraphPartition<Void>.readImage(path, partition: 2, partitions: 5) { () } }
        #expect(other?.description.contains("partition 3, not 2") == true, "\(String(describing: other))")
        let missing = #expect(throws: CorruptDataError.self) {
            try GraphPartition<Void>.readImage(dir.file("nothing"), partition: 3, partitions: 5) { () }
        }
        #expect(missing?.description.contains(dir.file("nothing")) == true)
    }
}
