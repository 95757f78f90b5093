import SpindleCore
import SpindlePosix

/// The coordinator side of a superstep job, Pregel (``PregelEngine``) or BSP (``BSPEngine``). Stages: `load`
/// (parse splits of the input, shuffle records to their partitions), `prepare` (each partition's owner builds
/// its state), `resolve` (Pregel jobs with a combiner only), one stage per superstep (the barrier is the stage's
/// end: aggregators are folded, master compute runs, and the driver decides to continue, checkpoint or halt),
/// and `output`.
///
/// Partitions are pinned to owners. When an owner dies, its partitions move to survivors, the stage in
/// flight is abandoned, and every partition rolls back to the last committed checkpoint (or to superstep
/// 0 when there is none) under a new epoch, so late results of the old epoch are rejected.
final class SuperstepDriver: JobDriver {
    static let loadStage = 0

    /// Which engine runs on the workers; decides the names of the job's counters.
    enum Model {
        /// ``PregelEngine``: task reports count vertices and edges.
        case pregel
        /// ``BSPEngine``: each partition reports one "vertex" (so `totalVertices` is the partition count and
        /// `activeVertices` the partitions that did not vote to halt), and load tasks report input records as edges.
        case bsp
    }

    private enum StageRole {
        case load
        case prepare(restore: CheckpointManifest?)
        case resolve(restore: CheckpointManifest?, prepareStage: Int)
        case superstep(Int, inbox: InboxPlan, checkpoint: String?)
        case output
    }
    private enum InboxPlan {
        case none
        case previousStage(Int)
        case checkpoint(String)
    }

    private let setup: DriverSetup
    private let aggregators: [Aggregator]
    private let master: (@Sendable (inout MasterContext) -> Void)?
    /// Whether partitions resolve message targets into dense slots after preparing (jobs with a combiner).
    private let resolvesMessageTargets: Bool
    private let model: Model
    private let splits: [InputSplit]
    private let partitions: Int
    private let checkpointEvery: Int
    private let maxSupersteps: Int
    private let checkpointRoot: String
    private(set) var engineSettings: [UInt8] = []
    private var owners: [WorkerID] = []
    private var epoch = 0
    private var totalVertices: Int?
    private var roles: [Int: StageRole] = [:]
    private var currentStage = SuperstepDriver.loadStage
    private var loadOutputs: [(attempt: AttemptID, worker: WorkerID, sizes: [Int])?]
    private var exchangeAddresses: [WorkerID: HostPort] = [:]
    /// Reports of the partitions of each superstep stage, with where their messages are.
    private var superstepReports: [Int: [(attempt: AttemptID, worker: WorkerID, report: PartitionReport)?]] = [:]
    private var previousAggregates: AggregatorValues
    private var globals: [String: Double] = [:]
    private var checkpoints: [Int] = []
    private var finished = false
    private var edges = 0
    private var skippedLines = 0
    private var supersteps = 0
    private var rollbacks = 0
    private var messagesTotal = 0
    /// Why and after which superstep the job stopped, once it did.
    private var stopped: (reason: StopReason, superstep: Int)?

    init(
        setup: DriverSetup, aggregators: [Aggregator], master: (@Sendable (inout MasterContext) -> Void)?, resolvesMessageTargets: Bool,
        model: Model = .pregel
    ) {
        self.resolvesMessageTargets = resolvesMessageTargets
        self.model = model
        self.setup = setup
        self.aggregators = aggregators
        self.master = master
        let total = setup.inputs.reduce(0) { $0 + $1.size }
        splits = InputSplitter.split(
            setup.inputs, splitSize: setup.splitSize ?? InputSplitter.defaultSplitSize(totalBytes: total, workers: setup.workerCount))
        partitions = setup.partitions ?? max(1, 4 * setup.workerCount)
        checkpointEvery = setup.checkpointEvery
        maxSupersteps = setup.maxSupersteps
        checkpointRoot = setup.output.temporaryDirectory + "/checkpoints"
        loadOutputs = Array(repeating: nil, count: splits.count)
        previousAggregates = AggregatorValues(aggregators)
        engineSettings = SuperstepSettings(
            partitions: partitions, bufferBytes: max(1 << 20, setup.memoryBudget / 2), maxRecord: setup.maxRecord,
            skipBadRecords: setup.skipBadRecords, outputDirectory: setup.output.directory, checkpointDirectory: checkpointRoot
        ).wireEncoded()
    }

    func start(_ control: any DriverControl) throws {
        try FileSystem.createDirectory(checkpointRoot, intermediate: true)
        let stage = control.addStage(taskCount: splits.count, locationBound: true, name: "load", placement: nil)
        precondition(stage == Self.loadStage)
        roles[stage] = .load
    }

    func describe(_ task: TaskID) -> String {
        switch roles[task.stage] {
        case .load?: return "load task \(task.index) (input \(splits[task.index].summary))"
        case .prepare?: return "prepare task of partition \(task.index)"
        case .resolve?: return "resolve task of partition \(task.index)"
        case .superstep(let s, _, _)?: return "superstep \(s) of partition \(task.index)"
        case .output?: return "output task of partition \(task.index)"
        case nil: return "task \(task)"
        }
    }

    func payload(for task: TaskID) -> [UInt8] {
        guard let role = roles[task.stage] else { return [] }
        var payload = PartitionTask(kind: .prepare, partition: task.index, epoch: epoch)
        switch role {
        case .load:
            return splits[task.index].wireEncoded()
        case .prepare(let restore):
            payload.loadSources = loadSources(for: task.index)
            payload.ahead = nextOwned(after: task.index).map { FetchAhead(partition: $0, sources: loadSources(for: $0)) }
            if let restore {
                payload.restoreStatePath = CheckpointStore.statePath(
                    CheckpointStore.directory(root: checkpointRoot, superstep: restore.superstep), partition: task.index)
                payload.superstep = restore.superstep
            }
        case .resolve(_, let prepareStage):
            payload.kind = .resolve
            payload.inbox = .exchange(sources(of: prepareStage, for: task.index))
            payload.ahead = nextOwned(after: task.index).map { FetchAhead(partition: $0, sources: sources(of: prepareStage, for: $0)) }
        case .superstep(let s, let inbox, let checkpoint):
            payload.kind = .superstep
            payload.superstep = s
            payload.totalVertices = totalVertices ?? 0
            payload.aggregates = previousAggregates.values
            payload.globals = globals.sorted { $0.key < $1.key }.map { Pair($0.key, $0.value) }
            payload.checkpointDirectory = checkpoint
            switch inbox {
            case .none:
                payload.initialize = true
            case .checkpoint(let dir):
                payload.inbox = .checkpoint((0..<partitions).map { CheckpointStore.messagesPath(dir, partition: $0) })
            case .previousStage(let stage):
                payload.inbox = .exchange(sources(of: stage, for: task.index))
                payload.ahead = nextOwned(after: task.index).map { FetchAhead(partition: $0, sources: sources(of: stage, for: $0)) }
            }
        case .output:
            payload.kind = .output
        }
        return payload.wireEncoded()
    }

    func validate(_ result: AttemptResult, of task: TaskID) -> ReportCheck {
        guard let report = try? WireReader.decode(PartitionReport.self, from: result.payload) else {
            return .rejected(reason: "its report of \(describe(task)) does not decode")
        }
        let expectedSizes: Set<Int>
        switch roles[task.stage] {
        case .load?, .superstep?: expectedSizes = [partitions]
        case .prepare?: expectedSizes = resolvesMessageTargets ? [partitions] : [0]
        case .resolve?, .output?, nil: expectedSizes = [0]
        }
        guard expectedSizes.contains(report.partitionSizes.count) else {
            return .rejected(reason: "it reported \(report.partitionSizes.count) partition sizes for \(describe(task)), expected \(expectedSizes.sorted()[0])")
        }
        let counts = [
            ("vertices", report.members), ("edges", report.records), ("active vertices", report.activeMembers),
            ("messages sent", report.messagesSent), ("skipped lines", report.skippedRecords),
        ]
        for (name, value) in counts {
            if case .rejected(let reason) = ReportLimits.checkCount(value, name) { return .rejected(reason: reason) }
        }
        if case .rejected(let reason) = ReportLimits.checkCounts(report.partitionSizes, "partition sizes") { return .rejected(reason: reason) }
        guard report.activeMembers <= report.members else {
            return .rejected(reason: "it reported \(report.activeMembers) active of \(report.members) vertices")
        }
        if case .superstep? = roles[task.stage] {
            guard report.aggregates.count == aggregators.count, !report.aggregates.contains(where: \.isNaN) else {
                return .rejected(reason: "it reported \(report.aggregates.count) aggregator values (NaN or not \(aggregators.count))")
            }
        } else if !report.aggregates.isEmpty {
            return .rejected(reason: "it reported aggregator values for \(describe(task)), which has none")
        }
        return .accepted
    }

    func committed(_ task: TaskID, attempt: AttemptID, worker: WorkerID, result: AttemptResult, control: any DriverControl) throws {
        let report = try WireReader.decode(PartitionReport.self, from: result.payload)
        if let address = control.exchangeAddress(of: worker) { exchangeAddresses[worker] = address }
        switch roles[task.stage] {
        case .load?:
            if loadOutputs[task.index] == nil {
                edges += report.records
                skippedLines += report.skippedRecords
            }
            loadOutputs[task.index] = (attempt, worker, report.partitionSizes)
        case .superstep?:
            superstepReports[task.stage, default: Array(repeating: nil, count: partitions)][task.index] = (attempt, worker, report)
        case .prepare?, .resolve?:
            superstepReports[task.stage, default: Array(repeating: nil, count: partitions)][task.index] = (attempt, worker, report)
        case .output?:
            let name = OutputCommitter.partName(task.index)
            try setup.output.commit(temporaryPath: setup.output.temporaryPath(attempt: attempt, name: name), as: name)
        case nil:
            break
        }
    }

    func stageCompleted(_ stage: Int, control: any DriverControl) throws {
        guard stage == currentStage, let role = roles[stage] else { return }
        switch role {
        case .load:
            owners = assignOwners(control.liveWorkers)
            addPrepare(restore: nil, control: control)
        case .prepare(let restore):
            let vertices = (superstepReports[stage] ?? []).reduce(0) { $0 + ($1?.report.members ?? 0) }
            if let known = totalVertices, known != vertices {
                throw TaskFailure("the graph has \(vertices) vertices after recovery but had \(known) before")
            }
            totalVertices = vertices
            if resolvesMessageTargets {
                currentStage = control.addStage(taskCount: partitions, locationBound: false, name: "resolve", placement: owners)
                roles[currentStage] = .resolve(restore: restore, prepareStage: stage)
            } else {
                startSupersteps(after: restore, control: control)
            }
        case .resolve(let restore, let prepareStage):
            superstepReports[prepareStage] = nil
            startSupersteps(after: restore, control: control)
        case .superstep(let s, _, let checkpoint):
            try finishSuperstep(s, stage: stage, checkpoint: checkpoint, control: control)
        case .output:
            control.releaseStage(Self.loadStage)
            finished = true
            control.finish()
        }
    }

    /// Adds the first superstep: the one after the restored checkpoint, or superstep 0.
    private func startSupersteps(after restore: CheckpointManifest?, control: any DriverControl) {
        if let restore {
            let dir = CheckpointStore.directory(root: checkpointRoot, superstep: restore.superstep)
            addSuperstep(restore.superstep + 1, inbox: .checkpoint(dir), control: control)
        } else {
            addSuperstep(0, inbox: .none, control: control)
        }
    }

    /// Where the load outputs hold partition `partition`'s edges.
    private func loadSources(for partition: Int) -> [SegmentSource] {
        loadOutputs.enumerated().compactMap { index, output in
            guard let output, let address = exchangeAddresses[output.worker] else { return nil }
            return SegmentSource(
                producer: index, attempt: output.attempt, host: address.host, port: address.port, bytes: output.sizes[partition])
        }
    }

    /// The partition after `partition` with the same owner: the one its worker runs next in a stage (a worker
    /// is given its partitions' tasks in index order).
    private func nextOwned(after partition: Int) -> Int? {
        guard partition < owners.count else { return nil }
        return (partition + 1..<owners.count).first { owners[$0] == owners[partition] }
    }

    /// Where the outputs of `stage` (one task per partition) hold partition `partition`'s data.
    private func sources(of stage: Int, for partition: Int) -> [SegmentSource] {
        (superstepReports[stage] ?? []).enumerated().compactMap { q, entry -> SegmentSource? in
            guard let entry, let address = exchangeAddresses[entry.worker] else { return nil }
            return SegmentSource(
                producer: q, attempt: entry.attempt, host: address.host, port: address.port, bytes: entry.report.partitionSizes[partition])
        }
    }

    func workerLost(_ worker: WorkerID, control: any DriverControl) throws {
        guard !finished, !owners.isEmpty, owners.contains(worker) else { return }
        let live = control.liveWorkers
        guard !live.isEmpty else { throw TaskFailure("every worker was lost; no partition can be placed") }
        var load = Dictionary(grouping: owners.filter { live.contains($0) }, by: { $0 }).mapValues(\.count)
        for w in live where load[w] == nil { load[w] = 0 }
        for p in owners.indices where owners[p] == worker {
            let target = live.min { (load[$0]!, $0) < (load[$1]!, $1) }!
            owners[p] = target
            load[target]! += 1
        }
        control.abandonStage(currentStage)
        rollbacks += 1
        epoch += 1
        let restore = latestValidCheckpoint()
        if let restore {
            setup.events.record(
                "rollback", [("to_superstep", .int(restore.superstep)), ("epoch", .int(epoch)), ("lost", .int(Int(worker.rawValue)))])
            setup.console.log("\(worker) owned partitions: rolling back to the checkpoint of superstep \(restore.superstep)")
            previousAggregates = AggregatorValues(values: restore.aggregates)
            globals = Dictionary(uniqueKeysWithValues: restore.globals.map { ($0.first, $0.second) })
        } else {
            setup.events.record("rollback", [("to_superstep", .int(-1)), ("epoch", .int(epoch)), ("lost", .int(Int(worker.rawValue)))])
            setup.console.log("\(worker) owned partitions and there is no checkpoint: restarting from superstep 0 on the survivors")
            previousAggregates = AggregatorValues(aggregators)
            globals = [:]
        }
        addPrepare(restore: restore, control: control)
    }

    func finalize(summary: JobSummary) throws -> [(String, Int)] {
        let counters: [(String, Int)]
        switch model {
        case .pregel:
            counters = [
                ("graph.vertices", totalVertices ?? 0), ("graph.edges", edges), ("input.skipped.records", skippedLines),
                ("pregel.supersteps", supersteps), ("pregel.rollbacks", rollbacks), ("pregel.messages", messagesTotal),
                ("pregel.checkpoints", checkpoints.count),
            ]
        case .bsp:
            counters = [
                ("input.records", edges), ("input.skipped.records", skippedLines), ("bsp.partitions", partitions),
                ("bsp.supersteps", supersteps), ("bsp.rollbacks", rollbacks), ("bsp.messages", messagesTotal),
                ("bsp.checkpoints", checkpoints.count),
            ]
        }
        var record = successRecord(setup: setup, summary: summary, counters: counters)
        if case .object(var fields) = record {
            fields.append(("aggregators", .object(zip(aggregators, previousAggregates.values).map { ($0.name, .double($1)) })))
            if let stopped {
                fields.append(("stoppedBy", .string(stopped.reason.rawValue)))
                fields.append(("lastSuperstep", .int(stopped.superstep)))
            }
            record = .object(fields)
        }
        try setup.output.succeed(record)
        return counters
    }

    // MARK: Stages

    private func assignOwners(_ live: [WorkerID]) -> [WorkerID] {
        (0..<partitions).map { live[$0 % live.count] }
    }

    private func addPrepare(restore: CheckpointManifest?, control: any DriverControl) {
        currentStage = control.addStage(taskCount: partitions, locationBound: false, name: "prepare", placement: owners)
        roles[currentStage] = .prepare(restore: restore)
    }

    private func addSuperstep(_ s: Int, inbox: InboxPlan, control: any DriverControl) {
        let checkpoint: String? =
            checkpointEvery > 0 && (s + 1) % checkpointEvery == 0 ? CheckpointStore.directory(root: checkpointRoot, superstep: s) : nil
        if let checkpoint { try? FileSystem.createDirectory(checkpoint, intermediate: true) }
        currentStage = control.addStage(taskCount: partitions, locationBound: false, name: "superstep \(s)", placement: owners)
        roles[currentStage] = .superstep(s, inbox: inbox, checkpoint: checkpoint)
    }

    private func finishSuperstep(_ s: Int, stage: Int, checkpoint: String?, control: any DriverControl) throws {
        supersteps += 1
        let reports = (superstepReports[stage] ?? []).compactMap { $0?.report }
        var aggregates = AggregatorValues(aggregators)
        for r in reports { aggregates.fold(AggregatorValues(values: r.aggregates), with: aggregators) }
        let active = reports.reduce(0) { $0 + $1.activeMembers }
        let messages = reports.reduce(0) { $0 + $1.messagesSent }
        messagesTotal += messages
        var context = MasterContext(
            superstep: s, totalVertices: totalVertices ?? 0, activeVertices: active, messagesSent: messages,
            aggregates: Dictionary(uniqueKeysWithValues: zip(aggregators.map(\.name), aggregates.values)), globals: globals)
        master?(&context)
        globals = context.globals
        previousAggregates = aggregates
        setup.events.record(
            "superstep",
            [("superstep", .int(s)), ("active", .int(active)), ("messages", .int(messages)), ("epoch", .int(epoch))]
                + zip(aggregators, aggregates.values).map { ("aggregate." + $0.name, JSONValue.double($1)) })
        if let checkpoint {
            try CheckpointStore.writeManifest(
                checkpoint,
                CheckpointManifest(
                    superstep: s, totalVertices: totalVertices ?? 0, partitions: partitions, aggregates: aggregates.values,
                    globals: globals.sorted { $0.key < $1.key }.map { Pair($0.key, $0.value) }))
            checkpoints.append(s)
            setup.events.record("checkpoint", [("superstep", .int(s))])
            // Keep the last two committed checkpoints: the newest may turn out damaged.
            while checkpoints.count > 2 {
                try FileSystem.removeTree(CheckpointStore.directory(root: checkpointRoot, superstep: checkpoints.removeFirst()))
            }
        }
        superstepReports[stage - 1] = nil
        if let stop = StopReason(active: active, messages: messages, masterHalted: context.halt, superstep: s, maxSupersteps: maxSupersteps) {
            stopped = (stop, s)
            setup.events.record("stopped", [("by", .string(stop.rawValue)), ("superstep", .int(s))])
            if stop == .maxSupersteps {
                setup.console.log(
                    "stopped by --max-supersteps after superstep \(s) (\(s + 1) supersteps) with \(active) \(model == .pregel ? "vertices" : "partitions") "
                        + "still active and \(messages) messages in flight: the result is not converged; raise --max-supersteps to run longer")
            }
            currentStage = control.addStage(taskCount: partitions, locationBound: false, name: "output", placement: owners)
            roles[currentStage] = .output
        } else {
            addSuperstep(s + 1, inbox: .previousStage(stage), control: control)
        }
    }

    /// The newest checkpoint whose files (its manifest included) are all present and intact; older ones are
    /// tried when it is not. Damaged checkpoints are removed: the replay writes them again.
    private func latestValidCheckpoint() -> CheckpointManifest? {
        while let s = checkpoints.last {
            let dir = CheckpointStore.directory(root: checkpointRoot, superstep: s)
            do {
                return try CheckpointStore.verify(dir, superstep: s, partitions: partitions, aggregators: aggregators.count)
            } catch {
                setup.events.record("checkpoint_corrupt", [("superstep", .int(s)), ("cause", .string("\(error)"))])
                setup.console.log("the checkpoint of superstep \(s) is damaged (\(error)); trying the one before it")
                checkpoints.removeLast()
                try? FileSystem.removeTree(dir)
            }
        }
        return nil
    }
}
