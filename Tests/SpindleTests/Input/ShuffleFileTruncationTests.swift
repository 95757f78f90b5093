import Foundation
import SpindleCore
import SpindlePosix
import Testing

/// `truncate` (to zero bytes) on the workers' map output files between the map and the reduce phase: no worker is killed by
/// SIGBUS; the damaged outputs are found corrupt, their map tasks run again, and the output is exact.
@Suite struct ShuffleFileTruncationTests {
    @Test func truncatedMapOutputsAreRecomputedAndNoWorkerDies() throws {
        let dir = try TemporaryDirectory()
        let files = try TextFixtures.write(into: dir.file("in"), seed: 7)
        try FileSystem.createDirectory(dir.file("tmp"), intermediate: true)
        let log = EventLogReader(path: dir.file("events.jsonl"))
        // Every reduce task waits 2 s before fetching: the window in which the map outputs are truncated.
        let job = try TestJobsBinary.start(
            [
                "run", "crashtest", "--input", dir.file("in"), "--output", dir.file("out"), "--workers", "2", "--split-size", "16KiB",
                "--reducers", "2", "--param", "crash-rate=0", "--param", "stall-rate=0", "--param", "reduce-delay=2s",
                "--event-log", dir.file("events.jsonl"),
            ],
            environment: ["TMPDIR": dir.file("tmp")], in: dir.path, name: "job")
        let mapDone = eventually(within: .seconds(60)) { !log.events(named: "stage_completed").isEmpty }
        #expect(mapDone, "the map stage completed")
        var truncated = 0
        for worker in try FileSystem.listDirectory(dir.file("tmp")) where worker.hasPrefix("spindle-worker-") {
            for name in try FileSystem.listDirectory(dir.file("tmp/\(worker)")) where name.hasSuffix("-map.out") {
                let path = dir.file("tmp/\(worker)/\(name)")
                let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
                try handle.truncate(atOffset: 0)
                try handle.close()
                truncated += 1
            }
        }
        #expect(truncated > 0, "map outputs found in the workers' scratch directories")
        let result = try job.finish()
        #expect(result.exitCode == 0, "stderr: \(result.stderr)")
        #expect(log.events(named: "worker_lost").isEmpty, "no worker died: \(log.events(named: "worker_lost"))")
        #expect(!log.events(named: "output_lost").isEmpty, "the truncated outputs were found damaged and recomputed")
        let expected = try MapReduceOracle.wordCount(files, lowercase: false).sorted()
        #expect(try JobOutput(directory: dir.file("out")).lines().sorted() == expected)
    }
}
