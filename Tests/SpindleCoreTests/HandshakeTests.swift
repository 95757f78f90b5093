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
            case .established(_, let welcome): reply = welcome
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
        guard case .established(.worker, let welcome?) = server else {
            Issue.record("server must establish and send its welcome, got \(String(describing: server))")
            return
        }
        #expect(welcome.kind == MessageKind.welcome.rawValue)
        #expect(client == .established(.worker, reply: nil))
    }

    /// The connecting side proves first: until the client's proof is verified, every byte the server sends
    /// is the same whatever the secret, so a peer without the secret gets nothing to brute-force offline.
    @Test func serverSendsNothingSecretDependentBeforeTheClientsProofIsVerified() {
        let secrets = ["a secret of at least 16 bytes", "another secret, just as long", "xyz"].map { Array($0.utf8) }
        var transcripts: [[Frame]] = []
        for secret in secrets {
            var server = ServerHandshake(secret: secret, nonce: nonceA)
            let client = ClientHandshake(secret: Array("the attacker's guess".utf8), nonce: nonceB, role: .worker)
            var sent: [Frame] = []
            for frame in [client.hello(), Frame(kind: MessageKind.response.rawValue, payload: [UInt8](repeating: 7, count: 32))] {
                switch server.receive(frame) {
                case .send(let reply): sent.append(reply)
                case .fail(_, let reply): if let reply { sent.append(reply) }
                case .established: Issue.record("a wrong proof must not establish the connection")
                }
            }
            transcripts.append(sent)
        }
        #expect(transcripts[0].count == 2)
        #expect(transcripts.allSatisfy { $0 == transcripts[0] })
    }

    @Test func clientRefusesAWelcomeWithoutTheServersProof() {
        var server = ServerHandshake(secret: Array("the coordinator's secret".utf8), nonce: nonceA)
        var client = ClientHandshake(secret: Array("the coordinator's secret".utf8), nonce: nonceB, role: .worker)
        guard case .send(let challenge) = server.receive(client.hello()), case .send = client.receive(challenge) else {
            Issue.record("expected challenge and response")
            return
        }
        // An impostor that cannot compute the proof answers with an empty or a forged welcome.
        for payload in [[], [UInt8](repeating: 0, count: 32)] {
            var copy = client
            guard case .fail(let reason, _) = copy.receive(Frame(kind: MessageKind.welcome.rawValue, payload: payload)) else {
                Issue.record("a welcome without a valid proof must fail")
                continue
            }
            #expect(reason.contains("authentication failed"))
        }
    }

    @Test func proofsAreBoundToTheRole() {
        var server = ServerHandshake(secret: Array("the same secret here".utf8), nonce: nonceA)
        var fetcher = ClientHandshake(secret: Array("the same secret here".utf8), nonce: nonceB, role: .fetch)
        let worker = ClientHandshake(secret: Array("the same secret here".utf8), nonce: nonceB, role: .worker)
        // The server sees a worker's hello; a response computed for the fetch role must not pass.
        guard case .send(let challenge) = server.receive(worker.hello()), case .send(let response) = fetcher.receive(challenge) else {
            Issue.record("expected challenge and response")
            return
        }
        guard case .fail(let reason, _) = server.receive(response) else {
            Issue.record("a proof for another role must fail")
            return
        }
        #expect(reason.contains("authentication failed"))
    }

    @Test func coordinatorRefusesAWorkerWithTheWrongSecretAndTellsIt() {
        let (server, client) = play(serverSecret: "one secret of 16+ bytes", clientSecret: "two secret of 16+ bytes")
        guard case .fail(let reason, let reply?) = server else {
            Issue.record("server must fail with a reject reply, got \(String(describing: server))")
            return
        }
        #expect(reason.contains("authentication failed"))
        #expect(reply.kind == MessageKind.reject.rawValue)
        guard case .fail(let clientReason, _) = client else {
            Issue.record("client must fail on the reject, got \(String(describing: client))")
            return
        }
        #expect(clientReason.contains("authentication failed"))
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
        // The client proves first; the coordinator must refuse its proof and tell it so.
        guard case .send(let response) = client.receive(challenge) else {
            Issue.record("expected the client's proof")
            return
        }
        guard case .fail(_, let reject?) = server.receive(response) else {
            Issue.record("the coordinator must refuse a worker with a different secret")
            return
        }
        #expect(reject.kind == MessageKind.reject.rawValue)
        var fresh = ServerHandshake(secret: serverSecret, nonce: nonceA)
        _ = fresh.receive(ClientHandshake(secret: clientSecret, nonce: nonceB, role: .worker).hello())
        let forged = Frame(kind: MessageKind.response.rawValue, payload: HandshakeProof.client(
            secret: clientSecret, role: .worker, clientNonce: nonceB, serverNonce: nonceA))
        if case .established = fresh.receive(forged) { Issue.record("a proof keyed with another secret was accepted") }
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
        .peersLost([PeerLoss(host: "10.251.0.11", port: 7100, attemptsBelow: AttemptID(40))]),
        .peersLost([
            PeerLoss(host: "10.251.0.11", port: 7100, attemptsBelow: AttemptID(40)), PeerLoss(host: "::1", port: 7101, attemptsBelow: AttemptID(41)),
        ]),
        .releasePartitions([1, 4, 7]),
        .finished(AttemptResult(attempt: AttemptID(8), payload: [], statistics: {
            var statistics = AttemptStatistics()
            statistics.output = OutputDigest(size: 1234, checksum: 0xDEAD_BEEF)
            return statistics
        }())),
    ])
    func messagesRoundTripThroughFrames(message: ControlMessage) throws {
        let frame = message.frame()
        #expect(try ControlMessage(frame: frame) == message)
        // Every strict prefix of the payload is rejected, never misread.
        for cut in 0..<frame.payload.count {
            #expect(throws: (any Error).self) { try ControlMessage(frame: Frame(kind: frame.kind, payload: Array(frame.payload[..<cut]))) }
        }
    }

    @Test func aPeersLostFrameListingMoreThanTheMostIsRejected() throws {
        let most = Array(repeating: PeerLoss(host: "10.0.0.1", port: 7100, attemptsBelow: AttemptID(3)), count: ControlMessage.maxPeerLosses)
        #expect(try ControlMessage(frame: ControlMessage.peersLost(most).frame()) == .peersLost(most))
        let tooMany = ControlMessage.peersLost(most + [most[0]]).frame()
        #expect(throws: WireError.self) { try ControlMessage(frame: tooMany) }
    }

    @Test func unknownKindIsAProtocolError() {
        #expect(throws: ProtocolError.unknownKind(99)) { try ControlMessage(frame: Frame(kind: 99, payload: [])) }
        #expect(throws: ProtocolError.unexpectedKind(.hello)) { try ControlMessage(frame: Frame(kind: MessageKind.hello.rawValue, payload: [])) }
    }
}
