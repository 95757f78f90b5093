/// Bounds what a listening server's peers may cost: how many connections it holds, how many of them have not
/// authenticated yet, and how long a connection may wait in its handshake or sit idle between requests.
///
/// A pure state machine (as OpenSSH's `MaxStartups` and `LoginGraceTime`): the server's shell reports each
/// connection's life (accepted, authenticated, busy, idle, closed) and the clock, and closes the connections
/// the limiter names. A busy connection (a request being answered) is never named; the shell bounds it
/// with a send timeout instead.
package struct ConnectionLimiter<ID: Hashable & Sendable>: Sendable {
    /// The limits, each with its default.
    package struct Settings: Sendable, Equatable {
        /// Connections still in their handshake, at most (default 64). Past it one is dropped for a newer one:
        /// the oldest that has sent nothing yet, else the oldest (so a flood of silent connections never
        /// pushes out a handshake in progress).
        package var maxUnauthenticated = 64
        /// Connections in all, at most (default 512). Past it an unauthenticated connection goes (as above), else
        /// the longest idle authenticated one, else the new connection itself.
        package var maxConnections = 512
        /// How long a connection may take to authenticate (default 5 s).
        package var handshakeTimeout: Duration = .seconds(5)
        /// How long an authenticated connection may wait for its next request (default 35 s).
        package var idleTimeout: Duration = .seconds(35)

        package init() {}
    }

    private enum Phase: Sendable { case handshaking, idle, busy }
    private struct Entry: Sendable {
        var phase: Phase
        /// Whether the peer has sent anything (a handshake in progress rather than a silent connection).
        var spoke = false
        /// When the connection entered its phase.
        var since: Timestamp
        /// Accept order, to break ties between equal times.
        var order: UInt64
    }

    package let settings: Settings
    private var entries: [ID: Entry] = [:]
    private var nextOrder: UInt64 = 0

    package init(settings: Settings = Settings()) {
        precondition(settings.maxUnauthenticated >= 1 && settings.maxConnections >= settings.maxUnauthenticated, "limits must allow a connection")
        self.settings = settings
    }

    /// Connections held.
    package var count: Int { entries.count }
    /// Connections still in their handshake.
    package var unauthenticatedCount: Int { entries.values.reduce(0) { $0 + ($1.phase == .handshaking ? 1 : 0) } }

    /// A connection was accepted at `now`. Returns the connections to close to stay within the limits
    /// (possibly `id` itself, when every other connection is busy answering a request); they are forgotten.
    package mutating func accepted(_ id: ID, now: Timestamp) -> [ID] {
        entries[id] = Entry(phase: .handshaking, since: now, order: nextOrder)
        nextOrder += 1
        var victims: [ID] = []
        if unauthenticatedCount > settings.maxUnauthenticated {
            let victim = unauthenticatedVictim(except: id) ?? id
            victims.append(victim)
            entries[victim] = nil
        }
        if entries.count > settings.maxConnections {
            let victim = unauthenticatedVictim(except: id) ?? oldest(in: .idle) ?? id
            victims.append(victim)
            entries[victim] = nil
        }
        return victims
    }

    /// The connection sent its first handshake frame: it is dropped for newer ones only after every silent one.
    package mutating func spoke(_ id: ID) { entries[id]?.spoke = true }

    /// The connection completed its handshake at `now` and waits for requests.
    package mutating func authenticated(_ id: ID, now: Timestamp) { setPhase(id, .idle, now: now) }

    /// The connection is answering a request; it is exempt from the idle timeout until ``idle(_:now:)``.
    package mutating func busy(_ id: ID, now: Timestamp) { setPhase(id, .busy, now: now) }

    /// The connection finished a request at `now` and waits for the next one.
    package mutating func idle(_ id: ID, now: Timestamp) { setPhase(id, .idle, now: now) }

    /// The connection was closed (by either side).
    package mutating func closed(_ id: ID) { entries[id] = nil }

    /// The connections past their deadline at `now` (handshake or idle timeout), with the reason for each;
    /// they are forgotten.
    package mutating func expire(now: Timestamp) -> [(id: ID, reason: String)] {
        var expired: [(id: ID, reason: String)] = []
        for (id, entry) in entries {
            switch entry.phase {
            case .handshaking where now.duration(since: entry.since) > settings.handshakeTimeout:
                expired.append((id, "the handshake did not complete within \(DurationText.format(settings.handshakeTimeout))"))
            case .idle where now.duration(since: entry.since) > settings.idleTimeout:
                expired.append((id, "no request for \(DurationText.format(settings.idleTimeout))"))
            default: break
            }
        }
        for (id, _) in expired { entries[id] = nil }
        return expired
    }

    /// The earliest time at which ``expire(now:)`` may name a connection, if any is waiting.
    package var nextDeadline: Timestamp? {
        entries.values.compactMap { entry -> Timestamp? in
            switch entry.phase {
            case .handshaking: entry.since + settings.handshakeTimeout
            case .idle: entry.since + settings.idleTimeout
            case .busy: nil
            }
        }.min()
    }

    private mutating func setPhase(_ id: ID, _ phase: Phase, now: Timestamp) {
        guard entries[id] != nil else { return }
        entries[id]!.phase = phase
        entries[id]!.since = now
    }

    /// The unauthenticated connection to drop for `excluded` (the new one): the oldest silent one, else the oldest.
    private func unauthenticatedVictim(except excluded: ID?) -> ID? {
        oldest(in: .handshaking, except: excluded, silentOnly: true) ?? oldest(in: .handshaking, except: excluded)
    }

    private func oldest(in phase: Phase, except excluded: ID? = nil, silentOnly: Bool = false) -> ID? {
        entries.filter { $0.value.phase == phase && $0.key != excluded && !(silentOnly && $0.value.spoke) }.min { ($0.value.since, $0.value.order) < ($1.value.since, $1.value.order) }?.key
    }
}
