import Foundation
import SpindleCore
import SpindlePosix
import Testing

/// A worker's fetch server under a flood of idle connections: it holds no thread per connection, drops what
/// exceeds its limits, and keeps answering the authenticated fetches of the job.
@Suite(.serialized) struct FetchServerFloodTests {
    /// Threads of process `pid`, from /proc.
    private func threads(of pid: Int32) -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        let line = status.split(separator: "\n").first { $0.hasPrefix("Threads:") }
        return line.flatMap { Int($0.dropFirst("Threads:".count).trimmingCharacters(in: .whitespaces)) }
    }

    /// Without a limit of open files (`nil`), and with `ulimit -n 128` for the coordinator and its workers, where
    /// the flood is far larger than the descriptors the worker has: it must shed connections, not spin or fail.
    @Test(arguments: [nil, 128])
    func twoThousandIdleConnectionsToAFetchPortLeaveTheWordCountExact(openFiles: Int?) throws {
        let dir = try TemporaryDirectory()
        let files = try TextFixtures.write(into: dir.file("in"), seed: 31)
        let log = EventLogReader(path: dir.file("events.jsonl"))
        // Every reduce task waits 4 s before it fetches, so the flood is in place when the fetches start.
        let arguments = [
            "run", "crashtest", "--input", dir.file("in"), "--output", dir.file("out"), "--workers", "2", "--split-size", "8KiB",
            "--reducers", "4", "--no-speculation", "--param", "crash-rate=0", "--param", "stall-rate=0", "--param", "reduce-delay=4s",
            "--event-log", dir.file("events.jsonl"),
        ]
        let coordinator: SpindleProcess
        if let openFiles {
            let process = try ChildProcess.spawn(
                executable: "/bin/sh", arguments: ["-c", "ulimit -n \(openFiles) && exec \"$@\"", "sh", TestJobsBinary.path] + arguments,
                stdoutPath: dir.file("coordinator.stdout"), stderrPath: dir.file("coordinator.stderr"))
            coordinator = SpindleProcess(process: process, stdoutPath: dir.file("coordinator.stdout"), stderrPath: dir.file("coordinator.stderr"))
        } else {
            coordinator = try TestJobsBinary.start(arguments, in: dir.path, name: "coordinator")
        }
        #expect(eventually(within: .seconds(30)) { log.events(named: "worker_joined").count == 2 })
        let joined = try #require(log.events(named: "worker_joined").first)
        let exchangeText = try #require(joined["exchange"] as? String)
        let exchange = try #require(HostPort.parse(exchangeText))
        let pid = try #require((joined["pid"] as? Int).map(Int32.init))
        var flood: [TCPSocket] = []
        var most = 0
        let began = MonotonicClock.nanoseconds()
        for i in 0..<2000 {
            if let socket = try? TCPSocket.connect(host: exchange.host, port: exchange.port, timeout: .seconds(5)) { flood.append(socket) }
            // A thread per connection would show here (the old server held 256, each for its handshake timeout).
            if i % 100 == 99, let count = threads(of: pid) { most = max(most, count) }
        }
        print("flood: \(flood.count) connections in \((MonotonicClock.nanoseconds() - began) / 1_000_000) ms; at most \(most) threads")
        defer { for socket in flood { socket.close() } }
        #expect(flood.count > 1000, "only \(flood.count) connections were made")
        #expect(most > 0 && most < 64, "the flooded worker ran up to \(most) threads")
        let result = try coordinator.finish()
        #expect(result.exitCode == 0, "stderr: \(result.stderr)")
        let output = JobOutput(directory: dir.file("out"))
        #expect(output.succeeded)
        #expect(try output.lines().sorted() == (try MapReduceOracle.wordCount(files, lowercase: false)).sorted())
        // Every fetch was served: no attempt failed for want of its input.
        #expect(log.events(named: "attempt_failed").isEmpty, "\(log.events(named: "attempt_failed"))")
    }
}
