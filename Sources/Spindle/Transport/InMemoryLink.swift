import Synchronization
import SpindleCore
import SpindlePosix

/// One end of an in-process control link (see ``InMemoryLink/pair(names:maxFrameSize:)``): frames are handed
/// over in memory, with the same limits as on a socket. Until ``authenticated()`` the receiving end refuses
/// frames larger than a handshake's (``WireProtocol/maxHandshakeFrameSize``), afterwards frames up to
/// `maxFrameSize`, with ``FrameError/oversized(length:maximum:)`` as a socket's decoder would.
///
/// Each end owns a ``WakeupPipe`` that is readable while frames may be waiting, so a poll loop waits on an
/// in-memory link exactly as on a socket. The pipes are closed only when both ends are gone, so a
/// descriptor is never reused while the other end may still wake it.
final class InMemoryLink: ControlLink {
    /// Frames waiting for one end, and whether the other end has closed.
    private final class Inbox: Sendable {
        struct State {
            var frames: [Frame] = []
            var closed = false
        }
        let state = Mutex(State())
        let wakeup: WakeupPipe
        init() throws { wakeup = try WakeupPipe() }

        func deliver(_ frame: Frame) -> Bool {
            let delivered = state.withLock { s in
                guard !s.closed else { return false }
                s.frames.append(frame)
                return true
            }
            if delivered { wakeup.wake() }
            return delivered
        }

        func close() {
            state.withLock { $0.closed = true }
            wakeup.wake()
        }
    }

    let peer: String
    private let inbox: Inbox
    private let outbox: Inbox
    private let maxFrameSize: Int
    private let limit: Atomic<Int>

    private init(peer: String, inbox: Inbox, outbox: Inbox, maxFrameSize: Int) {
        self.peer = peer
        self.inbox = inbox
        self.outbox = outbox
        self.maxFrameSize = maxFrameSize
        self.limit = Atomic(min(maxFrameSize, WireProtocol.maxHandshakeFrameSize))
    }

    /// Two connected ends. `names.0` is how the first end names its peer (the second end), and so on.
    static func pair(names: (String, String), maxFrameSize: Int = RuntimeDefaults.maxFrameSize) throws -> (InMemoryLink, InMemoryLink) {
        let a = try Inbox()
        let b = try Inbox()
        return (InMemoryLink(peer: names.0, inbox: a, outbox: b, maxFrameSize: maxFrameSize), InMemoryLink(peer: names.1, inbox: b, outbox: a, maxFrameSize: maxFrameSize))
    }

    var readinessDescriptor: Int32 { inbox.wakeup.readFD }

    func authenticated() { limit.store(maxFrameSize, ordering: .relaxed) }

    /// Delivers `frame` unless this end stopped sending or the peer closed (as on a socket, a peer that only
    /// stopped sending, ``closeWrite()``, still receives).
    func send(_ frame: Frame) throws {
        guard outbox.deliver(frame) else { throw ConnectionClosed(peer: peer) }
    }

    func receive(timeout: Duration) throws -> Frame? {
        let deadline = MonotonicClock.now() + timeout
        while true {
            // Drain before looking: a frame delivered after the look wakes the pipe again, so none is missed.
            inbox.wakeup.drain()
            if let frame = try take(all: false).first { return frame }
            let left = deadline.duration(since: MonotonicClock.now())
            guard left > .zero else { return nil }
            _ = try Poller.wait([(inbox.wakeup.readFD, .readable)], timeout: left)
        }
    }

    func readAvailable() throws -> [Frame] {
        inbox.wakeup.drain()
        return try take(all: true)
    }

    /// Takes the first waiting frame (or all of them), checking each against the frame limit.
    /// - Throws: ``ConnectionClosed`` when nothing is waiting and the link is closed.
    private func take(all: Bool) throws -> [Frame] {
        let maximum = limit.load(ordering: .relaxed)
        let (frames, endWaits): ([Frame], Bool) = try inbox.state.withLock { s in
            if s.frames.isEmpty {
                if s.closed { throw ConnectionClosed(peer: peer) }
                return ([], false)
            }
            let count = all ? s.frames.count : 1
            defer { s.frames.removeFirst(count) }
            return (Array(s.frames.prefix(count)), s.closed)
        }
        // The end arrived behind these frames, and its wake-up may have been drained already: wake again, so a poll
        // loop comes back for it.
        if endWaits { inbox.wakeup.wake() }
        for frame in frames where frame.payload.count + 1 > maximum {
            throw FrameError.oversized(length: UInt32(clamping: frame.payload.count + 1), maximum: maximum)
        }
        return frames
    }

    /// Stops sending: the peer's receives end with ``ConnectionClosed`` once it has read what was sent, and what it
    /// sends still arrives here.
    func closeWrite() { outbox.close() }

    /// Closes both directions: the peer's receives end with ``ConnectionClosed`` once it has read what was sent.
    func close() {
        outbox.close()
        inbox.close()
    }
}
