import Testing

@testable import SpindlePosix

/// The epoll wrapper: readiness with tokens, level triggering, removal, and the timeout.
@Suite struct EpollTests {
    @Test func reportsReadableDescriptorsWithTheirTokensUntilDrained() throws {
        let epoll = try Epoll()
        let a = try WakeupPipe()
        let b = try WakeupPipe()
        try epoll.add(a.readFD, events: .readable, token: 7 << 32 | 1)
        try epoll.add(b.readFD, events: .readable, token: 9)
        #expect(try epoll.wait(timeout: .zero).isEmpty)
        a.wake()
        let ready = try epoll.wait(timeout: .seconds(5))
        #expect(ready.map(\.token) == [7 << 32 | 1])
        #expect(ready.first?.events.contains(.readable) == true)
        // Level-triggered: still readable until drained.
        #expect(try epoll.wait(timeout: .zero).map(\.token) == [7 << 32 | 1])
        a.drain()
        #expect(try epoll.wait(timeout: .zero).isEmpty)
        b.wake()
        epoll.remove(b.readFD)
        #expect(try epoll.wait(timeout: .milliseconds(20)).isEmpty)
        try epoll.add(b.readFD, events: .readable, token: 10)
        try epoll.modify(b.readFD, events: .readable, token: 11)
        #expect(try epoll.wait(timeout: .seconds(5)).map(\.token) == [11])
        epoll.close()
        epoll.close()
    }

    @Test func addingADescriptorTwiceThrowsNamingTheCall() throws {
        let epoll = try Epoll()
        let pipe = try WakeupPipe()
        try epoll.add(pipe.readFD, events: .readable, token: 1)
        #expect {
            try epoll.add(pipe.readFD, events: .readable, token: 2)
        } throws: { error in
            (error as? SystemError)?.call == "epoll_ctl(ADD)"
        }
    }

    @Test func aClosedPeerReportsReadable() throws {
        let listener = try TCPListener(host: "127.0.0.1", port: 0)
        let client = try TCPSocket.connect(host: "127.0.0.1", port: listener.port, timeout: .seconds(5))
        let server = try #require(try listener.accept(timeout: .seconds(5)))
        let epoll = try Epoll()
        try epoll.add(server.fd, events: .readable, token: 3)
        client.close()
        let ready = try epoll.wait(timeout: .seconds(5))
        #expect(ready.map(\.token) == [3])
        #expect(ready.first?.events.contains(.readable) == true)
        server.close()
        listener.close()
    }
}
