import Foundation
import Synchronization
import SpindleCore
import SpindlePosix

/// Holds a worker's committed outputs (map outputs, superstep messages) and serves them to other workers:
/// over TCP (``init(host:secret:)``) or, for workers that are threads of one process, through an
/// ``InProcessNetwork`` (``init(network:)``, no listener and no threads: the fetching worker reads the output
/// in place through ``InMemorySegmentTransport``). Its ``transport`` is how this worker fetches from others.
///
/// Over TCP, after the handshake (role `fetch`), each
/// `fetchRequest` is answered with `fetchBlock` frames holding whole CRC32C-checked blocks of the requested
/// partition (at most 1 MiB each), then `fetchEnd` with the byte count, or `fetchError` with a reason.
///
/// What peers may cost is bounded, whoever they are: one poll thread accepts connections, runs their
/// handshakes and waits for their requests; ``answeringThreads`` threads answer requests. A
/// ``ConnectionLimiter`` caps connections (``limits``: at most 64 in their handshake, the oldest silent one
/// dropped for a newer one; 512 in all) and closes a connection that has not authenticated within the handshake
/// timeout or waits for a request longer than ``idleTimeout``; a peer that stops reading an answer is cut
/// off by the ``sendTimeout``. A flood of idle connections thus costs a few file descriptors and no
/// threads, and authenticated fetches keep being served.
final class ExchangeServer: Sendable {
    /// The listener and the poll thread's wakeup, over TCP; nil in-process.
    private let listening: (listener: TCPListener, wakeup: WakeupPipe)?
    /// The in-process network this server is attached to (as ``port``), if any.
    private let network: InProcessNetwork?
    private let inProcessPort: UInt16
    private let secret: [UInt8]
    /// How this worker fetches from other workers' servers.
    let transport: any SegmentTransport
    private let outputs = Mutex<[AttemptID: PartitionedFile]>([:])
    private let stopped = Atomic<Bool>(false)
    /// Requests waiting for an answering thread, and connections handed back to the poll thread.
    private let queues = Mutex(Queues())
    private let requestsWaiting = DispatchSemaphore(value: 0)

    private struct Queues {
        var requests: [Job] = []
        /// Connections whose requests were answered; `open` false when answering failed (closed).
        var returned: [(connection: FramedSocket, open: Bool)] = []
    }
    /// One or more requests (frames) read from an authenticated connection, answered in order.
    private struct Job {
        var connection: FramedSocket
        var frames: [Frame]
    }

    /// Threads answering requests (a fixed pool: connections cost no thread while they wait).
    static let answeringThreads = 4
    /// How long a connection may wait for its next request before the server closes it: the reducers'
    /// fetch timeout (their pool stops reusing a connection idle for 5 s, well before).
    static let idleTimeout: Duration = .seconds(30)
    /// How long one send of an answer may block on a peer that does not read before the connection is dropped.
    static let sendTimeout: Duration = .seconds(10)
    /// The connection limits (see the type's description).
    static var limits: ConnectionLimiter<Int32>.Settings {
        var limits = ConnectionLimiter<Int32>.Settings()
        limits.handshakeTimeout = RuntimeDefaults.handshakeTimeout
        limits.maxUnauthenticated = RuntimeDefaults.maxUnauthenticatedConnections
        limits.idleTimeout = idleTimeout
        // Under a low open-files limit, half of what connections may use (the rest of the worker's descriptors
        // stay for its spills, map outputs, checkpoints and its own fetches; see ``ResourceLimits``).
        let soft = (try? ResourceLimits.openFiles().soft) ?? 1024
        limits.maxConnections = min(limits.maxConnections, max(16, ResourceLimits.connectionLimit(soft: soft) / 2))
        limits.maxUnauthenticated = min(limits.maxUnauthenticated, limits.maxConnections / 2)
        return limits
    }
    /// Connections accepted per turn of the poll loop at most, so that a flood cannot starve the peers
    /// already accepted of their reads.
    static let acceptsPerTurn = 32
    /// This worker's open connections to other workers' exchange servers, for its fetches.
    let connections = FetchConnectionPool()
    /// Segments this worker fetched from other workers ahead of the tasks that will read them.
    let prefetched = SegmentPrefetches()
    static let maxChunk = 1 << 20

    /// Listens on `host`:`port` (port 0: chosen by the system); fetches from others go over TCP.
    init(host: String, port: UInt16 = 0, secret: [UInt8]) throws {
        // The poll thread's wakeup: a connection came back from an answering thread, or stop.
        listening = (try TCPListener(host: host, port: port), try WakeupPipe())
        network = nil
        inProcessPort = 0
        self.secret = secret
        transport = TCPSegmentTransport(secret: secret, pool: connections)
    }

    /// Attaches to `network` (no listener, no threads); fetches from others go through it, in memory.
    init(network: InProcessNetwork) {
        listening = nil
        self.network = network
        secret = []
        transport = InMemorySegmentTransport(network: network)
        inProcessPort = network.reservePort()
        network.attach(self, port: inProcessPort)
    }

    /// The port other workers fetch from (over TCP), or the number naming this server in its ``InProcessNetwork``.
    var port: UInt16 { listening?.listener.port ?? inProcessPort }

    /// Starts the poll thread and the answering threads (over TCP).
    func start() {
        guard let (listener, wakeup) = listening else { return }
        Thread { [self] in pollLoop(listener: listener, wakeup: wakeup) }.start()
        for _ in 0..<Self.answeringThreads {
            Thread { [self] in answerLoop() }.start()
        }
    }

    /// Makes the output of a finished map attempt available to reducers.
    func register(_ attempt: AttemptID, file: PartitionedFile) {
        outputs.withLock { $0[attempt] = file }
    }

    /// Stops serving the output of `attempt` and lets its bytes go (once readers in flight finish).
    func unregister(_ attempt: AttemptID) {
        _ = outputs.withLock { $0.removeValue(forKey: attempt) }
    }

    /// The outputs this server holds, newest attempts first, at most ``ServedOutput/maxCount``: what a worker
    /// rejoining a resumed coordinator reports (``WorkerInfo/servedOutputs``).
    func servedOutputs() -> [ServedOutput] {
        let held = outputs.withLock { $0.map { ServedOutput(attempt: $0.key, sizes: $0.value.partitionSizes) } }
        return Array(held.sorted { $0.attempt > $1.attempt }.prefix(ServedOutput.maxCount))
    }

    /// The output of `attempt` if this worker holds it (so a reducer on the same worker reads it directly).
    func localOutput(_ attempt: AttemptID) -> PartitionedFile? {
        outputs.withLock { $0[attempt] }
    }

    /// Stops accepting and answering; the poll thread closes every connection it holds.
    func stop() {
        guard !stopped.exchange(true, ordering: .relaxed) else { return }
        if let network { network.detach(port: port) }
        listening?.wakeup.wake()
        for _ in 0..<Self.answeringThreads { requestsWaiting.signal() }
        connections.closeAll()
    }

    // MARK: The poll thread

    /// A connection the poll thread holds: in its handshake (`handshake` set) or waiting for a request.
    private final class Parked {
        let connection: FramedSocket
        var handshake: ServerHandshake?
        init(_ connection: FramedSocket, handshake: ServerHandshake?) {
            self.connection = connection
            self.handshake = handshake
        }
    }

    private func pollLoop(listener: TCPListener, wakeup: WakeupPipe) {
        var limiter = ConnectionLimiter<Int32>(settings: Self.limits)
        var parked: [Int32: Parked] = [:]
        /// Connections with an answering thread, so they are closed on stop too.
        var lent: [Int32: FramedSocket] = [:]
        var acceptPausedUntil = Timestamp(nanoseconds: 0)
        func close(_ fd: Int32) {
            parked.removeValue(forKey: fd)?.connection.close()
            limiter.closed(fd)
        }
        while !stopped.load(ordering: .relaxed) {
            var now = MonotonicClock.now()
            let order = Array(parked.keys)
            var fds: [(fd: Int32, events: PollEvents)] = [(wakeup.readFD, .readable)]
            let listening = now >= acceptPausedUntil
            if listening { fds.append((listener.fd, .readable)) }
            for fd in order { fds.append((fd, .readable)) }
            var wait = Duration.milliseconds(500)
            if let deadline = limiter.nextDeadline { wait = min(wait, max(.milliseconds(1), deadline.duration(since: now) + .milliseconds(1))) }
            guard let ready = try? Poller.wait(fds, timeout: wait) else {
                MonotonicClock.sleep(.milliseconds(10))
                continue
            }
            if stopped.load(ordering: .relaxed) { break }
            now = MonotonicClock.now()
            if !ready[0].isEmpty {
                wakeup.drain()
                let returned = queues.withLock { q in
                    defer { q.returned.removeAll() }
                    return q.returned
                }
                for (connection, open) in returned {
                    let fd = connection.socket.fd
                    lent[fd] = nil
                    if open {
                        limiter.idle(fd, now: now)
                        parked[fd] = Parked(connection, handshake: nil)
                    } else {
                        connection.close()
                        limiter.closed(fd)
                    }
                }
            }
            let offset = listening ? 2 : 1
            // Reads first, then accepts: a connection accepted in the previous turn is read (and marked as
            // speaking) before newer connections can push it out.
            for (i, fd) in order.enumerated() where !ready[i + offset].isEmpty {
                guard let entry = parked[fd] else { continue }
                do {
                    let frames = try entry.connection.readAvailable()
                    if let requests = try receive(frames, on: entry, now: now, limiter: &limiter) {
                        parked[fd] = nil
                        lent[fd] = entry.connection
                        queues.withLock { $0.requests.append(Job(connection: entry.connection, frames: requests)) }
                        requestsWaiting.signal()
                    }
                } catch {
                    close(fd)
                }
            }
            if listening && !ready[1].isEmpty {
                for _ in 0..<Self.acceptsPerTurn {
                    let socket: TCPSocket
                    do {
                        guard let accepted = try listener.accept(timeout: .zero) else { break }
                        socket = accepted
                    } catch {
                        // Out of descriptors (EMFILE, ENFILE) or the like: back off instead of spinning.
                        acceptPausedUntil = now + .milliseconds(100)
                        break
                    }
                    try? socket.setSendTimeout(Self.sendTimeout)
                    let fd = socket.fd
                    parked[fd] = Parked(
                        FramedSocket(socket: socket), handshake: ServerHandshake(secret: secret, nonce: SecureRandom.bytes(WireProtocol.nonceLength)))
                    for victim in limiter.accepted(fd, now: now) { close(victim) }
                }
            }
            for (fd, _) in limiter.expire(now: now) { close(fd) }
        }
        for fd in Array(parked.keys) { close(fd) }
        for connection in lent.values { connection.close() }
        listener.close()
    }

    /// Feeds frames from a parked connection through its handshake. Returns the requests to answer once
    /// it is authenticated and has sent some, nil when it waits for more.
    /// - Throws: when the connection is to be closed (a failed handshake, another role, a frame that is not a request).
    private func receive(_ frames: [Frame], on entry: Parked, now: Timestamp, limiter: inout ConnectionLimiter<Int32>) throws -> [Frame]? {
        var frames = frames[...]
        if entry.handshake != nil && !frames.isEmpty { limiter.spoke(entry.connection.socket.fd) }
        while var machine = entry.handshake, let frame = frames.popFirst() {
            let step = machine.receive(frame)
            entry.handshake = machine
            switch step {
            case .send(let reply):
                try entry.connection.send(reply)
            case .established(.fetch, let welcome):
                entry.handshake = nil
                if let welcome { try entry.connection.send(welcome) }
                // Only now, with the client's proof checked, may the peer send frames larger than a handshake's.
                entry.connection.authenticated()
                limiter.authenticated(entry.connection.socket.fd, now: now)
            case .established(let role, _):
                throw HandshakeError(peer: entry.connection.peer, reason: "a \(role) connection is not served here")
            case .fail(let reason, let reply):
                if let reply { try? entry.connection.send(reply) }
                throw HandshakeError(peer: entry.connection.peer, reason: reason)
            }
        }
        guard entry.handshake == nil, !frames.isEmpty else { return nil }
        limiter.busy(entry.connection.socket.fd, now: now)
        return Array(frames)
    }

    // MARK: The answering threads

    private func answerLoop() {
        while true {
            requestsWaiting.wait()
            if stopped.load(ordering: .relaxed) { return }
            guard let job = queues.withLock({ $0.requests.isEmpty ? nil : $0.requests.removeFirst() }) else { continue }
            var open = true
            do {
                var frames = job.frames
                // Requests the peer sent ahead of our answers are decoded already; answer them in order.
                while !frames.isEmpty {
                    for frame in frames { try answer(frame, on: job.connection) }
                    frames = []
                    if let next = try job.connection.receive(timeout: .zero) { frames = [next] }
                }
            } catch {
                // The reducer sees the broken connection and reports it; nothing to do here.
                open = false
            }
            queues.withLock { $0.returned.append((job.connection, open)) }
            listening?.wakeup.wake()
        }
    }

    private func answer(_ frame: Frame, on connection: FramedSocket) throws {
        guard frame.kind == MessageKind.fetchRequest.rawValue else { throw ProtocolError.unknownKind(frame.kind) }
        try answer(try WireReader.decode(FetchRequest.self, from: frame.payload), on: connection)
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
