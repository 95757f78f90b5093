import Foundation
@testable import Spindle
import SpindleCore
import SpindlePosix
import Testing

/// The worker-side pieces of the BSP engine, in process: the outbox's order across spills, the loader's
/// per-line staging, message decoding, and checkpointed state files.
@Suite struct BSPOutboxTests {
    /// The messages of every partition of a finished outbox file, decoded.
    private func read(_ path: String) throws -> [[Pair<Int64, Int64>]] {
        let file = try PartitionedFile(path: path)
        return try (0..<file.partitionCount).map { q in
            let messages = BSPMessages<Pair<Int64, Int64>>([file.cursor(q)], isEmpty: file.segment(q).isEmpty)
            let decoded = Array(messages)
            if let problem = messages.problems.first { throw problem }
            return decoded
        }
    }

    @Test(arguments: [1 << 30, 4096, 1])
    func everyDestinationGetsItsMessagesInSendOrderWhateverTheSpills(budget: Int) throws {
        let dir = try TemporaryDirectory()
        let outbox = BSPOutbox<Pair<Int64, Int64>>(partitionCount: 5, budget: budget, scratchPrefix: dir.file("t"))
        var expected = Array(repeating: [Pair<Int64, Int64>](), count: 5)
        var x: UInt64 = 1
        for i in 0..<3000 {
            x = x &* 6_364_136_223_846_793_005 &+ 1
            let q = Int(x >> 61) % 5  // destinations in random order, 4 of them twice as likely as 0 ... any order
            let message = Pair(Int64(i), Int64(bitPattern: x))
            outbox.send(toPartition: q, message)
            expected[q].append(message)
        }
        #expect(outbox.sent == 3000)
        let sizes = try outbox.finish(path: dir.file("out"))
        #expect(sizes == (try PartitionedFile(path: dir.file("out")).partitionSizes))
        #expect(try read(dir.file("out")) == expected)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.contains("spill") }
        #expect(leftovers.isEmpty, "spill runs are removed: \(leftovers)")
    }

    @Test func aSendOutsideThePartitionsFailsTheTaskWithoutTrapping() throws {
        let dir = try TemporaryDirectory()
        let outbox = BSPOutbox<Int64>(partitionCount: 3, budget: 1 << 20, scratchPrefix: dir.file("t"))
        outbox.send(toPartition: 1, 5)
        outbox.send(toPartition: 3, 6)
        outbox.send(toPartition: -1, 7)
        #expect(outbox.sent == 1)
        let error = #expect(throws: TaskFailure.self) { try outbox.finish(path: dir.file("out")) }
        #expect(error?.description == "the job sent a message to partition 3; partitions are 0..<3")
    }

    @Test func theLoaderCommitsALinesSendsOrDropsThemAll() throws {
        let dir = try TemporaryDirectory()
        let outbox = BSPOutbox<Pair<Int64, Int64>>(partitionCount: 2, budget: 1 << 20, scratchPrefix: dir.file("t"))
        let loader = BSPLoader<Pair<Int64, Int64>>(partitionCount: 2)
        loader.send(toPartition: 1, Pair(1, 1))
        loader.send(toPartition: 0, Pair(1, 2))
        loader.commit(to: outbox)
        loader.send(toPartition: 0, Pair(2, 1))
        loader.discard()
        loader.send(toPartition: 1, Pair(3, 1))
        loader.commit(to: outbox)
        _ = try outbox.finish(path: dir.file("out"))
        #expect(try read(dir.file("out")) == [[Pair(1, 2)], [Pair(1, 1), Pair(3, 1)]])
    }

    @Test func aMessageThatDoesNotDecodeEndsIterationAndIsReported() throws {
        let dir = try TemporaryDirectory()
        let outbox = BSPOutbox<String>(partitionCount: 1, budget: 1 << 20, scratchPrefix: dir.file("t"))
        outbox.send(toPartition: 0, "fine")
        outbox.send(toPartition: 0, "not an Int64 pair")
        _ = try outbox.finish(path: dir.file("out"))
        let file = try PartitionedFile(path: dir.file("out"))
        let messages = BSPMessages<Int64>([file.cursor(0)], isEmpty: false)
        _ = Array(messages)
        #expect(messages.problems.first != nil)
    }

    @Test func stateFilesRoundTripAndDamageIsDetected() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("state-0")
        try CheckpointStore.writeBlob(path) { w in
            w.write(true)
            w.write([Int64(-5), 7, .max])
        }
        let (halted, values) = try CheckpointStore.readBlob(path) { r in (try r.read(Bool.self), try r.read([Int64].self)) }
        #expect(halted && values == [-5, 7, .max])
        #expect(throws: (any Error).self) { try CheckpointStore.readBlob(path) { r in try r.read(Bool.self) } }  // must consume everything
        var bytes = try FileSystem.readFile(path)
        bytes[6] ^= 0x10
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let error = #expect(throws: CorruptDataError.self) { try CheckpointStore.readBlob(path) { r in try r.read(Bool.self) } }
        #expect(error?.detail == "checkpoint state checksum mismatch")
    }
}
