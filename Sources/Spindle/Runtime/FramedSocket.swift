import Synchronization
import SpindleCore
import SpindlePosix

/// A TCP socket carrying Spindle frames: thread-safe sends, and receives through a ``FrameDecoder``
/// that refuses oversized frames before allocating.
///
/// Sends may come from several threads (heartbeats and results); receives from one thread at a time.
final class FramedSocket: Sendable {
    let socket: TCPSocket
    /// The peer's address, for log lines and errors.
    var peer: String { socket.peerDescription }
    private let sendLock = Mutex(())
    private let decoder: Mutex<FrameDecoder>

    init(socket: TCPSocket, maxFrameSize: Int = RuntimeDefaults.maxFrameSize) {
        self.socket = socket
        self.decoder = Mutex(FrameDecoder(maxFrameSize: maxFrameSize))
    }

    /// Sends one frame; the whole frame is written or the call throws.
    func send(_ frame: Frame) throws {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(frame.payload.count + 5)
        Frame.appendHeader(kind: frame.kind, payloadCount: frame.payload.count, to: &bytes)
        bytes.append(contentsOf: frame.payload)
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
            try decoder.withWritableSpace(minimumCapacity: 64 << 10) { buffer in
                try socket.read(into: buffer)
            }
        }
        if count == 0 { throw ConnectionClosed(peer: peer) }
    }

    func close() { socket.close() }
}

/// The peer closed the connection.
struct ConnectionClosed: Error, CustomStringConvertible {
    var peer: String
    var description: String { "the connection to \(peer) was closed" }
}

extension MonotonicClock {
    /// The current time as a ``Timestamp`` for the state machines.
    static func now() -> Timestamp { Timestamp(nanoseconds: nanoseconds()) }
}
