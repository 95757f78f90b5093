import Foundation
import SpindleCore
import SpindlePosix
import Testing

/// Remote workers (`spindle worker --coordinator`), authentication, hostile peers and orphan prevention.
@Suite(.serialized) struct RemoteWorkerTests {
    private func startListeningCoordinator(_ dir: TemporaryDirectory, expect: Int, delay: String = "0s", extra: [String] = []) throws -> (SpindleProcess, String) {
        try ChecksumOracle.writeInput(dir.file("in.txt"), lines: 5_000, seed: 11)
        let coordinator = try SpindleProcess.start(
            ["run", "checksum", "--input", dir.file("in.txt"), "--output", dir.file("out"), "--listen", "127.0.0.1:0",
             "--expect-workers", "\(expect)", "--split-size", "32KiB", "--param", "delay=\(delay)", "--event-log", dir.file("events.jsonl")] + extra,
            environment: ["SPINDLE_SECRET": "correct horse battery staple"], in: dir.path, name: "coordinator")
        let log = EventLogReader(path: dir.file("events.jsonl"))
        #expect(eventually(within: .seconds(20)) { log.listenAddress() != nil })
        return (coordinator, try #require(log.listenAddress()))
    }

    @Test func remoteWorkersJoinAndRunTheJob() throws {
        let dir = try TemporaryDirectory()
        let (coordinator, address) = try startListeningCoordinator(dir, expect: 2)
        let workers = try (0..<2).map { i in
            try SpindleProcess.start(["worker", "--coordinator", address], environment: ["SPINDLE_SECRET": "correct horse battery staple"], in: dir.path, name: "w\(i)")
        }
        let result = try coordinator.finish()
        #expect(result.exitCode == 0, "stderr: \(result.stderr)")
        #expect(try ChecksumOracle.problems(output: dir.file("out"), input: dir.file("in.txt")) == [])
        for w in workers { #expect(try w.finish(timeout: .seconds(10)).exitCode == 0) }
    }

    @Test func wrongSecretGarbageOversizedAndStalledPeersAreRefusedAndJobIsUnaffected() throws {
        let dir = try TemporaryDirectory()
        let (coordinator, address) = try startListeningCoordinator(dir, expect: 1, delay: "1500ms", extra: ["--heartbeat-timeout", "1s"])
        let host = HostPort.parse(address)!
        // A worker with the wrong secret is refused and exits non-zero with a clear message.
        let impostor = try SpindleProcess.start(["worker", "--coordinator", address], environment: ["SPINDLE_SECRET": "a wrong secret, long enough"], in: dir.path, name: "impostor")
        let impostorResult = try impostor.finish(timeout: .seconds(20))
        #expect(impostorResult.exitCode == 3)
        #expect(impostorResult.stderr.contains("authentication failed"), "stderr: \(impostorResult.stderr)")
        // Garbage bytes, an oversized frame length, and a peer that says nothing.
        let garbage = try TCPSocket.connect(host: host.host, port: host.port, timeout: .seconds(5))
        try garbage.writeAll(Array("GET / HTTP/1.1\r\nHost: x\r\n\r\n".utf8))
        let oversized = try TCPSocket.connect(host: host.host, port: host.port, timeout: .seconds(5))
        try oversized.writeAll([0xFF, 0xFF, 0xFF, 0xFF, 0x01])
        let silent = try TCPSocket.connect(host: host.host, port: host.port, timeout: .seconds(5))
        // Now a real worker: the job must still complete correctly.
        let worker = try SpindleProcess.start(["worker", "--coordinator", address], environment: ["SPINDLE_SECRET": "correct horse battery staple"], in: dir.path, name: "worker")
        let log = EventLogReader(path: dir.file("events.jsonl"))
        #expect(eventually(within: .seconds(15)) { log.events(named: "connection_refused").count >= 4 })
        let result = try coordinator.finish()
        #expect(result.exitCode == 0, "stderr: \(result.stderr)")
        #expect(try ChecksumOracle.problems(output: dir.file("out"), input: dir.file("in.txt")) == [])
        let reasons = log.events(named: "connection_refused").compactMap { $0["reason"] as? String }
        #expect(reasons.contains { $0.contains("authentication failed") }, "\(reasons)")
        #expect(reasons.contains { $0.contains("more than the maximum frame size") }, "\(reasons)")
        #expect(reasons.contains { $0.contains("did not complete within") }, "\(reasons)")
        #expect(reasons.count >= 4, "\(reasons)")
        #expect(log.events(named: "connection_refused").allSatisfy { ($0["peer"] as? String)?.hasPrefix("127.0.0.1:") == true })
        #expect(try worker.finish(timeout: .seconds(10)).exitCode == 0)
        garbage.close()
        oversized.close()
        silent.close()
    }

    @Test func workerWithNoCoordinatorExitsWithClearError() throws {
        let dir = try TemporaryDirectory()
        let listener = try TCPListener(host: "127.0.0.1", port: 0)
        let port = listener.port
        listener.close()
        let result = try SpindleProcess.run(
            ["worker", "--coordinator", "127.0.0.1:\(port)", "--connect-timeout", "1s"], environment: ["SPINDLE_SECRET": "any secret of 16+ bytes"], in: dir.path,
            timeout: .seconds(20))
        #expect(result.exitCode == 3)
        #expect(result.stderr.contains("could not connect to the coordinator at 127.0.0.1:\(port) within 1s"), "stderr: \(result.stderr)")
    }

    @Test func workerExitsWhenItsCoordinatorIsKilled() throws {
        let dir = try TemporaryDirectory()
        let (coordinator, address) = try startListeningCoordinator(dir, expect: 1, delay: "30s")
        // --coordinator-grace 0: no retrying (CoordinatorGraceTests cover the worker that waits and rejoins).
        let worker = try SpindleProcess.start(["worker", "--coordinator", address, "--coordinator-grace", "0"], environment: ["SPINDLE_SECRET": "correct horse battery staple"], in: dir.path, name: "worker")
        let log = EventLogReader(path: dir.file("events.jsonl"))
        #expect(eventually(within: .seconds(20)) { !log.events(named: "attempt_started").isEmpty })
        try coordinator.process.signal(Signal.kill)
        _ = try coordinator.finish(timeout: .seconds(5))
        let result = try worker.finish(timeout: .seconds(5))
        #expect(!result.timedOut, "the worker outlived its coordinator")
        #expect(result.exitCode == 3)
        #expect(result.stderr.contains("lost the coordinator"), "stderr: \(result.stderr)")
    }

    @Test func localWorkersDieWithTheirCoordinator() throws {
        let dir = try TemporaryDirectory()
        try ChecksumOracle.writeInput(dir.file("in.txt"), lines: 5_000, seed: 5)
        let log = EventLogReader(path: dir.file("events.jsonl"))
        let coordinator = try SpindleProcess.start(
            ["run", "checksum", "--input", dir.file("in.txt"), "--output", dir.file("out"), "--workers", "2", "--param", "delay=30s",
             "--event-log", dir.file("events.jsonl")],
            in: dir.path)
        #expect(eventually(within: .seconds(20)) { log.workerPIDs().count == 2 })
        try coordinator.process.signal(Signal.kill)
        _ = try coordinator.finish(timeout: .seconds(5))
        for pid in log.workerPIDs().values {
            #expect(eventually(within: .seconds(3)) { processIsGone(pid) }, "worker \(pid) outlived its coordinator")
        }
    }
}
