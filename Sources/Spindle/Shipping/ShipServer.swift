import Foundation
import Synchronization
import SpindleCore
import SpindlePosix

/// The coordinator's shipping server, for workers that do not share its files (see ``WorkerStorage``): it
/// serves byte ranges of the job's planned inputs, and stores part files that workers stream back as their
/// attempts' temporary files under `OUTPUT/_temporary` (committed, or not, by the coordinator as any other).
///
/// Connections authenticate with the job's secret (role `ship`); each gets a thread, at most
/// ``maxConnections`` at once (beyond: closed at once), closed after ``idleTimeout`` without a request. At most
/// ``maxStreams`` requests are answered at a time; one waits for a slot at most ``slotTimeout``. Every block
/// carries a CRC32C (``ShipBlock``). Only files of the plan are served, and each is checked against the
/// identity it was planned with (a changed input is reported as such, and fails the job).
final class ShipServer: Sendable {
    private let listener: TCPListener
    private let secret: [UInt8]
    private let inputs: [String: FileIdentity]
    private let output: OutputCommitter
    private let stopped = Atomic<Bool>(false)
    private let open = Mutex<[Int32: FramedSocket]>([:])
    private let slots: DispatchSemaphore
    private let uploads = Atomic<Int>(0)
    /// Input bytes sent, part files stored and their bytes, so far.
    let inputBytesSent = Atomic<Int>(0)
    let filesStored = Atomic<Int>(0)
    let bytesStored = Atomic<Int>(0)

    static let maxConnections = 64
    static let maxStreams = 8
    static let idleTimeout: Duration = .seconds(60)
    static let slotTimeout: Duration = .seconds(30)
    /// How long one send to, or one wait for, a worker may block before the connection is dropped.
    static let ioTimeout: Duration = .seconds(30)

    /// The port workers connect to.
    var port: UInt16 { listener.port }

    /// Listens on `host`:`port` (0: any free port) for the inputs of `plan` and the output `output`.
    init(host: String, port: UInt16, secret: [UInt8], inputs: [StoragePlan.Input], output: OutputCommitter) throws {
        listener = try TCPListener(host: host, port: port)
        self.secret = secret
        var byPath: [String: FileIdentity] = [:]
        for input in inputs { byPath[input.path] = input.identity }
        self.inputs = byPath
        self.output = output
        slots = DispatchSemaphore(value: Self.maxStreams)
    }

    /// Starts the accepting thread.
    func start() {
        Thread { [self] in acceptLoop() }.start()
    }

    /// Stops accepting and ends every connection (their threads then exit).
    func stop() {
        guard !stopped.exchange(true, ordering: .relaxed) else { return }
        listener.close()
        for connection in open.withLock({ Array($0.values) }) { connection.socket.shutdown() }
    }

    private func acceptLoop() {
        while !stopped.load(ordering: .relaxed) {
            let socket: TCPSocket
            do {
                guard let accepted = try listener.accept(timeout: .milliseconds(200)) else { continue }
                socket = accepted
            } catch {
                if stopped.load(ordering: .relaxed) { return }
                MonotonicClock.sleep(.milliseconds(100))
                continue
            }
            let connection = FramedSocket(socket: socket)
            let admitted = open.withLock { o -> Bool in
                guard o.count < Self.maxConnections else { return false }
                o[socket.fd] = connection
                return true
            }
            guard admitted else {
                socket.close()
                continue
            }
            Thread { [self] in
                serve(connection)
                _ = open.withLock { $0.removeValue(forKey: socket.fd) }
                connection.close()
            }.start()
        }
    }

    private func serve(_ connection: FramedSocket) {
        do {
            try connection.socket.setSendTimeout(Self.ioTimeout)
            let role = try Handshaking.acceptAsServer(connection, secret: secret, timeout: RuntimeDefaults.handshakeTimeout)
            guard role == .ship else { return }
            while !stopped.load(ordering: .relaxed) {
                guard let frame = try connection.receive(timeout: Self.idleTimeout) else { return }
                guard slots.wait(timeout: .now() + .seconds(Int(Self.slotTimeout.components.seconds))) == .success else {
                    try sendError(connection, "the coordinator's shipping server is busy; retry", inputChanged: false)
                    continue
                }
                defer { slots.signal() }
                switch MessageKind(rawValue: frame.kind) {
                case .shipInputRequest:
                    try answer(try WireReader.decode(ShipInputRequest.self, from: frame.payload), on: connection)
                case .shipOutputRequest:
                    try store(try WireReader.decode(ShipOutputRequest.self, from: frame.payload), from: connection)
                default:
                    return
                }
            }
        } catch {
            // The worker sees its connection end and fails (and retries) its attempt.
        }
    }

    private func sendError(_ connection: FramedSocket, _ message: String, inputChanged: Bool) throws {
        try connection.send(
            Frame(kind: MessageKind.shipError.rawValue, payload: ShipErrorMessage(message: message, inputChanged: inputChanged).wireEncoded()))
    }

    /// Streams the requested range of a planned input in checksummed blocks.
    private func answer(_ request: ShipInputRequest, on connection: FramedSocket) throws {
        guard let planned = inputs[request.path], planned == request.identity else {
            return try sendError(connection, "'\(request.path)' is not an input of this job", inputChanged: false)
        }
        let file: InputFileReader
        do {
            file = try InputFileReader(path: request.path, planned: planned)
        } catch let error as InputError {
            return try sendError(connection, error.message, inputChanged: true)
        }
        if let problem = request.problem(size: file.size) { return try sendError(connection, problem, inputChanged: false) }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: ShipBlock.maxData, alignment: 16)
        defer { buffer.deallocate() }
        var offset = request.offset
        let end = request.offset + request.length
        while offset < end {
            let n: Int
            do {
                n = try file.read(at: offset, into: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<min(buffer.count, end - offset)]))
            } catch let error as InputError {
                return try sendError(connection, error.message, inputChanged: true)
            }
            let data = UnsafeRawBufferPointer(rebasing: buffer[0..<n])
            try ShipBlock.header(for: data).withUnsafeBytes { header in
                try connection.send(kind: MessageKind.shipBlock.rawValue, parts: [header, data])
            }
            offset += n
            inputBytesSent.add(n, ordering: .relaxed)
        }
        try connection.send(Frame(kind: MessageKind.shipEnd.rawValue, payload: request.length.wireEncoded()))
    }

    /// Receives a part file into attempt `request.attempt`'s temporary file (written under a private name,
    /// checked block by block and in length, fsynced, then renamed), then answers `shipStored`.
    private func store(_ request: ShipOutputRequest, from connection: FramedSocket) throws {
        guard ShipOutputRequest.isShippableName(request.name), request.size >= 0 else {
            return try sendError(connection, "'\(request.name)' is not a part file name", inputChanged: false)
        }
        let final = output.temporaryPath(attempt: request.attempt, name: request.name)
        let partial = "\(final).shipping-\(uploads.add(1, ordering: .relaxed).newValue)"
        let writer = try FileWriter(path: partial, mode: .createTruncate)
        var received = 0
        do {
            while true {
                guard let frame = try connection.receive(timeout: Self.ioTimeout) else {
                    throw ShipError("the worker sent nothing for \(DurationText.format(Self.ioTimeout)) while shipping \(request.name)")
                }
                if frame.kind == MessageKind.shipEnd.rawValue {
                    let total = try WireReader.decode(Int.self, from: frame.payload)
                    guard total == received, total == request.size else {
                        throw ShipError("received \(received) bytes of \(request.name); the worker announced \(request.size), then \(total)")
                    }
                    break
                }
                guard frame.kind == MessageKind.shipBlock.rawValue else {
                    throw ShipError("unexpected frame kind \(frame.kind) while receiving \(request.name)")
                }
                try frame.payload.withUnsafeBytes { payload in
                    let data = try ShipBlock.data(of: payload)
                    guard received + data.count <= request.size else {
                        throw ShipError("the worker sent more than the \(request.size) bytes of \(request.name)")
                    }
                    try writer.write(data)
                    received += data.count
                }
            }
            try writer.sync()
            try writer.close()
            try FileSystem.rename(partial, to: final)
        } catch {
            try? writer.close()
            try? FileSystem.unlink(partial)
            try? sendError(connection, "\(error)", inputChanged: false)
            throw error
        }
        filesStored.add(1, ordering: .relaxed)
        bytesStored.add(received, ordering: .relaxed)
        try connection.send(Frame(kind: MessageKind.shipStored.rawValue, payload: received.wireEncoded()))
    }
}

/// Shipping bytes between a worker and the coordinator failed; the message says what and where.
struct ShipError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
