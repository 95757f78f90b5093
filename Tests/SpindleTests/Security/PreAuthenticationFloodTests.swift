import Foundation
import SpindleCore
import SpindlePosix
import Testing

/// Before authentication a peer may send only handshake-sized frames, on every listener.
@Suite(.serialized) struct PreAuthenticationFloodTests {
    /// Twelve connections to the coordinator and to each worker's fetch server announce a 64 MiB frame:
    /// each is dropped on its length prefix (the old code took all 64 MiB of each), and the job is exact.
    @Test func hugeUnauthenticatedFramesAreDroppedOnEveryListenerAndTheJobIsExact() throws {
        let dir = try TemporaryDirectory()
        try ChecksumOracle.writeInput(dir.file("in.txt"), lines: 5_000, seed: 21)
        let log = EventLogReader(path: dir.file("events.jsonl"))
        let coordinator = try SpindleProcess.start(
            ["run", "checksum", "--input", dir.file("in.txt"), "--output", dir.file("out"), "--workers", "2", "--split-size", "32KiB",
             "--param", "delay=1s", "--event-log", dir.file("events.jsonl")],
            in: dir.path, name: "coordinator")
        #expect(eventually(within: .seconds(20)) { log.listenAddress() != nil && log.workerPIDs().count == 2 })
        let coordinatorPort = try #require(log.listenAddress().flatMap(HostPort.parse)?.port)
        var ports = [coordinatorPort]
        for pid in log.workerPIDs().values {
            let workerPorts = PeerFlood.listeningPorts(of: pid)
            #expect(!workerPorts.isEmpty, "worker \(pid) has no fetch server")
            ports += workerPorts
        }
        for port in ports {
            let refused = (0..<12).map { _ in PeerFlood.hugeFrameIsRefused(port: port) }
            #expect(refused.allSatisfy { $0 }, "port \(port) took a 64 MiB frame from an unauthenticated peer")
        }
        let result = try coordinator.finish()
        #expect(result.exitCode == 0, "stderr: \(result.stderr)")
        #expect(try ChecksumOracle.problems(output: dir.file("out"), input: dir.file("in.txt")) == [])
        let reasons = log.events(named: "connection_refused").compactMap { $0["reason"] as? String }
        #expect(reasons.filter { $0.contains("maximum frame size of \(WireProtocol.maxHandshakeFrameSize) bytes") }.count >= 12, "\(reasons)")
    }

    /// Idle unauthenticated connections beyond the cap push out the oldest (OpenSSH's MaxStartups).
    @Test func idleUnauthenticatedConnectionsBeyondTheCapDropTheOldest() throws {
        let dir = try TemporaryDirectory()
        try ChecksumOracle.writeInput(dir.file("in.txt"), lines: 2_000, seed: 22)
        let log = EventLogReader(path: dir.file("events.jsonl"))
        let coordinator = try SpindleProcess.start(
            ["run", "checksum", "--input", dir.file("in.txt"), "--output", dir.file("out"), "--workers", "1", "--param", "delay=1s",
             "--event-log", dir.file("events.jsonl")],
            in: dir.path, name: "coordinator")
        #expect(eventually(within: .seconds(20)) { log.listenAddress() != nil && log.workerPIDs().count == 1 })
        let port = try #require(log.listenAddress().flatMap(HostPort.parse)?.port)
        var idle: [TCPSocket] = []
        for _ in 0..<100 { if let s = try? TCPSocket.connect(host: "127.0.0.1", port: port, timeout: .seconds(5)) { idle.append(s) } }
        #expect(eventually(within: .seconds(20)) {
            log.events(named: "connection_refused").contains { ($0["reason"] as? String)?.contains("unauthenticated connections") == true }
        })
        let result = try coordinator.finish()
        #expect(result.exitCode == 0, "stderr: \(result.stderr)")
        #expect(try ChecksumOracle.problems(output: dir.file("out"), input: dir.file("in.txt")) == [])
        for s in idle { s.close() }
    }
}
