import Foundation
import SpindlePosix
import Testing

/// Where a graph job's checkpoints go, decided by checking (`--checkpoint-store auto`, the default): two remote
/// workers, one of which cannot see the output directory (`SPINDLE_TEST_STORAGE=no-output`), each report what they
/// found; with no flag the checkpoints are kept by the workers, and with `--checkpoint-store output` the blind
/// worker owns no partition. Either way the output equals the sequential reference.
@Suite(.serialized) struct CheckpointStoreChoiceTests {
    private let secret = ["SPINDLE_SECRET": "correct horse battery staple"]

    struct Run {
        /// Kept while the run is checked (the directory goes with it).
        let dir: TemporaryDirectory
        let log: EventLogReader
        let output: String
        let graph: String
        /// The worker that reported not seeing the output.
        let blind: Int?
    }

    /// PageRank with checkpoints every 2 supersteps on a blind and a sighted remote worker, with `options`.
    private func run(_ options: [String]) throws -> Run {
        let dir = try TemporaryDirectory()
        let graph = try GraphFixtures.write(
            GraphFixtures.snapText(GraphFixtures.rmat(scale: 8, edgeFactor: 8, seed: 29), title: "choice"), to: dir.file("g/g.txt"))
        let coordinator = try SpindleProcess.start(
            [
                "run", "pagerank", "--input", dir.file("g"), "--output", dir.file("out"), "--listen", "127.0.0.1:0", "--expect-workers", "2",
                "--split-size", "16KiB", "--partitions", "4", "--checkpoint-every", "2", "--event-log", dir.file("events.jsonl"), "--ui", "off",
            ] + options,
            environment: secret, in: dir.path, name: "coordinator")
        let log = EventLogReader(path: dir.file("events.jsonl"))
        #expect(eventually(within: .seconds(20)) { log.listenAddress() != nil })
        let address = try #require(log.listenAddress())
        let blind = try SpindleProcess.start(
            ["worker", "--coordinator", address], environment: secret.merging(["SPINDLE_TEST_STORAGE": "no-output"]) { $1 }, in: dir.path,
            name: "blind")
        let sighted = try SpindleProcess.start(["worker", "--coordinator", address], environment: secret, in: dir.path, name: "sighted")
        let result = try coordinator.finish()
        #expect(result.exitCode == 0, "stderr: \(result.stderr)")
        _ = try blind.finish(timeout: .seconds(10))
        _ = try sighted.finish(timeout: .seconds(10))
        let reports = log.events(named: "worker_storage")
        #expect(reports.count == 2, "\(reports)")
        let blindWorker = reports.first { $0["sees_output"] as? Bool == false }?["worker"] as? Int
        return Run(dir: dir, log: log, output: dir.file("out"), graph: graph, blind: blindWorker)
    }

    private func expectExact(_ run: Run) throws {
        let actual = try PregelOutput.numbers(try JobOutput(directory: run.output).lines())
        #expect(PregelOutput.rankMismatches(expected: PregelOracle.pagerank(try OracleGraph(contentsOf: run.graph)), actual: actual) == [])
    }

    @Test func withoutAFlagAWorkerThatCannotSeeTheOutputMakesTheWorkersKeepTheCheckpoints() throws {
        let run = try run([])
        try expectExact(run)
        let blind = try #require(run.blind)
        let choice = try #require(run.log.events(named: "checkpoint_store").first)
        #expect(choice["store"] as? String == "workers" && choice["setting"] as? String == "auto", "\(choice)")
        #expect(choice["workers_without_output"] as? [Int] == [blind])
        let checkpoints = run.log.events(named: "checkpoint")
        #expect(!checkpoints.isEmpty && checkpoints.allSatisfy { $0["store"] as? String == "workers" }, "\(checkpoints)")
        // Both workers own partitions (and write their checkpoints into their scratch).
        let superstepTasks = run.log.events(named: "attempt_started").filter { ($0["task"] as? String)?.hasPrefix("superstep ") == true }
        let owners = Set(superstepTasks.compactMap { $0["worker"] as? Int })
        #expect(owners.count == 2, "\(owners)")
    }

    @Test func withCheckpointsUnderTheOutputTheWorkerThatCannotSeeItOwnsNoPartition() throws {
        let run = try run(["--checkpoint-store", "output"])
        try expectExact(run)
        let blind = try #require(run.blind)
        #expect(run.log.events(named: "checkpoint_store").first?["store"] as? String == "output")
        let partitionTasks = run.log.events(named: "attempt_started").filter {
            guard let task = $0["task"] as? String else { return false }
            return !task.hasPrefix("load task")
        }
        #expect(!partitionTasks.isEmpty)
        let onBlind = partitionTasks.filter { $0["worker"] as? Int == blind }
        #expect(onBlind.isEmpty, "the blind worker ran \(onBlind)")
    }
}
