import Synchronization
import SpindleCore
import SpindlePosix

/// A worker's side of shipping: reads byte ranges of inputs from the coordinator's ``ShipServer`` and streams
/// part files back to it, over authenticated connections (role `ship`) kept open between requests.
///
/// Every wait is bounded (``timeout``) and ends at once when the task's attempt is cancelled (its socket is
/// shut down); every block's CRC32C and every answer's length is checked.
final class ShipClient: Sendable {
    let host: String
    let port: UInt16
    private let secret: [UInt8]
    private let idle = Mutex<[FramedSocket]>([])
    /// How long one wait for the coordinator's next frame may take.
    let timeout: Duration

    init(host: String, port: UInt16, secret: [UInt8], timeout: Duration = .seconds(30)) {
        self.host = host
        self.port = port
        self.secret = secret
        self.timeout = timeout
    }

    /// Closes the idle connections.
    func close() {
        for connection in idle.withLock({ pool in
            defer { pool.removeAll() }; return pool
        }) { connection.close() }
    }

    /// Fills `buffer` with bytes `offset..<offset+buffer.count` of the planned input `path`.
    /// - Throws: ``InputError`` when the coordinator found the input changed (fatal for the job), ``TaskCancelled``,
    ///   and ``ShipError`` or a system error for a failure of the transfer (the attempt is retried).
    func read(path: String, identity: FileIdentity, offset: Int, into buffer: UnsafeMutableRawBufferPointer, context: TaskContext?) throws {
        let request = ShipInputRequest(path: path, identity: identity, offset: offset, length: buffer.count)
        try exchange(context: context) { connection in
            try connection.send(Frame(kind: MessageKind.shipInputRequest.rawValue, payload: request.wireEncoded()))
            var received = 0
            while true {
                let frame = try next(connection)
                switch MessageKind(rawValue: frame.kind) {
                case .shipBlock:
                    try frame.payload.withUnsafeBytes { payload in
                        let data = try ShipBlock.data(of: payload)
                        guard received + data.count <= buffer.count else {
                            throw ShipError("the coordinator sent more than the \(buffer.count) bytes asked of '\(path)' at \(offset)")
                        }
                        if let base = data.baseAddress, data.count > 0 {
                            (buffer.baseAddress! + received).copyMemory(from: base, byteCount: data.count)
                        }
                        received += data.count
                    }
                case .shipEnd:
                    let total = try WireReader.decode(Int.self, from: frame.payload)
                    guard total == received, total == buffer.count else {
                        throw ShipError(
                            "received \(received) bytes of '\(path)' at \(offset); asked \(buffer.count), the coordinator announced \(total)")
                    }
                    return
                case .shipError:
                    try throwShipError(frame)
                default:
                    throw ShipError("unexpected frame kind \(frame.kind) from the coordinator's shipping server")
                }
            }
        }
    }

    /// Streams the file at `localPath` to the coordinator as attempt `attempt`'s temporary file `name`, and
    /// returns once the coordinator has it on disk (fsynced).
    func upload(localPath: String, attempt: AttemptID, name: String, context: TaskContext?) throws {
        let file = try FileReader(path: localPath)
        defer { file.close() }
        let size = file.size
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: ShipBlock.maxData, alignment: 16)
        defer { buffer.deallocate() }
        try exchange(context: context) { connection in
            try connection.send(
                Frame(
                    kind: MessageKind.shipOutputRequest.rawValue, payload: ShipOutputRequest(attempt: attempt, name: name, size: size).wireEncoded()))
            var offset = 0
            while offset < size {
                let n = try file.read(at: offset, into: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<min(buffer.count, size - offset)]))
                guard n > 0 else { throw ShipError("'\(localPath)' ended at byte \(offset) while it was shipped; expected \(size) bytes") }
                let data = UnsafeRawBufferPointer(rebasing: buffer[0..<n])
                try ShipBlock.header(for: data).withUnsafeBytes { header in
                    try connection.send(kind: MessageKind.shipBlock.rawValue, parts: [header, data])
                }
                offset += n
                try context?.checkCancelled()
            }
            try connection.send(Frame(kind: MessageKind.shipEnd.rawValue, payload: size.wireEncoded()))
            let frame = try next(connection)
            switch MessageKind(rawValue: frame.kind) {
            case .shipStored:
                guard try WireReader.decode(Int.self, from: frame.payload) == size else {
                    throw ShipError("the coordinator stored another size of \(name)")
                }
            case .shipError:
                try throwShipError(frame)
            default:
                throw ShipError("unexpected frame kind \(frame.kind) from the coordinator's shipping server")
            }
        }
    }

    private func next(_ connection: FramedSocket) throws -> Frame {
        guard let frame = try connection.receive(timeout: timeout) else {
            throw ShipError("the coordinator's shipping server at \(host):\(port) sent nothing for \(DurationText.format(timeout))")
        }
        return frame
    }

    private func throwShipError(_ frame: Frame) throws -> Never {
        let error = try WireReader.decode(ShipErrorMessage.self, from: frame.payload)
        if error.inputChanged { throw InputError(message: error.message) }
        throw ShipError("the coordinator's shipping server: \(error.message)")
    }

    /// Runs `body` on a pooled or new connection, shut down if `context` is cancelled meanwhile. The connection
    /// goes back to the pool when `body` succeeded and is closed otherwise. A pooled connection the server
    /// closed while idle is replaced once.
    private func exchange(context: TaskContext?, _ body: (FramedSocket) throws -> Void) throws {
        try context?.checkCancelled()
        var reused = idle.withLock { $0.popLast() }
        while true {
            let connection = try reused ?? connect(context: context)
            let socket = connection.socket
            let handler = context?.onCancel { socket.shutdown() }
            defer { context?.removeCancelHandler(handler) }
            do {
                try body(connection)
                let kept = idle.withLock { pool -> Bool in
                    guard pool.count < 2 else { return false }
                    pool.append(connection)
                    return true
                }
                if !kept { connection.close() }
                return
            } catch {
                connection.close()
                if context?.isCancelled == true { throw TaskCancelled() }
                if reused != nil && (error is ConnectionClosed || error is SystemError) {
                    reused = nil
                    continue
                }
                throw error
            }
        }
    }

    private func connect(context: TaskContext?) throws -> FramedSocket {
        let socket: TCPSocket
        do {
            socket = try TCPSocket.connect(host: host, port: port, timeout: .seconds(5)) { context?.isCancelled == true }
        } catch {
            if context?.isCancelled == true { throw TaskCancelled() }
            throw error
        }
        try socket.setSendTimeout(timeout)
        let connection = FramedSocket(socket: socket)
        let handler = context?.onCancel { socket.shutdown() }
        defer { context?.removeCancelHandler(handler) }
        do {
            try Handshaking.connectAsClient(connection, secret: secret, role: .ship, timeout: RuntimeDefaults.handshakeTimeout)
        } catch {
            connection.close()
            if context?.isCancelled == true { throw TaskCancelled() }
            throw error
        }
        return connection
    }
}
