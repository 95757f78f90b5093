import Foundation
import SpindleCore
import SpindlePosix
import Testing

/// A connection flood against a coordinator that may open only a few descriptors.
@Suite(.serialized) struct DescriptorExhaustionTests {
    /// Runs `spindle ARGS...` under `/bin/sh -c 'ulimit -n LIMIT; exec spindle ...'` (soft and hard limit both).
    private func startWithDescriptorLimit(_ limit: Int, _ arguments: [String], in dir: TemporaryDirectory) throws -> SpindleProcess {
        let out = dir.file("coordinator.stdout")
        let err = dir.file("coordinator.stderr")
        let process = try ChildProcess.spawn(
            executable: "/bin/sh", arguments: ["-c", "ulimit -n \(limit) && exec \"$0\" \"$@\"", SpindleProcess.executable] + arguments,
            stdoutPath: out, stderrPath: err)
        return SpindleProcess(process: process, stdoutPath: out, stderrPath: err)
    }

    /// With 128 descriptors, thousands of idle connections arrive while the job runs and commits: the
    /// coordinator keeps its unauthenticated peers capped, leaves descriptors for the commit, and the job is exact.
    @Test func aConnectionFloodUnderALowDescriptorLimitLeavesTheJobExact() throws {
        let dir = try TemporaryDirectory()
        try ChecksumOracle.writeInput(dir.file("in.txt"), lines: 20_000, seed: 23)
        let log = EventLogReader(path: dir.file("events.jsonl"))
        let coordinator = try startWithDescriptorLimit(
            128,
            ["run", "checksum", "--input", dir.file("in.txt"), "--output", dir.file("out"), "--workers", "2", "--split-size", "16KiB",
             "--param", "delay=50ms", "--event-log", dir.file("events.jsonl")],
            in: dir)
        #expect(eventually(within: .seconds(20)) { log.listenAddress() != nil })
        let port = try #require(log.listenAddress().flatMap(HostPort.parse)?.port)
        // Hold up to 2000 idle connections, opening new ones until the coordinator exits.
        var idle: [TCPSocket] = []
        var opened = 0
        while !processIsGone(coordinator.process.pid) && opened < 200_000 {
            if let socket = try? TCPSocket.connect(host: "127.0.0.1", port: port, timeout: .milliseconds(200)) {
                idle.append(socket)
                opened += 1
            }
            if idle.count > 2000 { idle.removeFirst().close() }
        }
        for socket in idle { socket.close() }
        let result = try coordinator.finish()
        #expect(result.exitCode == 0, "stderr: \(result.stderr)")
        #expect(try ChecksumOracle.problems(output: dir.file("out"), input: dir.file("in.txt")) == [])
        #expect(opened > 128, "the flood opened only \(opened) connections")
    }
}
