@_spi(Fuzzing) import Spindle
@testable import SpindleCore
import FuzzSupport

/// The handshake state machines, attacked from either side and through a tampering relay.
///
/// Input: a mode byte, then mode-specific bytes. Modes:
/// - 0, an unauthenticated peer talking to a `ServerHandshake`: the rest is a stream of frames (decoded with a
///   4 KiB `FrameDecoder`) fed to the server, which must never report `established`, must answer at most one
///   challenge (carrying its own nonce) and must fail for good once it has failed.
/// - 1, a fake coordinator talking to a `ClientHandshake`: the same, fed to the client, which must never
///   report `established` and never send more than its one response (the client proves first, so it sends
///   its response before the coordinator has proved anything, and only a valid `welcome` proof establishes).
/// - 2, an honest client and server whose frames pass a relay that may drop, flip, cut or retag each one, and
///   whose secrets may differ: a side reports `established` only if both sides hold the same secret, and the
///   server's role is the role in the hello it received.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHandshake(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    switch input.byte() % 3 {
    case 0: attackServer(&input)
    case 1: attackClient(&input)
    default: relay(&input)
    }
    return 0
}

private let serverSecret = Array("fuzz-secret-0123456789".utf8)

private func nonce(_ input: inout FuzzInput) -> [UInt8] {
    var bytes = input.bytes(WireProtocol.nonceLength)
    bytes += repeatElement(0, count: WireProtocol.nonceLength - bytes.count)
    return bytes
}

/// The frames in `bytes`, up to the first framing error.
private func frames(in bytes: [UInt8]) -> [Frame] {
    var decoder = FrameDecoder(maxFrameSize: 4096)
    decoder.append(contentsOf: bytes)
    var frames: [Frame] = []
    while let frame = try? decoder.nextFrame() { frames.append(frame) }
    return frames
}

private func attackServer(_ input: inout FuzzInput) {
    let serverNonce = nonce(&input)
    var server = ServerHandshake(secret: serverSecret, nonce: serverNonce)
    var challenges = 0
    var failed = false
    for frame in frames(in: input.remainder()) {
        let step = server.receive(frame)
        switch step {
        case .established(let role, _):
            require(false, "the server accepted a peer without the secret as \(role)")
        case .send(let reply):
            require(!failed, "the server sent \(reply.kind) after failing")
            challenges += 1
            require(challenges == 1, "the server sent a second challenge")
            require(reply.kind == MessageKind.challenge.rawValue, "the server sent kind \(reply.kind), not a challenge")
            require(challengeNonce(reply) == serverNonce, "the challenge does not carry the server's nonce")
        case .fail(_, let reply):
            failed = true
            if let reply { require(reply.kind == MessageKind.reject.rawValue, "a failure replied with kind \(reply.kind)") }
        }
    }
}

private func attackClient(_ input: inout FuzzInput) {
    let role: ConnectionRole = input.byte() & 1 == 0 ? .worker : .fetch
    var client = ClientHandshake(secret: serverSecret, nonce: nonce(&input), role: role)
    var responses = 0
    var failed = false
    for frame in frames(in: input.remainder()) {
        switch client.receive(frame) {
        case .established:
            require(false, "the client accepted a coordinator that does not know the secret")
        case .send(let reply):
            require(!failed, "the client sent \(reply.kind) after failing")
            responses += 1
            require(responses == 1 && reply.kind == MessageKind.response.rawValue, "the client sent a second frame or a non-response")
        case .fail(_, let reply):
            failed = true
            if let reply { require(reply.kind == MessageKind.reject.rawValue, "a failure replied with kind \(reply.kind)") }
        }
    }
}

/// What the relay does to one frame.
private func tamper(_ frame: Frame, _ input: inout FuzzInput) -> Frame? {
    var frame = frame
    switch input.byte() % 6 {
    case 0, 1: break
    case 2: return nil
    case 3:
        guard !frame.payload.isEmpty else { break }
        let index = Int(input.byte()) % frame.payload.count
        frame.payload[index] ^= max(1, input.byte())
    case 4: frame.payload = Array(frame.payload.prefix(Int(input.byte()) % (frame.payload.count + 1)))
    default: frame.kind = input.byte()
    }
    return frame
}

private func relay(_ input: inout FuzzInput) {
    let sameSecret = input.byte() & 1 == 0
    let clientSecret = sameSecret ? serverSecret : serverSecret + input.bytes(Int(input.byte() % 4))
    let secretsMatch = clientSecret == serverSecret
    let role: ConnectionRole = input.byte() & 1 == 0 ? .worker : .fetch
    var client = ClientHandshake(secret: clientSecret, nonce: nonce(&input), role: role)
    var server = ServerHandshake(secret: serverSecret, nonce: nonce(&input))
    var helloRole: UInt8?

    guard let hello = tamper(client.hello(), &input) else { return }
    if hello.kind == MessageKind.hello.rawValue, hello.payload.count > 9 { helloRole = hello.payload[9] }
    var toClient: Frame?
    switch server.receive(hello) {
    case .send(let challenge): toClient = challenge
    case .established: require(false, "the server established on a hello alone")
    case .fail(_, let reply): toClient = reply
    }
    guard let challenge = toClient.flatMap({ tamper($0, &input) }) else { return }
    var toServer: Frame?
    switch client.receive(challenge) {
    case .send(let response): toServer = response
    case .established: require(false, "the client established on a challenge alone")
    case .fail(_, let reply): toServer = reply
    }
    guard let response = toServer.flatMap({ tamper($0, &input) }) else { return }
    switch server.receive(response) {
    case .established(let established, let welcome):
        require(secretsMatch, "the server accepted a client with a different secret")
        require(established.rawValue == helloRole, "the server established \(established), the hello said \(String(describing: helloRole))")
        require(welcome?.kind == MessageKind.welcome.rawValue, "the server established without sending its welcome proof")
        guard let delivered = welcome.flatMap({ tamper($0, &input) }) else { return }
        if case .established(let clientRole, _) = client.receive(delivered) {
            require(clientRole == role, "the client established as \(clientRole), not \(role)")
            require(delivered == welcome, "the client accepted a tampered welcome")
        }
    case .send(let frame):
        require(false, "the server sent kind \(frame.kind) after the response")
    case .fail(_, let reply):
        if let reply, let delivered = tamper(reply, &input) {
            if case .established = client.receive(delivered) {
                require(secretsMatch, "the client accepted a coordinator with a different secret")
            }
        }
    }
}

/// The nonce field of a challenge payload: `u32 version`, then the length-prefixed nonce.
private func challengeNonce(_ frame: Frame) -> [UInt8]? {
    try? WireReader.withReader(over: frame.payload) { reader in
        _ = try reader.readFixed(UInt32.self)
        return Array(try reader.readLengthPrefixed())
    }
}

/// The process entry point (SwiftPM links `main` to `<Target>_main`): libFuzzer's driver with this target.
@_cdecl("FuzzHandshake_main")
func fuzzHandshakeMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runLibFuzzer(argc, argv, fuzzHandshake)
}
