import Testing

@testable import SpindleCore

@Suite struct HandshakeTests {
    private let nonceA = [UInt8](repeating: 1, count: WireProtocol.nonceLength)
    private let nonceB = [UInt8](repeating: 2, count: WireProtocol.nonceLength)

    /// Plays both machines against each other; returns the final steps of server and client.
    private func play(serverSecret: String, clientSecret: String) -> (server: HandshakeStep?, client: HandshakeStep?) {
        var server = ServerHandshake(secret: Array(serverSecret.utf8), nonce: nonceA)
        var client = ClientHandshake(secret: Array(clientSecret.utf8), nonce: nonceB, role: .worker)
        var toServer: Frame? = client.hello()
        var serverStep: HandshakeStep?
        var clientStep: HandshakeStep?
        while let frame = toServer {
            toServer = nil
            serverStep = server.receive(frame)
            var reply: Frame?
            switch serverStep {
            case .send(let f): reply = f
            case .established: reply = Frame(kind: MessageKind.welcome.rawValue, payload: [])
            case .fail(_, let r): reply = r
            case nil: break
            }
            guard let reply else { break }
            clientStep = client.receive(reply)
            if case .send(let f) = clientStep { toServer = f }
            if case .fail(_, let r?) = clientStep { _ = server.receive(r) }
        }
        return (serverStep, clientStep)
    }

    @Test func matchingSecretsEstablishTheConnection() {
        let (server, client) = play(serverSecret: "s3cret", clientSecret: "s3cret")
        #expect(server == .established(.worker))
        #expect(client == .established(.worker))
    }

    @Test func workerRefusesCoordinatorWithWrongSecretAndTellsIt() {
        let (_, client) = play(serverSecret: "one", clientSecret: "two")
        guard case .fail(let reason, let reply?) = client else {
            Issue.record("client must fail with a reject reply, got \(String(describing: client))")
            return
        }
        #expect(reason.contains("authentication failed"))
        #expect(reply.kind == MessageKind.reject.rawValue)
        var server = ServerHandshake(secret: Array("one".utf8), nonce: nonceA)
        guard case .fail(let serverReason, _) = server.receive(reply) else {
            Issue.record("server must fail on a reject")
            return
        }
        #expect(serverReason.contains("authentication failed"))
    }

    /// Found by the FuzzHandshake fuzz target: HMAC zero-pads short keys and hashes long ones, so raw secrets
    /// that differ only in trailing zero bytes, or a long secret and its SHA-256, used to prove each other.
    @Test(arguments: [
        ([UInt8]("s3cret-s3cret-s3cret".utf8), [UInt8]("s3cret-s3cret-s3cret".utf8) + [0]),
        ([UInt8](repeating: 7, count: 70), SHA256.hash([UInt8](repeating: 7, count: 70))),
    ])
    func secretsThatHMACPadsOrHashesAlikeDoNotMatch(serverSecret: [UInt8], clientSecret: [UInt8]) {
        var server = ServerHandshake(secret: serverSecret, nonce: nonceA)
        var client = ClientHandshake(secret: clientSecret, nonce: nonceB, role: .worker)
        guard case .send(let challenge) = server.receive(client.hello()) else {
            Issue.record("expected a challenge")
            return
        }
        guard case .fail(_, let reject?) = client.receive(challenge) else {
            Issue.record("the client must refuse a coordinator with a different secret")
            return
        }
        #expect(reject.kind == MessageKind.reject.rawValue)
        let forged = Frame(kind: MessageKind.response.rawValue, payload: HandshakeProof.client(
            secret: clientSecret, clientNonce: nonceB, serverNonce: nonceA))
        #expect(server.receive(forged) != .established(.worker))
    }

    @Test func coordinatorRefusesResponseWithWrongProof() {
        var server = ServerHandshake(secret: Array("right".utf8), nonce: nonceA)
        var client = ClientHandshake(secret: Array("right".utf8), nonce: nonceB, role: .worker)
        guard case .send = server.receive(client.hello()) else {
            Issue.record("expected a challenge")
            return
        }
        let forged = Frame(kind: MessageKind.response.rawValue, payload: [UInt8](repeating: 0, count: 32))
        guard case .fail(let reason, let reply?) = server.receive(forged) else {
            Issue.record("forged proof must fail with a reply")
            return
        }
        #expect(reason.contains("authentication failed"))
        guard case .fail(let clientReason, _) = client.receive(reply) else {
            Issue.record("client must fail on reject")
            return
        }
        #expect(clientReason.contains("refused"))
    }

    @Test func wrongVersionIsRefusedWithAReason() {
        var server = ServerHandshake(secret: [1], nonce: nonceA)
        var w = WireWriter()
        w.writeRaw(WireProtocol.magic)
        w.writeFixed(UInt32(99))
        w.writeByte(1)
        w.writeLengthPrefixed(nonceB)
        guard case .fail(let reason, let reply) = server.receive(Frame(kind: MessageKind.hello.rawValue, payload: w.bytes)) else {
            Issue.record("version 99 must be refused")
            return
        }
        #expect(reason.contains("protocol version 99"))
        #expect(reply?.kind == MessageKind.reject.rawValue)
    }

    @Test(arguments: [
        Frame(kind: 200, payload: [1, 2, 3]),
        Frame(kind: MessageKind.hello.rawValue, payload: Array("GET / HTTP/1.1".utf8)),
        Frame(kind: MessageKind.hello.rawValue, payload: []),
        Frame(kind: MessageKind.response.rawValue, payload: [0]),
    ])
    func garbageFirstFrameIsRefused(frame: Frame) {
        var server = ServerHandshake(secret: [1], nonce: nonceA)
        guard case .fail = server.receive(frame) else {
            Issue.record("garbage must be refused")
            return
        }
        // Once failed, nothing more is accepted.
        let client = ClientHandshake(secret: [1], nonce: nonceB, role: .worker)
        guard case .fail = server.receive(client.hello()) else {
            Issue.record("a failed handshake stays failed")
            return
        }
    }

    @Test func clientRefusesANonSpindleServer() {
        var client = ClientHandshake(secret: [1], nonce: nonceB, role: .worker)
        guard case .fail(let reason, _) = client.receive(Frame(kind: 72, payload: Array("TTP/1.1 400".utf8))) else {
            Issue.record("must fail")
            return
        }
        #expect(reason.contains("not a Spindle coordinator"))
    }
}

@Suite struct ControlMessageTests {
    @Test(arguments: [
        ControlMessage.register(WorkerInfo(processID: 42, host: "node-1", exchangePort: 7071, cores: 8)),
        .registered(WorkerID(3), JobDescriptor(job: "wordcount", parameters: [Pair("lowercase", "true")], heartbeatInterval: .milliseconds(200), heartbeatTimeout: .seconds(2), engineSettings: [1, 2])),
        .heartbeat(HeartbeatReport(runningAttempt: AttemptID(9), progress: 0.5)),
        .heartbeat(HeartbeatReport(runningAttempt: nil, progress: 0)),
        .assign(TaskAssignment(attempt: AttemptID(1), task: TaskID(stage: 1, index: 4), payload: Array(0...255))),
        .finished(AttemptResult(attempt: AttemptID(7), payload: [9], statistics: AttemptStatistics())),
        .failed(AttemptFailure(attempt: AttemptID(7), cause: "boom", blameless: true, lostOutputs: [TaskID(stage: 0, index: 2)])),
        .cancel(AttemptID(12)),
        .shutdown(reason: "done"),
    ])
    func messagesRoundTripThroughFrames(message: ControlMessage) throws {
        let frame = message.frame()
        #expect(try ControlMessage(frame: frame) == message)
        // Every strict prefix of the payload is rejected, never misread.
        for cut in 0..<frame.payload.count {
            #expect(throws: (any Error).self) { try ControlMessage(frame: Frame(kind: frame.kind, payload: Array(frame.payload[..<cut]))) }
        }
    }

    @Test func unknownKindIsAProtocolError() {
        #expect(throws: ProtocolError.unknownKind(99)) { try ControlMessage(frame: Frame(kind: 99, payload: [])) }
        #expect(throws: ProtocolError.unexpectedKind(.hello)) { try ControlMessage(frame: Frame(kind: MessageKind.hello.rawValue, payload: [])) }
    }
}
