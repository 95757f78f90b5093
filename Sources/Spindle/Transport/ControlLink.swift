import SpindleCore
import SpindlePosix

/// One end of the control link between the coordinator and a worker: frames in both directions, bounded
/// waits, and a descriptor a poll loop can wait on. ``FramedSocket`` is the TCP implementation,
/// ``InMemoryLink`` the in-process twin; the handshake and the coordinator's loop run unchanged over either.
///
/// Sends may come from several threads; receives from one thread at a time.
protocol ControlLink: AnyObject, Sendable {
    /// The peer's address (or name), for log lines and errors.
    var peer: String { get }
    /// A descriptor that polls readable when frames (or the end of the link) may be waiting. Unique among
    /// the links open in this process, so a poll loop may key its peers by it.
    var readinessDescriptor: Int32 { get }
    /// Lifts the handshake-sized frame limit. MUST be called only once the peer has proved its knowledge of
    /// the secret (or, on the connecting side, the server has proved its own).
    func authenticated()
    /// Sends one frame; the whole frame is delivered or the call throws.
    func send(_ frame: Frame) throws
    /// Returns the next frame, waiting at most `timeout`; nil when none arrived in time.
    /// - Throws: ``ConnectionClosed`` at the end of the link, ``FrameError`` for a frame over the limit.
    func receive(timeout: Duration) throws -> Frame?
    /// Returns the frames that have arrived, without waiting (for poll loops, once the descriptor polled readable).
    /// - Throws: ``ConnectionClosed`` at the end of the link.
    func readAvailable() throws -> [Frame]
    /// Ends this side's sending: the peer reads every frame sent so far, then ``ConnectionClosed``; frames the peer
    /// still sends can be read here until it closes its end. Call ``close()`` afterwards.
    /// - Throws: the transport's error when the link is already broken.
    func closeWrite() throws
    /// Closes the link; the peer sees ``ConnectionClosed``.
    func close()
}

extension ControlLink {
    /// Sends a control message.
    func send(_ message: ControlMessage) throws { try send(message.frame()) }

    /// Sends `frames` in order (one write where the link can: a batch of assignments costs one system call).
    func send(_ frames: [Frame]) throws {
        for frame in frames { try send(frame) }
    }
}

extension FramedSocket: ControlLink {
    var readinessDescriptor: Int32 { socket.fd }
}
