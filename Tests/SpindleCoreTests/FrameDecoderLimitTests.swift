import Testing

@testable import SpindleCore

/// The decoder's adjustable frame limit, used to accept only handshake-sized frames before authentication.
@Suite struct FrameDecoderLimitTests {
    @Test func handshakeLimitRefusesA64MiBAnnouncementFromItsLengthPrefixAlone() {
        var decoder = FrameDecoder(maxFrameSize: WireProtocol.maxHandshakeFrameSize)
        decoder.append(contentsOf: [0x00, 0x00, 0x00, 0x04])  // 64 MiB, little endian; no payload sent
        #expect(throws: FrameError.oversized(length: 64 << 20, maximum: WireProtocol.maxHandshakeFrameSize)) { try decoder.nextFrame() }
        #expect(decoder.bufferedByteCount == 4)
    }

    @Test func everyHandshakeFrameFitsTheHandshakeLimit() {
        let client = ClientHandshake(secret: Array("a secret of 16+ bytes".utf8), nonce: [UInt8](repeating: 1, count: WireProtocol.nonceLength), role: .worker)
        var server = ServerHandshake(secret: Array("a secret of 16+ bytes".utf8), nonce: [UInt8](repeating: 2, count: WireProtocol.nonceLength))
        guard case .send(let challenge) = server.receive(client.hello()) else {
            Issue.record("expected a challenge")
            return
        }
        for frame in [client.hello(), challenge, Frame(kind: MessageKind.response.rawValue, payload: [UInt8](repeating: 0, count: 32))] {
            #expect(frame.payload.count + 1 <= WireProtocol.maxHandshakeFrameSize)
        }
    }

    @Test func raisingTheLimitAcceptsLargerFramesThatFollow() throws {
        var decoder = FrameDecoder(maxFrameSize: 16)
        let small = Frame(kind: 1, payload: [1, 2, 3])
        let large = Frame(kind: 2, payload: [UInt8](repeating: 9, count: 1000))
        decoder.append(contentsOf: small.encoded + large.encoded)
        #expect(try decoder.nextFrame() == small)
        decoder.maxFrameSize = 64 << 20
        #expect(try decoder.nextFrame() == large)
        #expect(try decoder.nextFrame() == nil)
    }

    @Test func loweringTheLimitAppliesToTheNextFrame() {
        var decoder = FrameDecoder()
        decoder.maxFrameSize = 8
        decoder.append(contentsOf: Frame(kind: 1, payload: [UInt8](repeating: 0, count: 8)).encoded)
        #expect(throws: FrameError.oversized(length: 9, maximum: 8)) { try decoder.nextFrame() }
    }
}
