import Foundation
import SpindleCore
import SpindlePosix
import Testing

@testable import Spindle

/// A graph image reads back exactly what was written (graph and message routing; with a routing the image keeps no
/// target array and the graph read back reads its targets through it), and any damaged byte, another layout, an
/// index out of range under a valid checksum, another partition's image or a missing file is refused with a
/// sentence naming the file. A stopped write leaves neither the image nor its temporary file.
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
        #expect(read.targetsThroughSlots, "the image keeps no target array of its own")
        for e in 0..<graph.edgeCount { #expect(read.target(ofEdge: e) == graph.target(ofEdge: e)) }
    }

    @Test func anImageWithARoutingHoldsNoTargets() throws {
        let dir = try TemporaryDirectory()
        let (path, graph, routing) = try written(dir)
        try graph.writeImage(dir.file("plain"), partition: 3, routing: nil)
        let routed = try FileSystem.readFile(path).count
        let plain = try FileSystem.readFile(dir.file("plain")).count
        let edges = graph.edgeCount, slots = routing.slotTargets.count
        // The flag is there either way; the routing adds its slot count and arrays, and the targets are left out.
        #expect(routed == plain - 8 * edges + 8 + 4 * edges + 8 * 6 + 8 * slots + 4 * (slots + 1) + 4 * edges)
        let (read, none) = try GraphPartition<Void>.readImage(dir.file("plain"), partition: 3, partitions: 5) { () }
        #expect(none == nil && !read.targetsThroughSlots && read.targets == graph.targets)
    }

    /// Rewrites the image at `path` with `change` applied to its bytes and a valid checksum again.
    private func rewrite(_ path: String, _ change: (inout [UInt8]) -> Void) throws {
        var bytes = try FileSystem.readFile(path)
        bytes.removeLast(4)
        change(&bytes)
        let crc = bytes.withUnsafeBytes { CRC32C.checksum($0) }
        withUnsafeBytes(of: crc.littleEndian) { bytes += $0 }
        try FileSystem.writeFileAtomically(path, bytes)
    }

    @Test func anotherLayoutIsRefusedNamingTheFile() throws {
        let dir = try TemporaryDirectory()
        let (path, _, _) = try written(dir)
        try rewrite(path) { $0[4] = 1 }
        let error = #expect(throws: CorruptDataError.self) { try GraphPartition<Void>.readImage(path, partition: 3, partitions: 5) { () } }
        #expect(error?.description.contains("layout 1, not 2") == true && error?.description.contains(path) == true, "\(String(describing: error))")
    }

    @Test func anEdgeSlotOutOfRangeUnderAValidChecksumIsRefused() throws {
        let dir = try TemporaryDirectory()
        let (path, graph, _) = try written(dir)
        // Header (4 + 1 + 8), 4 counts, ids, offsets, then the slot count and the first edge's slot.
        let firstSlot = 13 + 32 + graph.vertexCount * 8 + (graph.vertexCount + 1) * 8 + 8
        try rewrite(path) { bytes in
            withUnsafeBytes(of: Int32.max.littleEndian) { bytes.replaceSubrange(firstSlot..<firstSlot + 4, with: $0) }
        }
        let error = #expect(throws: CorruptDataError.self) { try GraphPartition<Void>.readImage(path, partition: 3, partitions: 5) { () } }
        #expect(error?.description.contains("slot is out of range") == true && error?.description.contains(path) == true, "\(String(describing: error))")
    }

    @Test func aRoutingFlagOtherThanZeroOrOneIsRefused() throws {
        let dir = try TemporaryDirectory()
        let (path, _, _) = try written(dir)
        try rewrite(path) { $0[13 + 24] = 7 }
        #expect(throws: CorruptDataError.self) { try GraphPartition<Void>.readImage(path, partition: 3, partitions: 5) { () } }
    }

    @Test func aStoppedWriteLeavesNoFile() throws {
        let dir = try TemporaryDirectory()
        let graph = MessageRoutingTests.randomGraph(seed: 7)
        var asked = 0
        #expect(throws: GraphImage.Sink.Stopped.self) {
            try graph.writeImage(dir.file("stopped"), partition: 3, routing: nil) {
                asked += 1
                return asked > 1
            }
        }
        #expect(try FileSystem.listDirectory(dir.path).isEmpty)
    }

    @Test func aStoppedWriterEndsItsQueuedWritesNotIntact() throws {
        let dir = try TemporaryDirectory()
        let graph = MessageRoutingTests.randomGraph(seed: 7)
        let writer = GraphImageWriter()
        let first = writer.start(.init { stop in try graph.writeImage(dir.file("a"), partition: 3, routing: nil, stop: stop) })
        #expect(first.wait(timeout: .seconds(30)) == true)
        writer.stop(within: .seconds(30))
        let second = writer.start(.init { stop in try graph.writeImage(dir.file("b"), partition: 3, routing: nil, stop: stop) })
        #expect(second.wait(timeout: .seconds(30)) == false)
        #expect(try FileSystem.listDirectory(dir.path) == ["a"])
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
