import Foundation
import SpindleCore
import SpindlePosix
import Testing

/// `spindle worker --bind HOST --advertise HOST`: where the fetch server listens and where other workers fetch.
@Suite(.serialized) struct WorkerBindAdvertiseTests {
    private let secret = ["SPINDLE_SECRET": "0123456789abcdef0123456789abcdef"]

    @Test func otherWorkersFetchAtTheAdvertisedAddressAndTheServerListensOnlyThere() throws {
        let dir = try TemporaryDirectory()
        let files = try TextFixtures.write(into: dir.file("in"), seed: 17)
        let log = EventLogReader(path: dir.file("events.jsonl"))
        let coordinator = try TestJobsBinary.start(
            ["run", "crashtest", "--input", dir.file("in"), "--output", dir.file("out"), "--listen", "127.0.0.1:0", "--expect-workers", "2",
             "--split-size", "8KiB", "--reducers", "4", "--no-speculation", "--param", "crash-rate=0", "--param", "stall-rate=0",
             "--param", "reduce-delay=2s", "--event-log", dir.file("events.jsonl")],
            environment: secret, in: dir.path, name: "coordinator")
        #expect(eventually(within: .seconds(30)) { log.listenAddress() != nil })
        let address = try #require(log.listenAddress())
        // 127.0.0.2 is loopback too (127/8), but a server bound to it does not answer at 127.0.0.1.
        let remote = try TestJobsBinary.start(["worker", "--coordinator", address, "--advertise", "127.0.0.2"], environment: secret, in: dir.path, name: "remote")
        let local = try TestJobsBinary.start(
            ["worker", "--coordinator", address, "--bind", "127.0.0.1", "--advertise", "127.0.0.1"], environment: secret, in: dir.path, name: "local")
        #expect(eventually(within: .seconds(30)) { log.events(named: "worker_joined").count == 2 })
        let exchanges = log.events(named: "worker_joined").compactMap { ($0["exchange"] as? String).flatMap(HostPort.parse) }
        let advertised = try #require(exchanges.first { $0.host == "127.0.0.2" }, "\(exchanges)")
        #expect(exchanges.contains { $0.host == "127.0.0.1" }, "\(exchanges)")
        // The advertising worker's fetch server listens at 127.0.0.2 only (it defaults --bind to --advertise).
        #expect(throws: (any Error).self) { try TCPSocket.connect(host: "127.0.0.1", port: advertised.port, timeout: .seconds(5)).close() }
        let probe = try TCPSocket.connect(host: "127.0.0.2", port: advertised.port, timeout: .seconds(5))
        probe.close()
        let result = try coordinator.finish()
        #expect(result.exitCode == 0, "stderr: \(result.stderr)")
        #expect(try JobOutput(directory: dir.file("out")).lines().sorted() == (try MapReduceOracle.wordCount(files, lowercase: false)).sorted())
        // Reducers on the other worker fetched the advertising worker's map outputs at 127.0.0.2, and none failed.
        let remoteWorker = try #require(log.events(named: "worker_joined").first { ($0["exchange"] as? String)?.hasPrefix("127.0.0.2:") == true }?["worker"] as? Int)
        let remoteMaps = log.events(named: "attempt_committed").filter { $0["worker"] as? Int == remoteWorker && ($0["task"] as? String)?.hasPrefix("map") == true }
        #expect(!remoteMaps.isEmpty)
        #expect(log.events(named: "attempt_failed").isEmpty, "\(log.events(named: "attempt_failed"))")
        #expect(try remote.finish(timeout: .seconds(20)).exitCode == 0)
        #expect(try local.finish(timeout: .seconds(20)).exitCode == 0)
    }

    /// The local address (hex, as in /proc/net/tcp) of the listening socket on `port`, if any.
    private func listeningAddress(port: UInt16) -> String? {
        let hexPort = String(port, radix: 16, uppercase: true)
        let padded = String(repeating: "0", count: 4 - hexPort.count) + hexPort
        let table = (try? String(contentsOfFile: "/proc/net/tcp", encoding: .utf8)) ?? ""
        for line in table.split(separator: "\n").dropFirst() {
            let fields = line.split(separator: " ")
            guard fields.count > 3, fields[3] == "0A" else { continue }
            let local = fields[1].split(separator: ":")
            if local.count == 2, local[1] == padded { return String(local[0]) }
        }
        return nil
    }

    @Test func aCoordinatorNamedOtherwiseButReachedOnLoopbackKeepsTheFetchServerOnLoopback() throws {
        let dir = try TemporaryDirectory()
        let log = EventLogReader(path: dir.file("events.jsonl"))
        try ChecksumOracle.writeInput(dir.file("in.txt"), lines: 2_000, seed: 4)
        let coordinator = try SpindleProcess.start(
            ["run", "checksum", "--input", dir.file("in.txt"), "--output", dir.file("out"), "--listen", "127.0.0.1:0", "--expect-workers", "1",
             "--param", "delay=2s", "--event-log", dir.file("events.jsonl")],
            environment: secret, in: dir.path, name: "coordinator")
        #expect(eventually(within: .seconds(30)) { log.listenAddress() != nil })
        let listen = try #require(log.listenAddress())
        let port = try #require(HostPort.parse(listen)).port
        // 2130706433 is 127.0.0.1 written as one number (getaddrinfo reads it so): not "127." as text.
        let worker = try SpindleProcess.start(["worker", "--coordinator", "2130706433:\(port)"], environment: secret, in: dir.path, name: "worker")
        #expect(eventually(within: .seconds(30)) { !log.events(named: "worker_joined").isEmpty })
        let exchangeText = try #require(log.events(named: "worker_joined").first?["exchange"] as? String)
        let exchange = try #require(HostPort.parse(exchangeText))
        #expect(listeningAddress(port: exchange.port) == "0100007F", "the fetch server must listen on 127.0.0.1 only")
        #expect(try coordinator.finish().exitCode == 0)
        #expect(try worker.finish(timeout: .seconds(20)).exitCode == 0)
    }

    @Test(arguments: [["--bind", "a b"], ["--advertise", "host:7070"], ["--bind", ""], ["--advertise", "a/b"]])
    func aMalformedHostIsAUsageError(_ flag: [String]) throws {
        let dir = try TemporaryDirectory()
        let result = try SpindleProcess.run(["worker", "--coordinator", "127.0.0.1:9"] + flag, environment: secret, in: dir.path, timeout: .seconds(20))
        #expect(result.exitCode == 2, "stderr: \(result.stderr)")
        #expect(result.stderr.contains("--\(flag[0].dropFirst(2))"), "stderr: \(result.stderr)")
    }

    @Test func aBindAddressThatIsNotLocalIsAClearError() throws {
        let dir = try TemporaryDirectory()
        // 192.0.2.1 (TEST-NET-1) is no address of this machine: the fetch server cannot bind it.
        let log = EventLogReader(path: dir.file("events.jsonl"))
        try ChecksumOracle.writeInput(dir.file("in.txt"), lines: 100, seed: 3)
        let coordinator = try SpindleProcess.start(
            ["run", "checksum", "--input", dir.file("in.txt"), "--output", dir.file("out"), "--listen", "127.0.0.1:0", "--expect-workers", "1",
             "--join-timeout", "5s", "--event-log", dir.file("events.jsonl")],
            environment: secret, in: dir.path, name: "coordinator")
        #expect(eventually(within: .seconds(30)) { log.listenAddress() != nil })
        let address = try #require(log.listenAddress())
        let result = try SpindleProcess.run(
            ["worker", "--coordinator", address, "--bind", "192.0.2.1"], environment: secret, in: dir.path, timeout: .seconds(20))
        #expect(result.exitCode == 3, "stderr: \(result.stderr)")
        #expect(result.stderr.contains("cannot listen on 192.0.2.1"), "stderr: \(result.stderr)")
        _ = try coordinator.finish(timeout: .seconds(30))
    }
}
