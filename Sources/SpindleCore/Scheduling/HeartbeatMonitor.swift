/// Decides which peers are dead because they have been silent for longer than a timeout.
///
/// A pure state machine: the shell tells it when a peer was heard from and asks, with the current time,
/// which peers expired. It performs no I/O and reads no clock, so it is tested with scripted timestamps.
/// Every kind of frame counts as a sign of life, not only heartbeats.
package struct HeartbeatMonitor<Peer: Hashable & Sendable>: Sendable {
    /// Silence longer than this makes a peer dead.
    package let timeout: Duration
    private var lastHeard: [Peer: Timestamp] = [:]
    /// Every silence that ended with a sign of life: how close live peers came to the timeout.
    package private(set) var gaps = DurationHistogram()

    package init(timeout: Duration) {
        precondition(timeout > .zero, "heartbeat timeout must be positive")
        self.timeout = timeout
    }

    /// Starts watching `peer`, counting `now` as the last time it was heard.
    package mutating func track(_ peer: Peer, now: Timestamp) { lastHeard[peer] = now }

    /// Records a sign of life from `peer`. Ignored for peers not tracked (already expired or forgotten).
    package mutating func heard(from peer: Peer, now: Timestamp) {
        guard let last = lastHeard[peer] else { return }
        if now > last {
            gaps.record(now.duration(since: last))
            lastHeard[peer] = now
        }
    }

    /// Stops watching `peer` (it left or its connection closed).
    package mutating func forget(_ peer: Peer) { lastHeard[peer] = nil }

    /// How long each watched peer has been silent at `now` (zero for a peer heard after `now`).
    package func silences(now: Timestamp) -> [(peer: Peer, silence: Duration)] {
        lastHeard.map { ($0.key, now > $0.value ? now.duration(since: $0.value) : .zero) }
    }

    /// Whether `peer` is being watched.
    package func isTracking(_ peer: Peer) -> Bool { lastHeard[peer] != nil }

    /// The peers silent for more than `timeout` at `now`; they are reported once and no longer tracked.
    package mutating func expire(now: Timestamp) -> [Peer] {
        var dead: [Peer] = []
        for (peer, last) in lastHeard where now.duration(since: last) > timeout {
            dead.append(peer)
        }
        for peer in dead { lastHeard[peer] = nil }
        return dead
    }

    /// The earliest time at which some tracked peer could expire, for sizing a poll timeout.
    package var nextDeadline: Timestamp? {
        lastHeard.values.min().map { $0 + timeout }
    }
}
