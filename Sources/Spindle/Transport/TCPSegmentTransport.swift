import SpindleCore
import SpindlePosix

/// Fetches over TCP from another worker's ``ExchangeServer``: an authenticated connection (role `fetch`,
/// reused from ``FetchConnectionPool`` when one is idle), one `fetchRequest`, then `fetchBlock` frames whose
/// every block's CRC32C is verified on arrival, into a scratch file or (``SegmentFetcher/inMemory``) memory.
struct TCPSegmentTransport: SegmentTransport {
    /// The job's shared secret, proved in each new connection's handshake.
    let secret: [UInt8]
    /// Idle authenticated connections to other workers' servers.
    let pool: FetchConnectionPool

    func fetch(_ source: SegmentSource, partition: Int, for fetcher: SegmentFetcher, context: TaskContext?) throws -> SegmentFetcher.Segment {
        let address = "\(source.host):\(source.port)"
        try pool.leases.checkReachable(address, attempt: source.attempt)
        try context?.checkCancelled()
        if let reused = pool.take(address) {
            do {
                return try leased(reused, source: source, address: address, context: context) {
                    try receive(source, partition: partition, on: reused, reused: true, address: address, for: fetcher)
                }
            } catch is StaleConnection {
                // The server closed it while it was idle; fetch over a new connection.
            }
        }
        var handshakes = 0
        while true {
            let socket: TCPSocket
            do {
                socket = try TCPSocket.connect(host: source.host, port: source.port, timeout: Self.connectTimeout) {
                    context?.isCancelled == true || pool.leases.isLost(address, attempt: source.attempt)
                }
            } catch {
                if context?.isCancelled == true { throw TaskCancelled() }
                if pool.leases.isLost(address, attempt: source.attempt) { throw FetchError("the worker at \(address) was declared lost") }
                throw error
            }
            try socket.setSendTimeout(fetcher.timeout)
            let connection = FramedSocket(socket: socket)
            do {
                try leased(connection, source: source, address: address, context: context) {
                    try Handshaking.connectAsClient(connection, secret: secret, role: .fetch, timeout: RuntimeDefaults.handshakeTimeout)
                }
            } catch {
                connection.close()
                // A server over its limit of unauthenticated connections drops one (ExchangeServer): try again.
                handshakes += 1
                if error is ConnectionClosed && handshakes < 3 && !pool.leases.isLost(address, attempt: source.attempt) && context?.isCancelled != true {
                    continue
                }
                throw error
            }
            return try leased(connection, source: source, address: address, context: context) {
                try receive(source, partition: partition, on: connection, reused: false, address: address, for: fetcher)
            }
        }
    }

    /// How long connecting to another worker's exchange server may take.
    static let connectTimeout: Duration = .seconds(5)

    /// Runs `body` (which waits on `connection`) with the connection registered in ``FetchConnectionPool/leases``
    /// and shut down on `context`'s cancellation, so that either ends a blocked wait at once. An error that
    /// either caused becomes ``TaskCancelled`` or a ``FetchError`` saying the worker was lost.
    private func leased<T>(
        _ connection: FramedSocket, source: SegmentSource, address: String, context: TaskContext?, _ body: () throws -> T
    ) throws -> T {
        let lease = try pool.leases.begin(connection, address: address, attempt: source.attempt)
        defer { pool.leases.end(lease) }
        let socket = connection.socket
        let handler = context?.onCancel { socket.shutdown() }
        defer { context?.removeCancelHandler(handler) }
        do {
            return try body()
        } catch is StaleConnection where !pool.leases.isLost(address, attempt: source.attempt) && context?.isCancelled != true {
            throw StaleConnection()
        } catch {
            if context?.isCancelled == true { throw TaskCancelled() }
            if pool.leases.isLost(address, attempt: source.attempt) { throw FetchError("the worker at \(address) was declared lost") }
            throw error
        }
    }

    /// Requests the segment on `connection` and receives it, verifying every block. The connection goes back
    /// to the pool after a complete answer and is closed otherwise.
    /// - Throws: ``StaleConnection`` when a `reused` connection fails before any answer arrives.
    private func receive(
        _ source: SegmentSource, partition: Int, on connection: FramedSocket, reused: Bool, address: String, for fetcher: SegmentFetcher
    ) throws -> SegmentFetcher.Segment {
        let timeout = fetcher.timeout
        var answered = false
        do {
            try connection.send(Frame(kind: MessageKind.fetchRequest.rawValue, payload: FetchRequest(attempt: source.attempt, partition: partition).wireEncoded()))
            let path = "\(fetcher.scratchPrefix)-from-producer-\(source.producer)"
            let writer = fetcher.inMemory ? nil : try ScratchWriteFailed.wrap { try FileWriter(path: path, mode: .createTruncate) }
            var memory: UnsafeMutableRawBufferPointer? = fetcher.inMemory ? .allocate(byteCount: max(1, source.bytes), alignment: 16) : nil
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
                        _ = try BlockValidator.validate(bytes, source: "\(fetcher.producerName) \(source.producer) output from \(address)")
                        if let writer {
                            try ScratchWriteFailed.wrap { try writer.write(bytes) }
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
                    let segment: SegmentFetcher.Segment
                    if let writer {
                        let file = try ScratchWriteFailed.wrap {
                            try writer.close()
                            return try MappedFile(path: path)
                        }
                        segment = SegmentFetcher.Segment(producer: source.producer, bytes: file.bytes, owner: file)
                    } else {
                        let buffer = BlockBuffer(adopting: memory!, count: received)
                        memory = nil
                        segment = SegmentFetcher.Segment(producer: source.producer, bytes: buffer.bytes, owner: buffer, verified: true)
                    }
                    pool.give(connection, to: address)
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

/// Writing a fetched segment to this worker's own scratch failed (a full disk): the fault of this worker, not
/// of the worker that served the segment, so the task fails as its own (counted, and against this worker).
struct ScratchWriteFailed: Error, CustomStringConvertible {
    var underlying: any Error
    var description: String { "\(underlying)" }

    static func wrap<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch { throw ScratchWriteFailed(underlying: error) }
    }
}
