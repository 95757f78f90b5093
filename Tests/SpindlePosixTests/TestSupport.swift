import Foundation
import Synchronization
import Testing
@testable import SpindlePosix

/// Runs a closure on a new thread; `join` waits for it (with a timeout) and rethrows its error.
final class BackgroundThread: Sendable {
    private let outcome = Mutex<Result<Void, any Error>?>(nil)
    private let done = DispatchSemaphore(value: 0)

    init(_ body: @escaping @Sendable () throws -> Void) {
        let thread = Thread { [self] in self.run(body) }
        thread.start()
    }

    private func run(_ body: () throws -> Void) {
        let result = Result { try body() }
        outcome.withLock { $0 = result }
        done.signal()
    }

    /// Waits for the thread; throws its error, or records an issue if it is still running
    /// after `timeout`.
    func join(timeout: Duration = .seconds(30)) throws {
        let seconds = Double(timeout.components.seconds)
        guard done.wait(timeout: .now() + seconds) == .success else {
            Issue.record("background thread did not finish in time")
            return
        }
        try outcome.withLock { $0 }?.get()
    }
}

/// Makes a fresh temporary directory, passes it to `body`, and removes it afterwards.
func withTemporaryDirectory<R>(_ body: (String) throws -> R) throws -> R {
    let dir = try FileSystem.makeTemporaryDirectory(prefix: "spindle-posix-test-")
    defer { try? FileSystem.removeTree(dir) }
    return try body(dir)
}

/// Deterministic, non-repeating-looking test bytes.
func patternBytes(_ count: Int, seed: UInt64 = 0x9E37_79B9_7F4A_7C15) -> [UInt8] {
    var state = seed
    return (0..<count).map { _ in
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return UInt8(truncatingIfNeeded: state >> 33)
    }
}

/// A connected pair: (client side, server side) over 127.0.0.1.
func loopbackPair() throws -> (client: TCPSocket, server: TCPSocket) {
    let listener = try TCPListener(host: "127.0.0.1", port: 0)
    defer { listener.close() }
    let client = try TCPSocket.connect(host: "127.0.0.1", port: listener.port, timeout: .seconds(5))
    let server = try #require(try listener.accept(timeout: .seconds(5)))
    return (client, server)
}
