import Testing
@testable import SpindlePosix

@Suite struct TCPListenerTests {
    @Test func acceptReturnsNilWhenNobodyConnects() throws {
        let listener = try TCPListener(host: "127.0.0.1", port: 0)
        let start = MonotonicClock.nanoseconds()
        #expect(try listener.accept(timeout: .milliseconds(60)) == nil)
        #expect(MonotonicClock.nanoseconds() - start >= 55_000_000)
    }

    @Test func portZeroBindsAnEphemeralPort() throws {
        let listener = try TCPListener(host: "0.0.0.0", port: 0)
        #expect(listener.port != 0)
        #expect(listener.localDescription == "0.0.0.0:\(listener.port)")
    }

    @Test func bindingAPortInUseThrowsAddressInUse() throws {
        let first = try TCPListener(host: "127.0.0.1", port: 0)
        let error = #expect(throws: SystemError.self) {
            _ = try TCPListener(host: "127.0.0.1", port: first.port)
        }
        #expect(error?.errno == Errno.addressInUse)
        #expect(error?.call == "bind")
    }

    @Test func dualStackListenerAcceptsIPv4Clients() throws {
        guard let listener = try? TCPListener(host: "::", port: 0) else { return }  // no IPv6 here
        let client = try TCPSocket.connect(host: "127.0.0.1", port: listener.port, timeout: .seconds(5))
        let server = try #require(try listener.accept(timeout: .seconds(5)))
        try client.writeAll([42])
        var byte: [UInt8] = [0]
        #expect(try byte.withUnsafeMutableBytes { try server.read(into: $0) } == 1)
        #expect(byte == [42])
    }

    @Test func acceptAfterCloseThrowsBadFileDescriptor() throws {
        let listener = try TCPListener(host: "127.0.0.1", port: 0)
        listener.close()
        listener.close()
        let error = #expect(throws: SystemError.self) { _ = try listener.accept(timeout: .milliseconds(10)) }
        #expect(error?.errno == Errno.badFileDescriptor)
    }
}
