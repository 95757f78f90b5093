import SpindleCore
import SpindlePosix

/// Blocking handshakes over a ``ControlLink`` (a socket or its in-memory twin), bounded by a deadline.
enum Handshaking {
    /// Runs the client side; returns when the server welcomed us with a valid proof, after which the
    /// connection accepts full-sized frames.
    /// - Throws: ``HandshakeError`` naming the peer and the reason.
    static func connectAsClient(_ connection: any ControlLink, secret: [UInt8], role: ConnectionRole, timeout: Duration) throws {
        var machine = ClientHandshake(secret: secret, nonce: SecureRandom.bytes(WireProtocol.nonceLength), role: role)
        try connection.send(machine.hello())
        let deadline = MonotonicClock.now() + timeout
        while true {
            let left = deadline.duration(since: MonotonicClock.now())
            guard let frame = try connection.receive(timeout: left) else {
                throw HandshakeError(peer: connection.peer, reason: "no answer to the handshake within \(DurationText.format(timeout))")
            }
            switch machine.receive(frame) {
            case .send(let reply): try connection.send(reply)
            case .established:
                connection.authenticated()
                return
            case .fail(let reason, let reply):
                if let reply { try? connection.send(reply) }
                throw HandshakeError(peer: connection.peer, reason: reason)
            }
        }
    }

    /// Runs the server side on a blocking connection; returns the role the client asked for, once the client
    /// has proved its knowledge of the secret (only then is anything secret-dependent sent, and only then
    /// does the connection accept full-sized frames).
    static func acceptAsServer(_ connection: any ControlLink, secret: [UInt8], timeout: Duration) throws -> ConnectionRole {
        var machine = ServerHandshake(secret: secret, nonce: SecureRandom.bytes(WireProtocol.nonceLength))
        let deadline = MonotonicClock.now() + timeout
        while true {
            let left = deadline.duration(since: MonotonicClock.now())
            guard let frame = try connection.receive(timeout: left) else {
                throw HandshakeError(peer: connection.peer, reason: "handshake not completed within \(DurationText.format(timeout))")
            }
            switch machine.receive(frame) {
            case .send(let reply): try connection.send(reply)
            case .established(let role, let welcome):
                if let welcome { try connection.send(welcome) }
                connection.authenticated()
                return role
            case .fail(let reason, let reply):
                if let reply { try? connection.send(reply) }
                throw HandshakeError(peer: connection.peer, reason: reason)
            }
        }
    }
}

/// A handshake with a peer failed.
struct HandshakeError: Error, CustomStringConvertible {
    var peer: String
    var reason: String
    var description: String { "handshake with \(peer) failed: \(reason)" }
}
