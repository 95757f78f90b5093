import Synchronization
import SpindleCore
import SpindlePosix

/// A TCP socket carrying Spindle frames: thread-safe sends, and receives through a ``FrameDecoder``
/// that refuses oversized frames before allocating.
///
/// Until ``authenticated()`` is called the decoder accepts only handshake-sized frames
/// (``WireProtocol/maxHandshakeFrameSize``) and reads in small chunks, so an unauthenticated peer costs
/// at most a few KiB of memory; afterwards frames up to `maxFrameSize` are accepted.
///
/// Sends may come from several threads (heartbeats and results); receives from one thread at a time.
final class FramedSocket: Sendable {
    let socket: TCPSocket
    /// The peer's address, for log lines and errors.
    var peer: String { socket.peerDescription }
    private let sendLock = Mutex(())
    private let decoder: Mutex<FrameDecoder>
    /// The frame limit once the peer is authenticated.
    private let maxFrameSize: Int

    /// - Parameters:
    ///   - maxFrameSize: the largest frame accepted after ``authenticated()``; before it, handshake frames only.
    init(socket: TCPSocket, maxFrameSize: Int = RuntimeDefaults.maxFrameSize) {
        self.socket = socket
        self.maxFrameSize = maxFrameSize
        self.decoder = Mutex(FrameDecoder(maxFrameSize: min(maxFrameSize, WireProtocol.maxHandshakeFrameSize)))
    }

    /// Lifts the handshake-sized frame limit to `maxFrameSize`. MUST be called only once the peer has proved
    /// its knowledge of the secret (or, on the connecting side, the server has proved its own).
    func authenticated() {
        decoder.withLock { $0.maxFrameSize = maxFrameSize }
    }

    /// Sends one frame; the whole frame is written or the call throws.
    func send(_ frame: Frame) throws {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(frame.payload.count + 5)
        Frame.appendHeader(kind: frame.kind, payloadCount: frame.payload.count, to: &bytes)
        bytes.append(contentsOf: frame.payload)
        try sendLock.withLock { _ in try socket.writeAll(bytes) }
    }

    /// Sends `frames` in order with one write (the whole batch is written or the call throws).
    func send(_ frames: [Frame]) throws {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(frames.reduce(0) { $0 + $1.payload.count + 5 })
        for frame in frames {
            Frame.appendHeader(kind: frame.kind, payloadCount: frame.payload.count, to: &bytes)
            bytes.append(contentsOf: frame.payload)
        }
        try sendLock.withLock { _ in try socket.writeAll(bytes) }
    }

    /// Sends one frame whose payload is `parts` one after another, written from where they lie (no copy
    /// into a frame); the whole frame is written or the call throws.
    func send(kind: UInt8, parts: [UnsafeRawBufferPointer]) throws {
        var header: [UInt8] = []
        Frame.appendHeader(kind: kind, payloadCount: parts.reduce(0) { $0 + $1.count }, to: &header)
        try sendLock.withLock { _ in
            try socket.writeAll(header)
            for part in parts where !part.isEmpty { try socket.writeAll(part) }
        }
    }

    /// Sends a control message.
    func send(_ message: ControlMessage) throws { try send(message.frame()) }

    /// Returns the next frame, waiting at most `timeout`; nil when none arrived in time.
    /// - Throws: ``ConnectionClosed`` at end of stream, ``FrameError`` for a bad frame, ``SystemError``.
    func receive(timeout: Duration) throws -> Frame? {
        let deadline = MonotonicClock.now() + timeout
        while true {
            if let frame = try decoder.withLock({ try $0.nextFrame() }) { return frame }
            let left = deadline.duration(since: MonotonicClock.now())
            guard left > .zero, try socket.waitReadable(timeout: left) else { return nil }
            try readOnce()
        }
    }

    /// Reads what the socket has (one read) and returns the complete frames. For poll loops.
    func readAvailable() throws -> [Frame] {
        try readOnce()
        var frames: [Frame] = []
        while let frame = try decoder.withLock({ try $0.nextFrame() }) { frames.append(frame) }
        return frames
    }

    private func readOnce() throws {
        let count = try decoder.withLock { decoder in
            // Small reads before authentication: the decoder never holds much more than one handshake frame.
            let chunk = decoder.maxFrameSize <= WireProtocol.maxHandshakeFrameSize ? 1024 : 64 << 10
            return try decoder.withWritableSpace(minimumCapacity: chunk) { buffer in
                try socket.read(into: buffer)
            }
        }
        if count == 0 { throw ConnectionClosed(peer: peer) }
    }

    /// Half-closes the socket (see ``TCPSocket/shutdownWrite()``): the peer reads what was sent, then the end.
    func closeWrite() throws { try socket.shutdownWrite() }

    func close() { socket.close() }
}

/// The peer closed the connection.
struct ConnectionClosed: Error, CustomStringConvertible {
    var peer: String
    var description: String { "the connection to \(peer) was closed" }
}

extension MonotonicClock {
    /// The current time as a ``Timestamp`` for the state machines.
    package static func now() -> Timestamp { Timestamp(nanoseconds: nanoseconds()) }
}
