import Foundation
import Synchronization
import SpindleCore
import SpindlePosix

/// Gathers a partition from the producers' outputs that hold it (map outputs for a reducer, message outputs for a
/// superstep): directly from this worker's own outputs,
/// or over TCP from other workers' exchange servers, a few at a time, verifying every block's CRC32C as it
/// arrives. A source that cannot be fetched intact makes the task fail blamelessly, naming the map task,
/// so the coordinator runs that map again. An in-memory fetcher can also fetch a partition ahead of the task
/// that will read it (``prefetch(_:)``); a later fetch of that partition takes those segments.
struct SegmentFetcher {
    let secret: [UInt8]
    let server: ExchangeServer
    let scratchPrefix: String
    /// The stage whose tasks produced the sources: a lost source names its task there, to be run again.
    let producerStage: Int
    /// How errors name a producing task, e.g. "map task" (followed by its index).
    var producerName = "map task"
    /// Concurrent fetches.
    var parallelism = 4
    var timeout: Duration = .seconds(30)
    /// Keep fetched segments in memory instead of scratch files (for inputs that live in memory anyway,
    /// such as a graph partition's messages).
    var inMemory = false

    /// A fetched segment and what keeps its bytes alive.
    struct Segment: @unchecked Sendable {  // The bytes are immutable once fetched; `owner` keeps them mapped.
        var producer: Int
        var bytes: UnsafeRawBufferPointer
        var owner: AnyObject
        /// Every block's checksum was verified on arrival, or the bytes never left this process's memory.
        var verified = false
    }

    /// Fetches partition `partition` from every source; the segments come back in source order.
    func fetch(partition: Int, sources: [SegmentSource], context: TaskContext) throws -> [Segment] {
        let results = Mutex<[Int: Result<Segment, any Error>]>([:])
        let next = Atomic<Int>(0)
        let workers = min(parallelism, sources.count)
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while true {
                let i = next.add(1, ordering: .relaxed).oldValue
                guard i < sources.count, !context.isCancelled else { return }
                let result = Result { try fetchOne(sources[i], partition: partition, context: context) }
                results.withLock { $0[i] = result }
                if case .failure = result { return }
            }
        }
        try context.checkCancelled()
        let collected = results.withLock { $0 }
        var segments: [Segment] = []
        var lost: [TaskID] = []
        var causes: [String] = []
        for (i, source) in sources.enumerated() {
            switch collected[i] {
            case .success(let segment): segments.append(segment)
            case .failure(let error):
                lost.append(TaskID(stage: producerStage, index: source.producer))
                causes.append("\(error)")
            case nil: break
            }
        }
        if !lost.isEmpty {
            throw BlamelessFailure(description: causes.first ?? "fetch failed", lostOutputs: lost)
        }
        guard segments.count == sources.count else {
            throw BlamelessFailure(description: "fetching was interrupted", lostOutputs: [])
        }
        return segments
    }

    /// Starts fetching `ahead`'s partition from those of its sources that live on other workers, in the
    /// background, for a later ``fetch(partition:sources:context:)`` of it to find in
    /// ``ExchangeServer/prefetched``. Sources on this worker are read in place when the task runs. Only a fetcher
    /// that keeps segments in memory fetches ahead (scratch files are named after the task that reads them).
    func prefetch(_ ahead: FetchAhead) {
        guard inMemory else { return }
        let remote = ahead.sources.filter { server.localOutput($0.attempt) == nil }
        let keys = remote.map { SegmentPrefetches.Key(attempt: $0.attempt, partition: ahead.partition) }
        let started = server.prefetched.start(keys, keeping: Set(ahead.sources.map(\.attempt)))
        guard !started.isEmpty else { return }
        let sources = Dictionary(remote.map { ($0.attempt, $0) }, uniquingKeysWith: { first, _ in first })
        let fetcher = self
        DispatchQueue.global().async {
            DispatchQueue.concurrentPerform(iterations: started.count) { i in
                let (key, pending) = started[i]
                pending.finish(Result { try fetcher.fetchRemote(sources[key.attempt]!, partition: key.partition) })
            }
        }
    }

    private func fetchOne(_ source: SegmentSource, partition: Int, context: TaskContext) throws -> Segment {
        if let file = server.localOutput(source.attempt) {
            let bytes = file.segment(partition)
            guard bytes.count == source.bytes else {
                throw FetchError("\(producerName) \(source.producer)'s local output has \(bytes.count) bytes for partition \(partition), expected \(source.bytes)")
            }
            return Segment(producer: source.producer, bytes: bytes, owner: file, verified: file.isInMemory)
        }
        if let pending = server.prefetched.take(.init(attempt: source.attempt, partition: partition)),
            let segment = try pending.segment(timeout: timeout, context: context), segment.bytes.count == source.bytes
        {
            return segment
        }
        // Not fetched ahead, or that fetch failed: fetch now (a failure that persists is reported from here).
        return try fetchRemote(source, partition: partition)
    }

    /// Fetches `source`'s segment of `partition` from its worker's exchange server.
    private func fetchRemote(_ source: SegmentSource, partition: Int) throws -> Segment {
        let address = "\(source.host):\(source.port)"
        do {
            if let reused = server.connections.take(address) {
                do {
                    return try receive(source, partition: partition, on: reused, reused: true, address: address)
                } catch is StaleConnection {
                    // The server closed it while it was idle; fetch over a new connection.
                }
            }
            var handshakes = 0
            while true {
                let socket = try TCPSocket.connect(host: source.host, port: source.port, timeout: .seconds(5))
                try socket.setSendTimeout(timeout)
                let connection = FramedSocket(socket: socket)
                do {
                    try Handshaking.connectAsClient(connection, secret: secret, role: .fetch, timeout: RuntimeDefaults.handshakeTimeout)
                } catch {
                    connection.close()
                    // A server over its limit of unauthenticated connections drops one (ExchangeServer): try again.
                    handshakes += 1
                    if error is ConnectionClosed && handshakes < 3 { continue }
                    throw error
                }
                return try receive(source, partition: partition, on: connection, reused: false, address: address)
            }
        } catch let error as FetchError {
            throw FetchError("fetching \(producerName) \(source.producer)'s output from \(address) failed: \(error.description)")
        } catch {
            throw FetchError("fetching \(producerName) \(source.producer)'s output from \(address) failed: \(error)")
        }
    }

    /// Requests the segment on `connection` and receives it, verifying every block. The connection goes back
    /// to the pool after a complete answer and is closed otherwise.
    /// - Throws: ``StaleConnection`` when a `reused` connection fails before any answer arrives.
    private func receive(_ source: SegmentSource, partition: Int, on connection: FramedSocket, reused: Bool, address: String) throws -> Segment {
        var answered = false
        do {
            try connection.send(Frame(kind: MessageKind.fetchRequest.rawValue, payload: FetchRequest(attempt: source.attempt, partition: partition).wireEncoded()))
            let path = "\(scratchPrefix)-from-producer-\(source.producer)"
            let writer = inMemory ? nil : try FileWriter(path: path, mode: .createTruncate)
            var memory: UnsafeMutableRawBufferPointer? = inMemory ? .allocate(byteCount: max(1, source.bytes), alignment: 16) : nil
            defer { memory?.deallocate() }
            var received = 0
            while true {
                guard let frame = try connection.receive(timeout: timeout) else {
                    throw FetchError("no data for \(DurationText.format(timeout))")
                }
                answered = true
                switch MessageKind(rawValue: frame.kind) {
                case .fetchBlock:
                    try frame.payload.withUnsafeBytes { bytes in
                        _ = try BlockValidator.validate(bytes, source: "\(producerName) \(source.producer) output from \(address)")
                        if let writer {
                            try writer.write(bytes)
                        } else if let memory, bytes.count > 0 {
                            guard received + bytes.count <= memory.count else {
                                throw FetchError("the server sent more than the \(source.bytes) bytes the map reported")
                            }
                            (memory.baseAddress! + received).copyMemory(from: bytes.baseAddress!, byteCount: bytes.count)
                        }
                    }
                    received += frame.payload.count
                case .fetchEnd:
                    let total = try WireReader.decode(Int.self, from: frame.payload)
                    guard total == received, total == source.bytes else {
                        throw FetchError("received \(received) bytes, the server announced \(total), the map reported \(source.bytes)")
                    }
                    let segment: Segment
                    if let writer {
                        try writer.close()
                        let file = try MappedFile(path: path)
                        segment = Segment(producer: source.producer, bytes: file.bytes, owner: file)
                    } else {
                        let buffer = BlockBuffer(adopting: memory!, count: received)
                        memory = nil
                        segment = Segment(producer: source.producer, bytes: buffer.bytes, owner: buffer, verified: true)
                    }
                    server.connections.give(connection, to: address)
                    return segment
                case .fetchError:
                    throw FetchError(try WireReader.decode(String.self, from: frame.payload))
                default:
                    throw FetchError("unexpected frame kind \(frame.kind)")
                }
            }
        } catch {
            connection.close()
            if reused && !answered { throw StaleConnection() }
            throw error
        }
    }
}

/// A reused fetch connection failed before the server answered (it may have closed the connection).
private struct StaleConnection: Error {}

struct FetchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
