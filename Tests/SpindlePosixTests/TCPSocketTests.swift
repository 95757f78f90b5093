import Testing
@testable import SpindlePosix

@Suite struct TCPSocketTests {
    @Test func tenMebibytesRoundTripThroughLoopback() throws {
        let listener = try TCPListener(host: "127.0.0.1", port: 0)
        let payload = patternBytes(10 << 20)
        let writer = BackgroundThread {
            guard let peer = try listener.accept(timeout: .seconds(10)) else {
                throw SystemError(call: "accept", errno: Errno.timedOut)
            }
            try peer.writeAll(payload)
            peer.close()
        }
        let client = try TCPSocket.connect(host: "127.0.0.1", port: listener.port, timeout: .seconds(5))
        var received: [UInt8] = []
        received.reserveCapacity(payload.count)
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        while true {
            let n = try chunk.withUnsafeMutableBytes { try client.read(into: $0) }
            if n == 0 { break }
            received.append(contentsOf: chunk[0..<n])
        }
        try writer.join()
        #expect(received.count == payload.count)
        #expect(received == payload)
        listener.close()
    }

    @Test func connectingToAClosedPortIsRefusedWithinTheTimeout() throws {
        let listener = try TCPListener(host: "127.0.0.1", port: 0)
        let port = listener.port
        listener.close()
        let start = MonotonicClock.nanoseconds()
        let error = #expect(throws: SystemError.self) {
            _ = try TCPSocket.connect(host: "127.0.0.1", port: port, timeout: .seconds(3))
        }
        #expect(error?.errno == Errno.connectionRefused)
        #expect(error?.call == "connect")
        #expect(error?.description.contains("to 127.0.0.1:\(port)") == true)
        #expect(MonotonicClock.nanoseconds() - start < 3_000_000_000)
    }

    @Test func waitReadableTimesOutWithoutData() throws {
        let (client, _server) = try loopbackPair()
        let start = MonotonicClock.nanoseconds()
        #expect(try client.waitReadable(timeout: .milliseconds(50)) == false)
        #expect(MonotonicClock.nanoseconds() - start >= 45_000_000)
        try _server.writeAll([1, 2, 3])
        #expect(try client.waitReadable(timeout: .seconds(5)) == true)
    }

    @Test func peerDescriptionShowsNumericAddressAndPort() throws {
        let (client, server) = try loopbackPair()
        #expect(client.peerDescription.hasPrefix("127.0.0.1:"))
        #expect(server.peerDescription == "127.0.0.1:\(client.localPort)")
        #expect(client.localPort != 0)
    }

    @Test func ipv6LoopbackDescriptionUsesBrackets() throws {
        guard let listener = try? TCPListener(host: "::1", port: 0) else { return }  // no IPv6 here
        let client = try TCPSocket.connect(host: "::1", port: listener.port, timeout: .seconds(5))
        #expect(client.peerDescription == "[::1]:\(listener.port)")
        let server = try #require(try listener.accept(timeout: .seconds(5)))
        #expect(server.peerDescription.hasPrefix("[::1]:"))
        let bracketed = try TCPSocket.connect(host: "[::1]", port: listener.port, timeout: .seconds(5))
        #expect(bracketed.peerDescription == "[::1]:\(listener.port)")
    }

    @Test func connectResolvesLocalhostByName() throws {
        let listener = try TCPListener(host: "127.0.0.1", port: 0)
        let client = try TCPSocket.connect(host: "localhost", port: listener.port, timeout: .seconds(5))
        _ = try #require(try listener.accept(timeout: .seconds(5)))
        #expect(client.peerDescription == "127.0.0.1:\(listener.port)")
    }

    @Test func writeAfterPeerClosedThrowsInsteadOfRaisingSigpipe() throws {
        let (client, server) = try loopbackPair()
        server.close()
        let chunk = [UInt8](repeating: 7, count: 64 << 10)
        var thrown: SystemError? = nil
        for _ in 0..<200 {
            do {
                try client.writeAll(chunk)
            } catch let error as SystemError {
                thrown = error
                break
            }
            MonotonicClock.sleep(.milliseconds(2))
        }
        let error = try #require(thrown)
        #expect(error.isConnectionLost)
        #expect(error.call == "send")
    }

    @Test func readReturnsZeroAtEndOfStream() throws {
        let (client, server) = try loopbackPair()
        try server.writeAll([9, 8, 7])
        server.shutdown()
        var buffer = [UInt8](repeating: 0, count: 16)
        var got: [UInt8] = []
        while true {
            let n = try buffer.withUnsafeMutableBytes { try client.read(into: $0) }
            if n == 0 { break }
            got += buffer[0..<n]
        }
        #expect(got == [9, 8, 7])
    }

    @Test func sendTimeoutThrowsWouldBlockWhenPeerDoesNotRead() throws {
        let (client, _server) = try loopbackPair()
        try client.setSendTimeout(.milliseconds(50))
        let chunk = [UInt8](repeating: 1, count: 1 << 20)
        let error = #expect(throws: SystemError.self) {
            for _ in 0..<256 { try client.writeAll(chunk) }
        }
        #expect(error?.errno == Errno.wouldBlock)
        #expect(error?.isTimeout == true)
        _server.close()
    }

    @Test func receiveTimeoutThrowsWouldBlock() throws {
        let (client, _server) = try loopbackPair()
        try client.setReceiveTimeout(.milliseconds(30))
        var buffer = [UInt8](repeating: 0, count: 8)
        let error = #expect(throws: SystemError.self) {
            _ = try buffer.withUnsafeMutableBytes { try client.read(into: $0) }
        }
        #expect(error?.errno == Errno.wouldBlock)
        _server.close()
    }

    /// Closing with received bytes unread resets the connection; half-closing, reading them, then closing ends it
    /// cleanly (what the coordinator does at the end of a job).
    @Test func halfCloseLetsThePeerFinishAndEndsWithoutAReset() throws {
        let (client, server) = try loopbackPair()
        try client.writeAll([1, 2, 3])
        try server.writeAll([9])
        try server.shutdownWrite()
        var buffer = [UInt8](repeating: 0, count: 16)
        #expect(try buffer.withUnsafeMutableBytes { try client.read(into: $0) } == 1)
        #expect(try buffer.withUnsafeMutableBytes { try client.read(into: $0) } == 0)
        // The client still sends after the server's FIN, and the server reads it all before it closes.
        try client.writeAll([4, 5])
        var got: [UInt8] = []
        while got.count < 5 {
            let n = try buffer.withUnsafeMutableBytes { try server.read(into: $0) }
            #expect(n > 0)
            if n == 0 { break }
            got += buffer[0..<n]
        }
        #expect(got == [1, 2, 3, 4, 5])
        client.close()
        #expect(try buffer.withUnsafeMutableBytes { try server.read(into: $0) } == 0)
        server.close()
        #expect(throws: Never.self) { try server.shutdownWrite() }

        let (other, unread) = try loopbackPair()
        try other.writeAll([7])
        MonotonicClock.sleep(.milliseconds(50))
        unread.close()
        let error = #expect(throws: SystemError.self) { _ = try buffer.withUnsafeMutableBytes { try other.read(into: $0) } }
        #expect(error?.errno == Errno.connectionReset)
    }

    @Test func closeAndShutdownAreIdempotent() throws {
        let (client, server) = try loopbackPair()
        client.shutdown()
        client.shutdown()
        client.close()
        client.close()
        client.shutdown()
        var buffer = [UInt8](repeating: 0, count: 8)
        #expect(try buffer.withUnsafeMutableBytes { try server.read(into: $0) } == 0)
    }
}
