import Foundation
import SpindleCore
import SpindlePosix
import Synchronization

/// The UI's HTTP/1.1 server: read-only, one thread, bounded (``UIServerSettings``). It answers
/// `GET`/`HEAD` for the pages and the `/api/` JSON of a ``LiveJobModel`` and closes every connection
/// after its response.
///
/// The thread polls the listener and the open connections, parses request heads with
/// ``HTTPRequestParser`` and renders from a snapshot of the model; it takes the model's lock only to copy it.
final class UIServer: Sendable {
    let listener: TCPListener
    let settings: UIServerSettings
    private let model: LiveJobModel
    private let stopped = Atomic<Bool>(false)
    /// False while the server's thread runs.
    private let finished = Mutex<Bool>(true)

    /// Binds `host:port` (port 0: any free port).
    /// - Throws: the bind error, naming the address.
    init(host: String, port: UInt16, model: LiveJobModel, settings: UIServerSettings = UIServerSettings()) throws {
        listener = try TCPListener(host: host, port: port, backlog: 64)
        self.model = model
        self.settings = settings
    }

    /// Binds the first free port from `firstPort` on `host` (Spark's 4040, 4041, ...), trying `tries` ports.
    static func bindFirstFree(host: String, from firstPort: UInt16, tries: Int = 100, model: LiveJobModel) throws -> UIServer {
        var lastError: (any Error)?
        for offset in 0..<tries {
            let (port, overflow) = firstPort.addingReportingOverflow(UInt16(offset))
            if overflow { break }
            do { return try UIServer(host: host, port: port, model: model) } catch { lastError = error }
        }
        throw UsageError(
            "the UI found no free port on \(host) from \(firstPort) (\(lastError.map { "\($0)" } ?? "none tried")); choose one with --ui HOST:PORT or turn it off with --ui off"
        )
    }

    /// Starts the server's thread.
    func start() {
        finished.withLock { $0 = false }
        Thread { [self] in
            serve()
            finished.withLock { $0 = true }
        }.start()
    }

    /// Stops the thread (within one poll interval), closes every connection and the listener, and waits for it.
    func stop() {
        stopped.store(true, ordering: .relaxed)
        while !finished.withLock({ $0 }) { MonotonicClock.sleep(.milliseconds(10)) }
        listener.close()
    }

    private final class Connection {
        let socket: TCPSocket
        var parser: HTTPRequestParser
        let deadline: UInt64
        init(socket: TCPSocket, parser: HTTPRequestParser, deadline: UInt64) {
            self.socket = socket
            self.parser = parser
            self.deadline = deadline
        }
    }

    private func serve() {
        var connections: [Connection] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        let timeoutNanos =
            UInt64(settings.headTimeout.components.seconds) * 1_000_000_000 + UInt64(settings.headTimeout.components.attoseconds / 1_000_000_000)
        while !stopped.load(ordering: .relaxed) {
            let fds =
                [(fd: listener.isPaused ? -1 : listener.fd, events: PollEvents.readable)] + connections.map { ($0.socket.fd, PollEvents.readable) }
            guard let ready = try? Poller.wait(fds, timeout: .milliseconds(100)) else { break }
            var keep: [Connection] = []
            for (i, connection) in connections.enumerated() {
                guard !ready[i + 1].isEmpty else {
                    if MonotonicClock.nanoseconds() > connection.deadline {
                        respond(
                            connection.socket, status: 408,
                            reason: "the request head did not arrive within \(DurationText.format(settings.headTimeout))")
                    } else {
                        keep.append(connection)
                    }
                    continue
                }
                let count = (try? buffer.withUnsafeMutableBytes { try connection.socket.read(into: $0) }) ?? 0
                guard count > 0 else {
                    connection.socket.close()
                    continue
                }
                switch connection.parser.feed(buffer[..<count]) {
                case .needMore: keep.append(connection)
                case .refused(let status, let reason): respond(connection.socket, status: status, reason: reason)
                case .complete(let head): answer(head, on: connection.socket)
                }
            }
            connections = keep
            if !ready[0].isEmpty { accept(into: &connections, timeoutNanos: timeoutNanos) }
        }
        for connection in connections { connection.socket.close() }
    }

    /// Accepts what is pending (at most 64 per turn); at the cap the oldest connection is dropped.
    private func accept(into connections: inout [Connection], timeoutNanos: UInt64) {
        for _ in 0..<64 {
            guard let socket = try? listener.accept(timeout: .zero) else { return }
            if connections.count >= settings.maxConnections {
                respond(
                    connections.removeFirst().socket, status: 503,
                    reason: "more than \(settings.maxConnections) connections are open; the oldest was dropped")
            }
            try? socket.setSendTimeout(settings.sendTimeout)
            connections.append(
                Connection(
                    socket: socket, parser: HTTPRequestParser(maxHeadBytes: settings.maxHeadBytes, maxHeaders: settings.maxHeaders),
                    deadline: MonotonicClock.nanoseconds() + timeoutNanos))
        }
    }

    private func answer(_ head: HTTPRequestHead, on socket: TCPSocket) {
        let snapshot = model.snapshot()
        let response = UIRoutes.response(for: head.path, model: snapshot.model, now: snapshot.now)
        send(
            socket, status: response.status, contentType: response.contentType, body: head.method == "HEAD" ? [] : response.body,
            length: response.body.count)
    }

    private func respond(_ socket: TCPSocket, status: Int, reason: String) {
        let body = Array("\(status) \(UIRoutes.statusText(status)): \(reason)\n".utf8)
        send(socket, status: status, contentType: "text/plain; charset=utf-8", body: body, length: body.count)
    }

    /// Writes a whole response and closes the connection (a client that stops reading costs at most the send timeout).
    private func send(_ socket: TCPSocket, status: Int, contentType: String, body: [UInt8], length: Int) {
        let head =
            "HTTP/1.1 \(status) \(UIRoutes.statusText(status))\r\nContent-Type: \(contentType)\r\nContent-Length: \(length)\r\n"
            + "Connection: close\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nReferrer-Policy: no-referrer\r\n"
            + "Content-Security-Policy: \(UIRoutes.contentSecurityPolicy)\r\n\r\n"
        try? socket.writeAll(Array(head.utf8) + body)
        socket.close()
    }
}
