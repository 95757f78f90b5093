import Foundation
import SpindleCore
import SpindlePosix
import Testing

@testable import Spindle

/// An authenticated worker that sends malformed or hostile messages is disconnected and logged with its
/// address; the coordinator never traps, and the job finishes with the exact output on the honest worker.
@Suite(.serialized) struct MalformedWorkerMessageTests {
    /// One kind of bad message, built from the fake worker's own attempt and another worker's.
    enum BadMessage: CaseIterable, CustomStringConvertible {
        case lostOutputOfStage99, lostOutputWithNegativeIndex, progressMinusInfinity, progressNaN, progressTwo
        case anotherWorkersAttempt, negativeStatistics, negativePartitionSize, absurdPartitionSize, wrongPartitionCount
        case overflowingCounter, garbagePayload, undecodableFrame, unknownFrameKind, partFileDigestFromAMapTask

        var description: String { "\(self)" as String }

        func frame(own: AttemptID, other: AttemptID) -> Frame {
            let fine = TaskReport(partitionSizes: [10, 0, 5], counters: []).wireEncoded()
            func finished(_ attempt: AttemptID, _ payload: [UInt8], _ statistics: AttemptStatistics = AttemptStatistics()) -> Frame {
                ControlMessage.finished(AttemptResult(attempt: attempt, payload: payload, statistics: statistics)).frame()
            }
            switch self {
            case .lostOutputOfStage99:
                return ControlMessage.failed(AttemptFailure(attempt: own, cause: "x", blameless: true, lostOutputs: [TaskID(stage: 99, index: 0)])).frame()
            case .lostOutputWithNegativeIndex:
                return ControlMessage.failed(AttemptFailure(attempt: own, cause: "x", lostOutputs: [TaskID(stage: 0, index: -1)])).frame()
            case .progressMinusInfinity: return ControlMessage.heartbeat(HeartbeatReport(runningAttempt: own, progress: -.infinity)).frame()
            case .progressNaN: return ControlMessage.heartbeat(HeartbeatReport(runningAttempt: own, progress: .nan)).frame()
            case .progressTwo: return ControlMessage.heartbeat(HeartbeatReport(runningAttempt: own, progress: 2)).frame()
            case .anotherWorkersAttempt: return finished(other, fine)
            case .negativeStatistics:
                var statistics = AttemptStatistics()
                statistics.recordsIn = -1
                return finished(own, fine, statistics)
            case .negativePartitionSize: return finished(own, TaskReport(partitionSizes: [-1, 0, 0], counters: []).wireEncoded())
            case .absurdPartitionSize: return finished(own, TaskReport(partitionSizes: [Int.max, 0, 0], counters: []).wireEncoded())
            case .wrongPartitionCount: return finished(own, TaskReport(partitionSizes: [0], counters: []).wireEncoded())
            case .overflowingCounter:
                return finished(own, TaskReport(partitionSizes: [0, 0, 0], counters: [Pair("map.input.records", Int.max)]).wireEncoded())
            case .garbagePayload: return finished(own, Array("GET / HTTP/1.1\r\n\r\n".utf8))
            case .undecodableFrame: return Frame(kind: MessageKind.finished.rawValue, payload: [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01])
            case .unknownFrameKind: return Frame(kind: 250, payload: [1, 2, 3])
            case .partFileDigestFromAMapTask:
                var statistics = AttemptStatistics()
                statistics.output = OutputDigest(size: 10, checksum: 1)
                return finished(own, fine, statistics)
            }
        }
    }

    @Test func everyMalformedMessageKindCostsOnlyTheSendersMembership() throws {
        let dir = try TemporaryDirectory()
        let files = try TextFixtures.write(into: dir.file("in"), seed: 99)
        let secret = Array("0123456789abcdef0123456789abcdef".utf8)
        try Data(secret).write(to: URL(fileURLWithPath: dir.file("secret")))
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: dir.file("secret"))
        let kinds = BadMessage.allCases
        let coordinator = try SpindleProcess.start(
            ["run", "wordcount", "--input", dir.file("in"), "--output", dir.file("out"), "--listen", "127.0.0.1:0", "--workers", "1",
             "--expect-workers", "\(kinds.count + 1)", "--secret-file", dir.file("secret"), "--split-size", "8KiB", "--reducers", "3",
             "--heartbeat-timeout", "30s", "--event-log", dir.file("events.jsonl")],
            in: dir.path, name: "coordinator")
        let log = EventLogReader(path: dir.file("events.jsonl"))
        #expect(eventually(within: .seconds(30)) { log.listenAddress() != nil })
        let listen = try #require(log.listenAddress())
        let address = try #require(HostPort.parse(listen))
        let fakes = try kinds.map { _ in try FakeWorker(coordinator: address, secret: secret) }
        defer { for fake in fakes { fake.close() } }
        // The job starts once every fake has registered; each is handed a map attempt.
        var attempts: [AttemptID] = []
        for fake in fakes {
            guard case .registered = try #require(try fake.next()) else { Issue.record("not registered"); return }
        }
        for fake in fakes {
            guard case .assign(let assignment) = try #require(try fake.next()) else { Issue.record("no assignment"); return }
            attempts.append(assignment.attempt)
        }
        for (i, (fake, kind)) in zip(fakes, kinds).enumerated() {
            let other = attempts[(i + 1) % attempts.count]
            try fake.connection.send(kind.frame(own: attempts[i], other: other))
            #expect(fake.waitUntilDisconnected(), "the coordinator kept a worker that sent \(kind)")
        }
        let result = try coordinator.finish()
        #expect(result.exitCode == 0, "stderr: \(result.stderr)")
        let output = JobOutput(directory: dir.file("out"))
        #expect(output.succeeded)
        #expect(try output.lines().sorted() == (try MapReduceOracle.wordCount(files, lowercase: false)).sorted())
        let lost = log.events(named: "worker_lost")
        for (fake, kind) in zip(fakes, kinds) {
            let event = lost.first { $0["peer"] as? String == fake.localAddress }
            let cause = event?["cause"] as? String ?? ""
            #expect(cause.contains("invalid message") || cause.contains("broke the protocol"), "\(kind): \(String(describing: event))")
        }
        #expect(lost.count == kinds.count, "\(lost)")
    }
}
