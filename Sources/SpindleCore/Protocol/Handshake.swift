/// What a handshake state machine asks its shell to do next.
package enum HandshakeStep: Equatable, Sendable {
    /// Send this frame to the peer.
    case send(Frame)
    /// The peer is authenticated; the connection carries messages of `role` from now on. `reply`, if any,
    /// is sent first (the server's `welcome` with its proof).
    case established(ConnectionRole, reply: Frame?)
    /// Drop the connection; `reason` is logged with the peer's address. `reply`, if any, is sent first.
    case fail(reason: String, reply: Frame?)
}

extension WireProtocol {
    /// Largest frame (kind + payload) either side accepts before the handshake completes: every handshake
    /// frame fits, and an unauthenticated peer cannot make the receiver allocate more.
    package static let maxHandshakeFrameSize = 512
}

/// The accepting side of the handshake: version check, then HMAC-SHA256 challenge/response, mutual, in which
/// the connecting side proves its knowledge of the secret first (as in OpenSSH).
///
/// Sequence: client `hello(magic, version, role, clientNonce)` → server `challenge(version, serverNonce)` →
/// client `response(clientProof)` → server checks it, then `welcome(serverProof)` → client checks that.
/// Nothing the server sends before it has verified the client's proof depends on the secret, so a peer
/// without the secret learns nothing it could attack offline. Each proof is an HMAC-SHA256, keyed with the
/// shared secret, over a label naming the prover, the connection role and both nonces, so no proof can be
/// replayed in the other direction, on another connection or for another role.
package struct ServerHandshake: Sendable {
    private enum State: Sendable { case awaitingHello, awaitingResponse(ConnectionRole, clientNonce: [UInt8]), done }
    private let secret: [UInt8]
    private let serverNonce: [UInt8]
    private var state = State.awaitingHello

    /// - Parameters:
    ///   - secret: the shared secret of the job.
    ///   - nonce: fresh random bytes (``WireProtocol/nonceLength``), never reused.
    package init(secret: [UInt8], nonce: [UInt8]) {
        self.secret = secret
        self.serverNonce = nonce
    }

    /// Feeds the next frame from the client.
    package mutating func receive(_ frame: Frame) -> HandshakeStep {
        if frame.kind == MessageKind.reject.rawValue {
            let reason = (try? WireReader.decode(String.self, from: frame.payload)) ?? "no reason given"
            return fail("the peer ended the handshake: \(reason)")
        }
        switch state {
        case .awaitingHello:
            guard frame.kind == MessageKind.hello.rawValue else {
                return fail("expected a hello frame, got kind \(frame.kind)")
            }
            do {
                let hello = try WireReader.decode(HelloMessage.self, from: frame.payload)
                guard hello.magic == WireProtocol.magic else { return fail("not a Spindle peer (bad magic)") }
                guard hello.version == WireProtocol.version else {
                    return fail(
                        "protocol version \(hello.version) is not supported (this side speaks \(WireProtocol.version))",
                        tellPeer: true)
                }
                guard let role = ConnectionRole(rawValue: hello.role) else { return fail("unknown connection role \(hello.role)") }
                guard hello.nonce.count == WireProtocol.nonceLength else { return fail("malformed hello (nonce length \(hello.nonce.count))") }
                state = .awaitingResponse(role, clientNonce: hello.nonce)
                let challenge = ChallengeMessage(version: WireProtocol.version, nonce: serverNonce)
                return .send(Frame(kind: MessageKind.challenge.rawValue, payload: challenge.wireEncoded()))
            } catch {
                return fail("malformed hello: \(error)")
            }
        case .awaitingResponse(let role, let clientNonce):
            guard frame.kind == MessageKind.response.rawValue else {
                return fail("expected a response frame, got kind \(frame.kind)")
            }
            let expected = HandshakeProof.client(secret: secret, role: role, clientNonce: clientNonce, serverNonce: serverNonce)
            guard ConstantTime.equals(frame.payload, expected) else {
                return fail("authentication failed (wrong secret)", tellPeer: true)
            }
            state = .done
            let proof = HandshakeProof.server(secret: secret, role: role, clientNonce: clientNonce, serverNonce: serverNonce)
            return .established(role, reply: Frame(kind: MessageKind.welcome.rawValue, payload: proof))
        case .done:
            return fail("unexpected frame after the handshake completed")
        }
    }

    private mutating func fail(_ reason: String, tellPeer: Bool = false) -> HandshakeStep {
        state = .done
        let reply = tellPeer ? Frame(kind: MessageKind.reject.rawValue, payload: reason.wireEncoded()) : nil
        return .fail(reason: reason, reply: reply)
    }
}

/// The connecting side of the handshake (see ``ServerHandshake``): it proves first, then checks the server's
/// proof in `welcome`, so a worker never takes tasks from a coordinator that does not know the secret.
package struct ClientHandshake: Sendable {
    private enum State: Sendable { case awaitingChallenge, awaitingWelcome(serverNonce: [UInt8]), done }
    private let secret: [UInt8]
    private let clientNonce: [UInt8]
    private let role: ConnectionRole
    private var state = State.awaitingChallenge

    package init(secret: [UInt8], nonce: [UInt8], role: ConnectionRole) {
        self.secret = secret
        self.clientNonce = nonce
        self.role = role
    }

    /// The first frame to send.
    package func hello() -> Frame {
        let hello = HelloMessage(magic: WireProtocol.magic, version: WireProtocol.version, role: role.rawValue, nonce: clientNonce)
        return Frame(kind: MessageKind.hello.rawValue, payload: hello.wireEncoded())
    }

    /// Feeds the next frame from the server.
    package mutating func receive(_ frame: Frame) -> HandshakeStep {
        if frame.kind == MessageKind.reject.rawValue {
            state = .done
            let reason = (try? WireReader.decode(String.self, from: frame.payload)) ?? "no reason given"
            return .fail(reason: "the coordinator refused the connection: \(reason)", reply: nil)
        }
        switch state {
        case .awaitingChallenge:
            guard frame.kind == MessageKind.challenge.rawValue,
                let challenge = try? WireReader.decode(ChallengeMessage.self, from: frame.payload),
                challenge.nonce.count == WireProtocol.nonceLength
            else {
                state = .done
                return .fail(reason: "the peer is not a Spindle coordinator (no valid challenge)", reply: nil)
            }
            state = .awaitingWelcome(serverNonce: challenge.nonce)
            let proof = HandshakeProof.client(secret: secret, role: role, clientNonce: clientNonce, serverNonce: challenge.nonce)
            return .send(Frame(kind: MessageKind.response.rawValue, payload: proof))
        case .awaitingWelcome(let serverNonce):
            state = .done
            guard frame.kind == MessageKind.welcome.rawValue else {
                return .fail(reason: "expected welcome, got frame kind \(frame.kind)", reply: nil)
            }
            let expected = HandshakeProof.server(secret: secret, role: role, clientNonce: clientNonce, serverNonce: serverNonce)
            guard ConstantTime.equals(frame.payload, expected) else {
                return .fail(reason: "authentication failed: the coordinator's proof does not match this worker's secret", reply: nil)
            }
            return .established(role, reply: nil)
        case .done:
            return .fail(reason: "unexpected frame after the handshake", reply: nil)
        }
    }
}

/// The two HMAC proofs of the handshake, each bound to its prover, the role and both nonces.
enum HandshakeProof {
    static func server(secret: [UInt8], role: ConnectionRole, clientNonce: [UInt8], serverNonce: [UInt8]) -> [UInt8] {
        HMACSHA256.authenticationCode(for: Array("spindle-server-proof".utf8) + [role.rawValue] + clientNonce + serverNonce, key: key(secret))
    }
    static func client(secret: [UInt8], role: ConnectionRole, clientNonce: [UInt8], serverNonce: [UInt8]) -> [UInt8] {
        HMACSHA256.authenticationCode(for: Array("spindle-client-proof".utf8) + [role.rawValue] + clientNonce + serverNonce, key: key(secret))
    }

    /// The HMAC key for `secret`: its SHA-256, so that distinct secrets give distinct keys. HMAC itself pads a
    /// short key with zero bytes and hashes a key longer than 64 bytes, so keyed with the raw secret, `abc` and
    /// `abc\0` (or a long secret and its digest) would prove each other.
    static func key(_ secret: [UInt8]) -> [UInt8] { SHA256.hash(secret) }
}

struct HelloMessage: WireCodable, Equatable {
    var magic: [UInt8]
    var version: UInt32
    var role: UInt8
    var nonce: [UInt8]
    init(magic: [UInt8], version: UInt32, role: UInt8, nonce: [UInt8]) {
        self.magic = magic
        self.version = version
        self.role = role
        self.nonce = nonce
    }
    func encode(to w: inout WireWriter) {
        w.writeRaw(magic)
        w.writeFixed(version)
        w.writeByte(role)
        w.writeLengthPrefixed(nonce)
    }
    init(from r: inout WireReader) throws {
        magic = Array(try r.readRaw(count: WireProtocol.magic.count))
        version = try r.readFixed(UInt32.self)
        role = try r.readByte()
        nonce = Array(try r.readLengthPrefixed())
    }
}

struct ChallengeMessage: WireCodable, Equatable {
    var version: UInt32
    var nonce: [UInt8]
    init(version: UInt32, nonce: [UInt8]) {
        self.version = version
        self.nonce = nonce
    }
    func encode(to w: inout WireWriter) {
        w.writeFixed(version)
        w.writeLengthPrefixed(nonce)
    }
    init(from r: inout WireReader) throws {
        version = try r.readFixed(UInt32.self)
        nonce = Array(try r.readLengthPrefixed())
    }
}
