import Foundation  // for setting errno in the fake calls below
import Testing
@testable import SpindlePosix

@Suite struct SystemErrorTests {
    @Test func descriptionNamesCallContextAndStrerrorText() {
        let error = SystemError(call: "connect", errno: Errno.connectionRefused, context: "to 127.0.0.1:7070")
        #expect(error.description == "connect to 127.0.0.1:7070 failed: Connection refused (errno 111)")
    }

    @Test func descriptionWithoutContextStartsWithTheCall() {
        let error = SystemError(call: "poll", errno: Errno.badFileDescriptor)
        #expect(error.description == "poll failed: Bad file descriptor (errno 9)")
    }

    @Test func checkThrowsTheCallNameAndErrno() {
        let error = #expect(throws: SystemError.self) {
            try SystemError.check("fake", "thing") { () -> Int32 in
                errno = Errno.noSuchFile
                return -1
            }
        }
        #expect(error == SystemError(call: "fake", errno: Errno.noSuchFile, context: "thing"))
    }

    @Test func checkRetriesInterruptedCalls() throws {
        var attempts = 0
        let result = try SystemError.check("fake") { () -> Int in
            attempts += 1
            if attempts < 3 {
                errno = Errno.interrupted
                return -1
            }
            return 5
        }
        #expect(result == 5)
        #expect(attempts == 3)
    }

    @Test func unknownHostIsAGetaddrinfoError() {
        let error = #expect(throws: SystemError.self) {
            _ = try TCPSocket.connect(host: "no-such-host.invalid", port: 1, timeout: .seconds(5))
        }
        #expect(error?.call == "getaddrinfo")
        #expect(error?.description.contains("no-such-host.invalid:1") == true)
    }
}
