@testable import Spindle
@testable import SpindleTools
import SpindleCore
import Foundation
import SpindlePosix
import Testing

/// The shell around the barrier, driven without processes through a fake coordinator: what it writes, records
/// and fails with.
@Suite struct SuperstepDriverTests {
    /// The coordinator side the driver talks to: it numbers stages and records what it was told.
    final class FakeControl: DriverControl {
        var stages: [(name: String, taskCount: Int, placement: [WorkerID]?)] = []
        var abandoned: [Int] = []
        var released: [Int] = []
        var finished = false
        var liveWorkers: [WorkerID] = [WorkerID(1)]
        var healthyWorkers: [WorkerID] { liveWorkers }
        /// What each worker reported of its storage (every worker shares everything unless set).
        var storages: [WorkerID: WorkerStorage?] = [:]
        func storage(of worker: WorkerID) -> WorkerStorage? { storages[worker] ?? .shared }
        var releasedPartitions: [(partitions: [Int], worker: WorkerID)] = []
        func releasePartitions(_ partitions: [Int], on worker: WorkerID) { releasedPartitions.append((partitions, worker)) }

        func addStage(taskCount: Int, locationBound: Bool, name: String, placement: [WorkerID]?) -> Int {
            stages.append((name, taskCount, placement))
            return stages.count - 1
        }
        func abandonStage(_ stage: Int) { abandoned.append(stage) }
        func releaseStage(_ stage: Int) { released.append(stage) }
        var restored: [TaskID] = []
        func restoreCommitted(_ task: TaskID, attempt: AttemptID, worker: WorkerID) { restored.append(task) }
        func finish() { finished = true }
        func exchangeAddress(of worker: WorkerID) -> HostPort? { HostPort(host: "127.0.0.1", port: 7000 + UInt16(worker.rawValue)) }
    }

    /// A driver of a job with no input (an empty load stage), one partition and a `sum` aggregator `delta`.
    struct Run {
        let dir: TemporaryDirectory
        let driver: SuperstepDriver
        let control = FakeControl()
        var nextAttempt: UInt64 = 1
        var checkpointRoot: String { driver.checkpointRoot }

        init(
            checkpointEvery: Int = 0, maxSupersteps: Int = 3, master: (@Sendable (inout MasterContext) -> Void)? = nil,
            store: CheckpointStoreSetting = .auto, workers: [WorkerID] = [WorkerID(1)], storages: [WorkerID: WorkerStorage?] = [:],
            journal: Bool = false, resume: ResumePlan? = nil
        ) throws {
            dir = try TemporaryDirectory()
            let output = try OutputCommitter(
                directory: dir.file("out"), overwrite: false,
                guard: OutputGuard(homeDirectory: nil, currentDirectory: try FileSystem.realPath(dir.path), executableDirectory: nil, inputs: []))
            try output.prepare()
            let plan = JobPlan(
                job: "barrier-shell", parameters: [], inputs: [], splitSize: 1, splits: 0, reducers: 1, partitions: 1, checkpointEvery: checkpointEvery,
                maxSupersteps: maxSupersteps, checkpointStore: store)
            let setup = DriverSetup(
                job: Job(name: "barrier-shell", summary: "", parameters: [], defaultInput: nil, engine: ChecksumEngine()),
                parameters: JobParameters(pairs: []), inputs: [], output: output, workerCount: 1, splitSize: nil, memoryBudget: 1 << 20,
                maxRecord: 1 << 16, skipBadRecords: false, reducers: nil, partitions: 1, checkpointEvery: checkpointEvery,
                maxSupersteps: maxSupersteps, checkpointStore: store, events: try EventLog(path: dir.file("events.jsonl")),
                console: ConsoleReporter(quiet: true),
                journal: journal ? try CoordinatorJournal.create(at: dir.file("journal"), plan: plan, epoch: 0) : nil, resume: resume)
            driver = SuperstepDriver(setup: setup, aggregators: [.sum("delta")], master: master, resolvesMessageTargets: false, vocabulary: .pregel)
            control.liveWorkers = workers
            control.storages = storages
            try driver.start(control)
        }

        var events: EventLogReader { EventLogReader(path: dir.file("events.jsonl")) }
        var stage: Int { control.stages.count - 1 }

        /// Commits partition 0 of the stage in flight with `report` and completes the stage.
        mutating func complete(_ report: PartitionReport) throws {
            let attempt = AttemptID(nextAttempt)
            nextAttempt += 1
            let result = AttemptResult(attempt: attempt, payload: report.wireEncoded(), statistics: AttemptStatistics())
            try driver.committed(TaskID(stage: stage, index: 0), attempt: attempt, worker: WorkerID(1), result: result, control: control)
            try driver.stageCompleted(stage, control: control)
        }

        /// Completes the empty load stage and the prepare stage: superstep 0 is in flight.
        mutating func prepare() throws {
            try driver.stageCompleted(0, control: control)
            try complete(PartitionReport(members: 3, records: 2))
        }

        static let superstep = PartitionReport(partitionSizes: [0], members: 3, activeMembers: 1, messagesSent: 2, aggregates: [0.5])
    }

    @Test func aRunRecordsItsSuperstepsAndWritesSuccessAsBefore() throws {
        var run = try Run(checkpointEvery: 2, maxSupersteps: 2)
        try run.prepare()
        let payload = try WireReader.decode(PartitionTask.self, from: run.driver.payload(for: TaskID(stage: run.stage, index: 0)))
        #expect(payload.kind == .superstep && payload.initialize && payload.checkpointDirectory == nil && payload.aggregates == [0])
        try run.complete(Run.superstep)
        let second = try WireReader.decode(PartitionTask.self, from: run.driver.payload(for: TaskID(stage: run.stage, index: 0)))
        #expect(second.superstep == 1 && second.aggregates == [0.5] && second.totalVertices == 3)
        #expect(second.checkpointDirectory == CheckpointStore.directory(root: run.checkpointRoot, superstep: 1))
        #expect(FileSystem.isDirectory(second.checkpointDirectory!), "the checkpoint's directory exists before its stage runs")
        guard case .exchange(let sources) = second.inbox else {
            Issue.record("superstep 1 reads the messages of superstep 0")
            return
        }
        #expect(sources.map(\.port) == [7001] && sources.map(\.attempt) == [AttemptID(2)])
        // Superstep 1 writes the checkpoint; its partition files are missing here, which only verification checks.
        try run.complete(Run.superstep)
        #expect(FileSystem.exists(CheckpointStore.manifestPath(second.checkpointDirectory!)))
        #expect(run.control.stages.map(\.name) == ["load", "prepare", "superstep 0", "superstep 1", "output"])
        try FileSystem.writeFileAtomically(run.driver.setup.output.temporaryPath(attempt: AttemptID(4), name: "part-00000"), [])
        try run.complete(PartitionReport())
        #expect(run.control.finished && run.control.released == [0])
        let counters = try run.driver.finalize(
            summary: JobSummary(
                attempts: 4, failedAttempts: 0, workersLost: 0, elapsedSeconds: 1, stageSeconds: [], workerPeakResidentBytes: [],
                coordinatorPeakResidentBytes: 0))
        #expect(
            counters.map(\.0) == [
                "graph.vertices", "graph.edges", "input.skipped.records", "pregel.supersteps", "pregel.rollbacks", "pregel.messages",
                "pregel.checkpoints",
            ])
        #expect(counters.map(\.1) == [3, 0, 0, 2, 0, 4, 1])
        let success = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: run.dir.file("out/_SUCCESS")))) as? [String: Any]
        #expect(success?["stoppedBy"] as? String == "max-supersteps" && success?["lastSuperstep"] as? Int == 1)
        #expect((success?["aggregators"] as? [String: Any])?["delta"] as? Double == 0.5)
        #expect(run.events.events(named: "superstep").map { $0["aggregate.delta"] as? Double } == [0.5, 0.5])
        #expect(run.events.events(named: "checkpoint").map { $0["superstep"] as? Int } == [1])
        #expect(run.events.events(named: "stopped").first?["by"] as? String == "max-supersteps")
    }

    @Test func masterAskingForAnUndeclaredAggregatorFailsTheJobWithASentence() throws {
        var run = try Run(master: { master in if master.aggregated("detla") > 1 { master.halt = true } })
        try run.prepare()
        let error = #expect(throws: TaskFailure.self) { try run.complete(Run.superstep) }
        #expect(
            error?.description == "master compute asked for aggregator 'detla' after superstep 0, but the job declares 'delta': "
                + "declare it in the job's aggregators or fix the name")
    }

    @Test func aCheckpointDirectoryThatCannotBeCreatedFailsTheJobNamingIt() throws {
        var run = try Run(checkpointEvery: 1)
        let blocked = CheckpointStore.directory(root: run.checkpointRoot, superstep: 0)
        try FileSystem.writeFileAtomically(blocked, Array("not a directory".utf8))
        try run.driver.stageCompleted(0, control: run.control)
        let error = #expect(throws: TaskFailure.self) { try run.complete(PartitionReport(members: 3)) }
        #expect(error?.description.hasPrefix("cannot create the checkpoint directory \(blocked) (") == true, "\(String(describing: error))")
    }

    @Test func aLostOwnerRollsBackUnderANewEpochAndRecordsIt() throws {
        var run = try Run()
        run.control.liveWorkers = [WorkerID(1), WorkerID(2)]
        try run.prepare()
        run.control.liveWorkers = [WorkerID(2)]
        try run.driver.workerLost(WorkerID(1), control: run.control)
        #expect(run.control.abandoned == [2])
        #expect(run.control.stages.last?.name == "prepare" && run.control.stages.last?.placement == [WorkerID(2)])
        let payload = try WireReader.decode(PartitionTask.self, from: run.driver.payload(for: TaskID(stage: run.stage, index: 0)))
        #expect(payload.kind == .prepare && payload.epoch == 1 && payload.restoreStatePath == nil)
        let rollback = run.events.events(named: "rollback").first
        #expect(rollback?["to_superstep"] as? Int == -1 && rollback?["epoch"] as? Int == 1 && rollback?["lost"] as? Int == 1)
    }

    // MARK: Where checkpoints are kept

    private static let blind = WorkerStorage(readsInputs: false, seesOutput: false)
    private static let w1 = WorkerID(1), w2 = WorkerID(2)

    @Test func autoKeepsCheckpointsOnTheWorkersWhenOneCannotSeeTheOutput() throws {
        let run = try Run(checkpointEvery: 2, workers: [Self.w1, Self.w2], storages: [Self.w2: Self.blind], journal: true)
        #expect(run.driver.keepsCheckpointsOnWorkers)
        #expect(!FileSystem.exists(run.checkpointRoot), "nothing is written under the output directory")
        let event = run.events.events(named: "checkpoint_store").first
        #expect(event?["store"] as? String == "workers" && event?["setting"] as? String == "auto")
        #expect(event?["workers_without_output"] as? [Int] == [2])
        let records = try CoordinatorJournal.read(at: run.dir.file("journal")).records
        #expect(records.contains(.checkpointStoreChosen(.workers)))
    }

    @Test func autoKeepsCheckpointsUnderTheOutputWhenEveryWorkerSeesIt() throws {
        let run = try Run(checkpointEvery: 2, workers: [Self.w1, Self.w2], journal: true)
        #expect(!run.driver.keepsCheckpointsOnWorkers)
        #expect(FileSystem.isDirectory(run.checkpointRoot))
        #expect(run.events.events(named: "checkpoint_store").first?["store"] as? String == "output")
        #expect(try CoordinatorJournal.read(at: run.dir.file("journal")).records.contains(.checkpointStoreChosen(.output)))
    }

    @Test func aWorkerThatHasNotReportedItsStorageIsNotTakenToSeeTheOutput() throws {
        let run = try Run(checkpointEvery: 2, workers: [Self.w1, Self.w2], storages: [Self.w2: WorkerStorage?.none])
        #expect(run.driver.keepsCheckpointsOnWorkers)
    }

    @Test func theJobWaitsForStorageReportsOnlyWhenItsCheckpointsNeedThem() throws {
        // Before the start (the coordinator asks in its loop): the store is open, or under the output directory.
        for (store, every, waits) in [(CheckpointStoreSetting.auto, 2, true), (.output, 2, true), (.workers, 2, false), (.auto, 0, false)] {
            let dir = try TemporaryDirectory()
            let output = try OutputCommitter(
                directory: dir.file("out"), overwrite: false,
                guard: OutputGuard(homeDirectory: nil, currentDirectory: try FileSystem.realPath(dir.path), executableDirectory: nil, inputs: []))
            let setup = DriverSetup(
                job: Job(name: "barrier-shell", summary: "", parameters: [], defaultInput: nil, engine: ChecksumEngine()),
                parameters: JobParameters(pairs: []), inputs: [], output: output, workerCount: 1, splitSize: nil, memoryBudget: 1 << 20,
                maxRecord: 1 << 16, skipBadRecords: false, reducers: nil, partitions: 1, checkpointEvery: every, maxSupersteps: 3,
                checkpointStore: store, events: try EventLog(path: dir.file("events.jsonl")), console: ConsoleReporter(quiet: true))
            let driver = SuperstepDriver(setup: setup, aggregators: [], master: nil, resolvesMessageTargets: false, vocabulary: .pregel)
            #expect(driver.awaitsWorkerStorage == waits, "\(store) with --checkpoint-every \(every)")
        }
    }

    @Test func withCheckpointsUnderTheOutputAWorkerThatCannotSeeItOwnsNoPartitions() throws {
        var run = try Run(checkpointEvery: 2, store: .output, workers: [Self.w1, Self.w2], storages: [Self.w2: Self.blind])
        #expect(!run.driver.keepsCheckpointsOnWorkers)
        try run.prepare()
        #expect(run.control.stages[1].name == "prepare" && run.control.stages[1].placement == [Self.w1])
        // The owner is lost: only the blind worker is left, and the job says why it cannot go on.
        run.control.liveWorkers = [Self.w2]
        let error = #expect(throws: TaskFailure.self) { try run.driver.workerLost(Self.w1, control: run.control) }
        #expect(error?.description.hasPrefix("no live worker can own partitions: this job keeps its checkpoints under the output directory ") == true)
        #expect(error?.description.contains("worker 2 cannot see") == true, "\(String(describing: error))")
    }

    @Test func aResumeKeepsTheStoreItsJournalNames() throws {
        let plan = JobPlan(
            job: "barrier-shell", parameters: [], inputs: [], splitSize: 1, splits: 0, reducers: 1, partitions: 1, checkpointEvery: 2,
            maxSupersteps: 3, checkpointStore: .auto)
        let resume = try ResumePlan(records: [.planned(plan), .epoch(0), .checkpointStoreChosen(.workers)])
        // Every worker of the resumed run sees the output, but the interrupted run kept its checkpoints on workers.
        let run = try Run(checkpointEvery: 2, workers: [Self.w1, Self.w2], journal: true, resume: resume)
        #expect(run.driver.keepsCheckpointsOnWorkers)
        #expect(try CoordinatorJournal.read(at: run.dir.file("journal")).records.contains(.checkpointStoreChosen(.workers)) == false)
    }

    @Test func losingEveryWorkerWaitsForOneToJoinInsteadOfFailing() throws {
        let w3 = WorkerID(3)
        var run = try Run(workers: [Self.w1, Self.w2])
        try run.prepare()
        run.control.liveWorkers = [Self.w2]
        try run.driver.workerLost(Self.w1, control: run.control)
        let stages = run.control.stages.count
        // The last worker goes too (its coordinator's link went down, say): nothing to place the partitions on.
        run.control.liveWorkers = []
        try run.driver.workerLost(Self.w2, control: run.control)
        #expect(run.control.stages.count == stages, "no stage is added while no worker is left")
        #expect(run.events.events(named: "partitions_waiting").first?["lost"] as? Int == 2)
        // A worker joins (the old one, rejoining as a new member): the job rolls back onto it.
        run.control.liveWorkers = [w3]
        try run.driver.workerJoined(w3, control: run.control)
        #expect(run.control.stages.last?.name == "prepare" && run.control.stages.last?.placement == [w3])
        #expect(run.events.events(named: "rollback").map { $0["lost"] as? Int } == [1, 2])
        // Nothing is left pending: another join changes nothing.
        try run.driver.workerJoined(w3, control: run.control)
        #expect(run.control.stages.last?.placement == [w3] && run.events.events(named: "rollback").count == 2)
    }
}

