import SpindleCore
import SpindlePosix
import Testing

@testable import Spindle

/// How the coordinator ends its workers' connections: a worker that is still talking when the job ends reads its
/// shutdown frame and then a clean end of the stream, never a reset.
@Suite(.serialized) struct CoordinatorShutdownTests {
    private static let secret = "correct horse battery staple"

    private func startNoop(_ dir: TemporaryDirectory, tasks: Int, workers: Int) throws -> (SpindleProcess, String) {
        let coordinator = try TestJobsBinary.start(
            ["run", "noop", "--param", "tasks=\(tasks)", "--listen", "127.0.0.1:0", "--workers", "0", "--expect-workers", "\(workers)",
             "--output", dir.file("out"), "--event-log", dir.file("events.jsonl"), "--ui", "off", "--quiet"],
            environment: ["SPINDLE_SECRET": Self.secret], in: dir.path, name: "coordinator")
        let log = EventLogReader(path: dir.file("events.jsonl"))
        #expect(eventually(within: .seconds(30)) { log.listenAddress() != nil })
        return (coordinator, try #require(log.listenAddress()))
    }

    /// Before the coordinator half-closed and drained, it closed the socket with this worker's heartbeats unread,
    /// and Linux answered them with a reset: the worker's next read or write failed (ECONNRESET, EPIPE).
    @Test func aWorkerHeartbeatingAsTheJobEndsReadsItsShutdownThenACleanEnd() throws {
        let dir = try TemporaryDirectory()
        let (coordinator, address) = try startNoop(dir, tasks: 200, workers: 1)
        let worker = try RawWorker(address: address, secret: Self.secret, exchangePort: 7001)
        var shutdown = false
        var failure: String?
        // A heartbeat every millisecond: whenever the coordinator closes, some are on their way.
        let deadline = MonotonicClock.now() + .seconds(120)
        while !shutdown && failure == nil && MonotonicClock.now() < deadline {
            do {
                try worker.sendHeartbeat()
                for message in try worker.poll(timeout: .milliseconds(1)) {
                    switch message {
                    case .assign(let assignment): try worker.finish(assignment)
                    case .shutdown(_, let jobFailed):
                        #expect(!jobFailed)
                        shutdown = true
                    default: break
                    }
                }
            } catch {
                failure = "\(error)"
            }
        }
        #expect(failure == nil, "the connection failed before the shutdown frame was read: \(failure ?? "")")
        #expect(shutdown)
        // After the shutdown frame: the end of the stream, not a reset.
        try worker.socket.setReceiveTimeout(.seconds(10))
        var buffer = [UInt8](repeating: 0, count: 4096)
        var end: Result<Int, any Error> = .success(1)
        while case .success(let count) = end, count > 0 {
            end = Result { try buffer.withUnsafeMutableBytes { try worker.socket.read(into: $0) } }
        }
        if case .failure(let error) = end { Issue.record("reading after the shutdown frame failed: \(error)") }
        worker.socket.close()
        let result = try coordinator.finish(timeout: .seconds(60))
        #expect(result.exitCode == 0, "stderr: \(result.stderr)")
    }
}
