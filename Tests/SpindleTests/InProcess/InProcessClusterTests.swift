import Foundation
import Testing
import SpindleCore
import SpindlePosix
@testable import Spindle

/// The in-process mode itself: a job runs with its workers as threads over the in-memory transport, with
/// real scratch directories and a real output commit, and leaves the process as it found it.
@Suite struct InProcessClusterTests {
    @Test(arguments: [1, 2, 3])
    func wordCountRunsInProcessAndMatchesTheReference(workers: Int) throws {
        let dir = try TemporaryDirectory()
        let files = try TextFixtures.write(into: dir.file("in"), seed: 100 + UInt64(workers))
        try InProcessRun.run(
            ["wordcount", "--input", dir.file("in"), "--output", dir.file("out"), "--split-size", "8KiB", "--reducers", "3"], workers: workers)
        let output = JobOutput(directory: dir.file("out"))
        #expect(output.succeeded)
        #expect(try output.lines().sorted() == (try MapReduceOracle.wordCount(files, lowercase: false)).sorted())
        #expect(output.partFiles.count == 3)
    }

    @Test func eachWorkerJoinsOverTheInMemoryTransport() throws {
        let dir = try TemporaryDirectory()
        _ = try TextFixtures.write(into: dir.file("in"), seed: 5)
        try InProcessRun.run(
            ["wordcount", "--input", dir.file("in"), "--output", dir.file("out"), "--split-size", "8KiB", "--event-log", dir.file("events.jsonl")],
            workers: 3)
        let joined = EventLogReader(path: dir.file("events.jsonl")).events(named: "worker_joined")
        #expect(joined.count == 3)
        for event in joined {
            #expect((event["exchange"] as? String)?.hasPrefix("\(InProcessNetwork.host):") == true)
            #expect(event["pid"] as? Int == Int(SystemInfo.processID))
        }
    }

    @Test func aFailingJobReturnsItsOutcomeAndLeavesNoOutput() throws {
        let dir = try TemporaryDirectory()
        _ = try GraphFixtures.write("# header\n1 2\n2 3\n3 x4\n4 1\n", to: dir.file("g/bad.txt"))
        let outcome = try InProcessCluster.run(
            registry: InProcessRun.registry, arguments: InProcessRun.adjusted(["connectedcomponents", "--input", dir.file("g"), "--output", dir.file("out")]), workers: 2)
        guard case .failed(let error) = outcome, error.code == .badInput else {
            Issue.record("expected bad input, got \(outcome)")
            return
        }
        #expect(error.message.contains("\(dir.file("g/bad.txt")):4"))
        #expect(!FileManager.default.fileExists(atPath: dir.file("out/_SUCCESS")))
    }
}
