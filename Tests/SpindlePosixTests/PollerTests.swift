import Testing
@testable import SpindlePosix

@Suite struct PollerTests {
    @Test func socketWithDataIsReportedReadable() throws {
        let (client, server) = try loopbackPair()
        let quiet = try Poller.wait([(fd: server.fd, events: .readable)], timeout: .milliseconds(20))
        #expect(quiet == [[]])
        try client.writeAll([1, 2, 3])
        let events = try Poller.wait(
            [(fd: server.fd, events: .readable), (fd: client.fd, events: .readable)],
            timeout: .seconds(5))
        #expect(events.count == 2)
        #expect(events[0].contains(.readable))
        #expect(events[1] == [])
    }

    @Test func writableSocketIsReportedWritable() throws {
        let (client, _server) = try loopbackPair()
        let events = try Poller.wait([(fd: client.fd, events: [.readable, .writable])], timeout: .seconds(1))
        #expect(events == [.writable])
        _server.close()
    }

    @Test func closedPeerIsReadableForEndOfStream() throws {
        let (client, server) = try loopbackPair()
        server.close()
        let events = try Poller.wait([(fd: client.fd, events: .readable)], timeout: .seconds(5))
        #expect(events[0].contains(.readable))
    }

    @Test func invalidDescriptorIsReportedInvalid() throws {
        let events = try Poller.wait([(fd: 99_999, events: .readable)], timeout: .milliseconds(10))
        #expect(events == [.invalid])
    }
}
