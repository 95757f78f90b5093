import Foundation
import Testing
import SpindleCore
import SpindlePosix
@testable import Spindle

/// The in-memory twins of the control link and the segment fetch keep the TCP path's limits and checks.
@Suite struct InMemoryTransportTests {
    private static let secret = Array("in-memory-transport-secret".utf8)

    @Test func framesArriveInOrderAndTheEndIsSeenAfterThem() throws {
        let (a, b) = try InMemoryLink.pair(names: ("b", "a"))
        try a.send(Frame(kind: 1, payload: [1]))
        try a.send(Frame(kind: 2, payload: [2, 2]))
        let ready = try Poller.wait([(b.readinessDescriptor, .readable)], timeout: .seconds(10))
        #expect(!ready[0].isEmpty, "a waiting frame makes the descriptor readable")
        #expect(try b.receive(timeout: .seconds(1))?.kind == 1)
        a.close()
        #expect(try b.readAvailable().map(\.payload) == [[2, 2]])
        #expect(throws: ConnectionClosed.self) { _ = try b.receive(timeout: .seconds(1)) }
        #expect(throws: ConnectionClosed.self) { try b.send(Frame(kind: 1, payload: [])) }
        #expect(throws: ConnectionClosed.self) { _ = try a.receive(timeout: .zero) }
    }

    @Test func onlyHandshakeSizedFramesAreAcceptedBeforeAuthentication() throws {
        let (a, b) = try InMemoryLink.pair(names: ("b", "a"))
        let big = Frame(kind: 7, payload: [UInt8](repeating: 0, count: WireProtocol.maxHandshakeFrameSize))
        try a.send(big)
        #expect(throws: FrameError.self) { _ = try b.receive(timeout: .seconds(1)) }
        b.authenticated()
        try a.send(big)
        #expect(try b.receive(timeout: .seconds(1))?.payload.count == WireProtocol.maxHandshakeFrameSize)
    }

    @Test func aWorkerWithTheWrongSecretIsRefusedInMemoryToo() throws {
        let (client, server) = try InMemoryLink.pair(names: ("server", "client"))
        let serverSide = Thread {
            _ = try? Handshaking.acceptAsServer(server, secret: Self.secret, timeout: .seconds(10))
            server.close()
        }
        serverSide.start()
        #expect(throws: (any Error).self) {
            try Handshaking.connectAsClient(client, secret: Array("wrong".utf8), role: .worker, timeout: .seconds(10))
        }
    }

    /// Two exchange servers on one network, an output of attempt 5 on the first, and a fetcher on the second.
    private func twoWorkers(_ dir: TemporaryDirectory, corrupt: Bool = false) throws -> (SegmentFetcher, ExchangeServer, TaskContext, [Int]) {
        let network = try InProcessNetwork()
        let producer = ExchangeServer(network: network)
        let consumer = ExchangeServer(network: network)
        var rng = SplitMix64(seed: 3)
        let records = stableSorted((0..<400).map { i in TestRecord(partition: i % 3, key: randomBytes(8, &rng), value: randomBytes(40, &rng)) })
        let path = dir.file("output")
        let sizes = try writePartitioned(records, partitions: 3, path: path)
        if corrupt {
            var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
            bytes[sizes[0] + 30] ^= 0x10  // Inside partition 1's first block.
            try Data(bytes).write(to: URL(fileURLWithPath: path))
        }
        producer.register(AttemptID(5), file: try PartitionedFile(path: path))
        let services = WorkerServices(exchange: consumer, secret: Self.secret)
        let context = TaskContext(
            worker: WorkerID(2), assignment: TaskAssignment(attempt: AttemptID(9), task: TaskID(stage: 1, index: 1), payload: []),
            descriptor: JobDescriptor(job: "test", parameters: [], heartbeatInterval: .seconds(1), heartbeatTimeout: .seconds(5), engineSettings: []),
            parameters: JobParameters(pairs: []), scratchDirectory: dir.path, services: services)
        let fetcher = SegmentFetcher(secret: Self.secret, server: consumer, scratchPrefix: dir.file("fetched"), producerStage: 0)
        return (fetcher, producer, context, sizes)
    }

    private func source(_ producer: ExchangeServer, bytes: Int, attempt: UInt64 = 5) -> SegmentSource {
        SegmentSource(producer: 0, attempt: AttemptID(attempt), host: InProcessNetwork.host, port: producer.port, bytes: bytes)
    }

    @Test func aSegmentIsFetchedFromAnotherWorkerOfTheProcessAndReadsBack() throws {
        let dir = try TemporaryDirectory()
        let (fetcher, producer, context, sizes) = try twoWorkers(dir)
        let segments = try fetcher.fetch(partition: 1, sources: [source(producer, bytes: sizes[1])], context: context)
        var cursor = RecordCursor(blocks: segments[0].bytes, source: "test", owner: segments[0].owner, checksumsVerified: segments[0].verified)
        var count = 0
        while try cursor.next() { count += 1 }
        #expect(count == (0..<400).filter { $0 % 3 == 1 }.count)
    }

    @Test func aCorruptedBlockIsCaughtWhenTheFetchedSegmentIsRead() throws {
        let dir = try TemporaryDirectory()
        let (fetcher, producer, context, sizes) = try twoWorkers(dir, corrupt: true)
        let segment = try fetcher.fetch(partition: 1, sources: [source(producer, bytes: sizes[1])], context: context)[0]
        #expect(!segment.verified, "bytes from a file are checked as they are read")
        var cursor = RecordCursor(blocks: segment.bytes, source: "test", owner: segment.owner, checksumsVerified: segment.verified)
        #expect(throws: CorruptDataError.self) { while try cursor.next() {} }
    }

    @Test func aWrongSizeAnUnknownAttemptOrAStoppedWorkerFailsTheFetchBlamelessly() throws {
        let dir = try TemporaryDirectory()
        let (fetcher, producer, context, sizes) = try twoWorkers(dir)
        for bad in [source(producer, bytes: sizes[1] + 1), source(producer, bytes: sizes[1], attempt: 6)] {
            let error = #expect(throws: BlamelessFailure.self) { _ = try fetcher.fetch(partition: 1, sources: [bad], context: context) }
            #expect(error?.lostOutputs == [TaskID(stage: 0, index: 0)])
            #expect(error?.description.contains("in-process:\(producer.port)") == true)
        }
        producer.stop()
        #expect(throws: BlamelessFailure.self) { _ = try fetcher.fetch(partition: 1, sources: [source(producer, bytes: sizes[1])], context: context) }
    }
}
