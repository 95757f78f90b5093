import Foundation
import SpindlePosix
import Testing

@testable import Spindle

/// A worker whose scratch disk fails in the middle of a superstep job is excluded (its partition tasks fail
/// while the other workers' tasks of the same stages commit), and its partitions move: they are restored on the
/// healthy workers from the newest checkpoint, the excluded worker is told to release them and gets no further
/// task, and the output equals a failure-free run's.
@Suite(.serialized) struct ExcludedOwnerTests {
    private struct Run {
        let dir: TemporaryDirectory
        let log: EventLogReader
        let result: ProcessResult
        let victim: Int
    }

    private func superstep(of event: [String: Any]) -> Int? {
        guard let task = event["task"] as? String, task.hasPrefix("superstep ") else { return nil }
        return Int(task.dropFirst("superstep ".count).prefix { $0.isNumber })
    }

    /// Runs `job` with 3 local workers (6 partitions) whose scratch root is private to the test, waits until
    /// superstep 2 started, then breaks the scratch directory of the worker of the newest attempt: it becomes a
    /// regular file, so every file the worker creates there fails (ENOTDIR), as on a failed disk.
    private func runBreakingScratch(job: String, input: String, extra: [String]) throws -> Run {
        let dir = try TemporaryDirectory()
        let scratchRoot = dir.file("tmp")
        try FileManager.default.createDirectory(atPath: scratchRoot, withIntermediateDirectories: true)
        let log = EventLogReader(path: dir.file("events.jsonl"))
        let coordinator = try TestJobsBinary.start(
            [
                "run", job, "--input", input, "--output", dir.file("out"), "--workers", "3", "--partitions", "6",
                "--checkpoint-every", "3", "--exclude-after", "2", "--event-log", dir.file("events.jsonl"),
            ] + extra,
            environment: ["TMPDIR": scratchRoot], in: dir.path, name: "coordinator")
        let began = eventually(within: .seconds(60)) { log.events(named: "attempt_started").contains { superstep(of: $0) == 2 } }
        #expect(began, "superstep 2 never started: \(log.events().suffix(5))")
        let newest = try #require(log.events(named: "attempt_started").last)
        let victim = try #require(newest["worker"] as? Int)
        let pid = try #require(log.workerPIDs()[victim])
        let scratch = try #require(
            try FileManager.default.contentsOfDirectory(atPath: scratchRoot).map { "\(scratchRoot)/\($0)" }.first {
                ScratchDirectory.owner(of: $0)?.pid == pid
            }, "no scratch directory of worker \(victim) (pid \(pid)) in \(scratchRoot)")
        // Renamed away, not removed: the worker may be creating files in it meanwhile, which a recursive removal
        // races with (its last rmdir fails).
        try FileSystem.rename(scratch, to: scratch + ".failed")
        #expect(FileManager.default.createFile(atPath: scratch, contents: Data("a failed disk".utf8)))
        let result = try coordinator.finish(timeout: .seconds(120))
        return Run(dir: dir, log: log, result: result, victim: victim)
    }

    /// The victim was excluded, released its partitions, ran nothing after, and its partitions ran elsewhere.
    private func expectPartitionsMoved(_ run: Run) throws {
        let events = run.log.events()
        let excluded = run.log.events(named: "worker_excluded")
        #expect(excluded.map { $0["worker"] as? Int } == [run.victim], "\(excluded)")
        let released = try #require(run.log.events(named: "partitions_released").first, "no partitions_released event")
        #expect(released["worker"] as? Int == run.victim)
        let partitions = try #require(released["partitions"] as? [Int])
        #expect(partitions.count == 2, "the victim owned 2 of 6 partitions: \(partitions)")
        let at = try #require(events.firstIndex { $0["event"] as? String == "partitions_released" })
        let later = events[at...].filter { $0["event"] as? String == "attempt_started" }
        #expect(!later.contains { $0["worker"] as? Int == run.victim }, "the excluded worker got a task after its exclusion")
        for p in partitions {
            let elsewhere = later.filter { ($0["task"] as? String)?.hasSuffix("of partition \(p)") == true }
            #expect(!elsewhere.isEmpty, "partition \(p) never ran again after the exclusion")
        }
        let rollback = try #require(run.log.events(named: "rollback").first)
        #expect(rollback["lost"] as? Int == run.victim)
    }

    @Test func pregelOwnerWithAFailedScratchDiskIsExcludedAndItsPartitionsMove() throws {
        let setup = try TemporaryDirectory()
        let text = GraphFixtures.snapText(GraphFixtures.rmat(scale: 8, edgeFactor: 8, seed: 77), title: "exclusion")
        let path = try GraphFixtures.write(text, to: setup.file("g/g.txt"))
        let run = try runBreakingScratch(job: "slowpagerank-keyed", input: setup.file("g"), extra: ["--param", "delay=200ms"])
        #expect(run.result.exitCode == 0, "stderr: \(run.result.stderr)")
        let actual = try PregelOutput.numbers(JobOutput(directory: run.dir.file("out")).lines())
        #expect(PregelOutput.rankMismatches(expected: PregelOracle.pagerank(try OracleGraph(contentsOf: path)), actual: actual) == [])
        try expectPartitionsMoved(run)
    }

    @Test func bspOwnerWithAFailedScratchDiskIsExcludedAndItsPartitionsMove() throws {
        let setup = try TemporaryDirectory()
        let files = [
            try GraphFixtures.write(
                GraphFixtures.snapText(GraphFixtures.rmat(scale: 7, edgeFactor: 4, seed: 11), title: "rmat"), to: setup.file("g/a.txt")),
            try GraphFixtures.write(GraphFixtures.snapText(BSPFixtures.chain(length: 24, seed: 5), title: "chain"), to: setup.file("g/b.txt")),
        ]
        let run = try runBreakingScratch(job: "slowbspcomponents", input: setup.file("g"), extra: ["--param", "delay=200ms"])
        #expect(run.result.exitCode == 0, "stderr: \(run.result.stderr)")
        let expected = PregelOracle.connectedComponents(try OracleGraph(contentsOf: files))
        #expect(try PregelOutput.labels(JobOutput(directory: run.dir.file("out")).lines()) == expected)
        try expectPartitionsMoved(run)
    }
}
