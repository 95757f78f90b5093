import Foundation
import Synchronization
import SpindleCore
import SpindlePosix

/// Serves a worker's committed map outputs to reducers over TCP: after the handshake (role `fetch`), each
/// `fetchRequest` is answered with `fetchBlock` frames holding whole CRC32C-checked blocks of the requested
/// partition (at most 1 MiB each), then `fetchEnd` with the byte count, or `fetchError` with a reason. A
/// connection serves requests until it is idle for ``idleTimeout``.
final class ExchangeServer: Sendable {
    private let listener: TCPListener
    private let secret: [UInt8]
    private let outputs = Mutex<[AttemptID: PartitionedFile]>([:])
    private let stopped = Atomic<Bool>(false)
    /// Bounds concurrent fetch connections (reducers keep theirs open between fetches; see ``FetchConnectionPool``).
    private let slots = DispatchSemaphore(value: 256)
    /// Connections still in their handshake; beyond the cap the oldest is shut down (see ``PendingHandshakes``).
    private let pending = Mutex(PendingHandshakes<TCPSocket>(limit: RuntimeDefaults.maxUnauthenticatedConnections))
    /// How long a connection may wait for its next request before the server closes it.
    static let idleTimeout: Duration = .seconds(10)
    /// This worker's open connections to other workers' exchange servers, for its fetches.
    let connections = FetchConnectionPool()
    /// Segments this worker fetched from other workers ahead of the tasks that will read them.
    let prefetched = SegmentPrefetches()
    static let maxChunk = 1 << 20

    /// Listens on `host` (port chosen by the system).
    init(host: String, secret: [UInt8]) throws {
        listener = try TCPListener(host: host, port: 0)
        self.secret = secret
    }

    var port: UInt16 { listener.port }

    /// Starts accepting fetch connections on a background thread.
    func start() {
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    /// Makes the output of a finished map attempt available to reducers.
    func register(_ attempt: AttemptID, file: PartitionedFile) {
        outputs.withLock { $0[attempt] = file }
    }

    /// Stops serving the output of `attempt` and lets its bytes go (once readers in flight finish).
    func unregister(_ attempt: AttemptID) {
        _ = outputs.withLock { $0.removeValue(forKey: attempt) }
    }

    /// The output of `attempt` if this worker holds it (so a reducer on the same worker reads it directly).
    func localOutput(_ attempt: AttemptID) -> PartitionedFile? {
        outputs.withLock { $0[attempt] }
    }

    func stop() {
        stopped.store(true, ordering: .relaxed)
        listener.close()
        connections.closeAll()
    }

    private func acceptLoop() {
        while !stopped.load(ordering: .relaxed) {
            // Out of descriptors, accept throws and the listener pauses (its next accept sleeps): no spin.
            guard let socket = try? listener.accept(timeout: .milliseconds(500)) else { continue }
            slots.wait()
            let thread = Thread { [self] in
                defer { slots.signal() }
                serve(FramedSocket(socket: socket))
            }
            thread.start()
        }
    }

    private func serve(_ connection: FramedSocket) {
        defer { connection.close() }
        do {
            try connection.socket.setSendTimeout(.seconds(30))
            let role = try authenticate(connection)
            guard role == .fetch else { return }
            while let frame = try connection.receive(timeout: Self.idleTimeout) {
                guard frame.kind == MessageKind.fetchRequest.rawValue else { return }
                let request = try WireReader.decode(FetchRequest.self, from: frame.payload)
                try answer(request, on: connection)
            }
        } catch {
            // The reducer sees the broken connection and reports it; nothing to do here.
        }
    }

    /// Runs the server side of the handshake while the connection counts as unauthenticated; a connection
    /// evicted to make room is shut down, which ends its handshake with an error.
    private func authenticate(_ connection: FramedSocket) throws -> ConnectionRole {
        let (id, evicted) = pending.withLock { $0.admit(connection.socket) }
        for socket in evicted { socket.shutdown() }
        defer { pending.withLock { $0.remove(id) } }
        return try Handshaking.acceptAsServer(connection, secret: secret, timeout: RuntimeDefaults.handshakeTimeout)
    }

    private func answer(_ request: FetchRequest, on connection: FramedSocket) throws {
        guard let file = localOutput(request.attempt) else {
            try connection.send(
                Frame(kind: MessageKind.fetchError.rawValue, payload: "this worker holds no output of \(request.attempt)".wireEncoded()))
            return
        }
        guard request.partition >= 0 && request.partition < file.partitionCount else {
            try connection.send(Frame(kind: MessageKind.fetchError.rawValue, payload: "partition \(request.partition) does not exist".wireEncoded()))
            return
        }
        let segment = file.segment(request.partition)
        // Blocks are sent from the file's memory. Pending checksums are computed into headers of their own,
        // sent in place of the blocks' (the file itself is never written to).
        for range in BlockValidator.boundaries(of: segment, maxChunk: Self.maxChunk) {
            let chunk = UnsafeRawBufferPointer(rebasing: segment[range])
            guard file.checksumsPending else {
                try connection.send(kind: MessageKind.fetchBlock.rawValue, parts: [chunk])
                continue
            }
            let blocks = RecordBlock.blockRanges(chunk)
            var headers = [UInt8](repeating: 0, count: RecordBlock.headerSize * blocks.count)
            for (i, block) in blocks.enumerated() {
                RecordBlock.storeHeader(payload: UnsafeRawBufferPointer(rebasing: chunk[block]), into: &headers, at: RecordBlock.headerSize * i)
            }
            try headers.withUnsafeBytes { headers in
                var parts: [UnsafeRawBufferPointer] = []
                for (i, block) in blocks.enumerated() {
                    parts.append(UnsafeRawBufferPointer(rebasing: headers[(RecordBlock.headerSize * i)..<(RecordBlock.headerSize * (i + 1))]))
                    parts.append(UnsafeRawBufferPointer(rebasing: chunk[block]))
                }
                try connection.send(kind: MessageKind.fetchBlock.rawValue, parts: parts)
            }
        }
        try connection.send(Frame(kind: MessageKind.fetchEnd.rawValue, payload: segment.count.wireEncoded()))
        file.releasePages(of: request.partition)
    }
}
