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

    func fetch(_ source: SegmentSource, partition: Int, for fetcher: SegmentFetcher) throws -> SegmentFetcher.Segment {
        let address = "\(source.host):\(source.port)"
        if let reused = pool.take(address) {
            do {
                return try receive(source, partition: partition, on: reused, reused: true, address: address, for: fetcher)
            } catch is StaleConnection {
                // The server closed it while it was idle; fetch over a new connection.
            }
        }
        var handshakes = 0
        while true {
            let socket = try TCPSocket.connect(host: source.host, port: source.port, timeout: .seconds(5))
            try socket.setSendTimeout(fetcher.timeout)
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
            return try receive(source, partition: partition, on: connection, reused: false, address: address, for: fetcher)
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
            let writer = fetcher.inMemory ? nil : try FileWriter(path: path, mode: .createTruncate)
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
                    let segment: SegmentFetcher.Segment
                    if let writer {
                        try writer.close()
                        let file = try MappedFile(path: path)
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
