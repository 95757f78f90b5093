import Foundation
import SpindleCore
import SpindlePosix
import Testing

/// A worker's exit code says how the job it served ended: 0 succeeded, 1 failed.
@Suite(.serialized) struct WorkerExitCodeTests {
    @Test func aRemoteWorkerExitsOneWhenTheJobItServedFailed() throws {
        let dir = try TemporaryDirectory()
        try ChecksumOracle.writeInput(dir.file("in.txt"), lines: 500, seed: 2)
        let secret = ["SPINDLE_SECRET": "correct horse battery staple"]
        let coordinator = try TestJobsBinary.start(
            ["run", "alwaysfails", "--input", dir.file("in.txt"), "--output", dir.file("out"), "--listen", "127.0.0.1:0", "--expect-workers", "1",
             "--max-attempts", "1", "--event-log", dir.file("events.jsonl")],
            environment: secret, in: dir.path, name: "coordinator")
        let log = EventLogReader(path: dir.file("events.jsonl"))
        #expect(eventually(within: .seconds(20)) { log.listenAddress() != nil })
        let address = try #require(log.listenAddress())
        let worker = try TestJobsBinary.start(["worker", "--coordinator", address], environment: secret, in: dir.path, name: "worker")
        let result = try coordinator.finish()
        #expect(result.exitCode == 1, "stderr: \(result.stderr)")
        #expect(result.stderr.contains("injected failure"), "stderr: \(result.stderr)")
        let workerResult = try worker.finish(timeout: .seconds(20))
        #expect(workerResult.exitCode == 1, "worker status \(workerResult.status), stderr: \(workerResult.stderr)")
        #expect(workerResult.stderr.contains("the job failed"), "stderr: \(workerResult.stderr)")
    }
}
