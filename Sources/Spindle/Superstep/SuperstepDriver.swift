import SpindleCore
import SpindlePosix

/// The coordinator side of a superstep job, Pregel (``PregelEngine``) or BSP (``BSPEngine``): a thin shell
/// around a ``SuperstepBarrier``, which takes every decision (stages, owners, checkpoints, stopping, rollback).
/// The driver turns the coordinator's callbacks into barrier inputs and carries out the barrier's directives:
/// it adds and abandons stages, writes, verifies and prunes checkpoints, commits part files, runs master
/// compute, records events, and builds each task's payload from the barrier's plan.
final class SuperstepDriver: JobDriver {
    static let loadStage = SuperstepBarrier.loadStage

    let setup: DriverSetup
    let aggregators: [Aggregator]
    let master: (@Sendable (inout MasterContext) -> Void)?
    let splits: [InputSplit]
    let checkpointRoot: String
    private(set) var engineSettings: [UInt8] = []
    var barrier: SuperstepBarrier
    /// Where each worker that committed a task serves its outputs, learnt at commit.
    var exchangeAddresses: [WorkerID: HostPort] = [:]
    /// While a resume declares the old owners lost: the checkpoints verified so far, by superstep.
    private var resumeVerified: [Int: CheckpointManifest]?
    /// `--checkpoint-store auto` until ``start(_:)`` decides it from the workers' storage; nil once the store is
    /// known (fixed by the user, or by the journal of the run this one resumes).
    var undecidedStore: CheckpointStoreSetting?
    /// Whether this run journals the store it uses (a resumed run whose journal names one does not).
    let journalsStore: Bool
    /// Owners lost when no worker was left, in order: their losses reach the barrier when one joins
    /// (``workerJoined(_:control:)``).
    var pendingLosses: [WorkerID] = []

    /// - Parameters:
    ///   - resolvesMessageTargets: whether partitions resolve message targets into dense slots after preparing
    ///     (Pregel jobs with a combiner).
    ///   - vocabulary: the engine's names for its counters and members.
    init(
        setup: DriverSetup, aggregators: [Aggregator], master: (@Sendable (inout MasterContext) -> Void)?, resolvesMessageTargets: Bool,
        vocabulary: SuperstepVocabulary
    ) {
        self.setup = setup
        self.aggregators = aggregators
        self.master = master
        let total = setup.inputs.reduce(0) { $0 + $1.size }
        splits = InputSplitter.split(
            setup.inputs, splitSize: setup.splitSize ?? InputSplitter.defaultSplitSize(totalBytes: total, workers: setup.workerCount))
        let partitions = setup.partitions ?? max(1, 4 * setup.workerCount)
        checkpointRoot = setup.output.temporaryDirectory + "/checkpoints"
        // A resume keeps the interrupted run's store: its barrier replays stages planned for it. A journal that
        // predates the record had `output` by default. Otherwise `auto` waits for the workers (``start(_:)``).
        let resumed = setup.resume.flatMap { $0.barrierInputs.isEmpty ? nil : ($0.checkpointStore ?? setup.checkpointStore.fixed ?? .output) }
        let known = setup.resume?.checkpointStore ?? resumed ?? setup.checkpointStore.fixed
        undecidedStore = known == nil ? setup.checkpointStore : nil
        journalsStore = setup.resume?.chosenCheckpointStore == nil
        barrier = SuperstepBarrier(
            settings: BarrierSettings(
                splits: splits.count, partitions: partitions, checkpointEvery: setup.checkpointEvery, maxSupersteps: setup.maxSupersteps,
                aggregators: aggregators.map(\.name), resolvesMessageTargets: resolvesMessageTargets, vocabulary: vocabulary,
                recovery: setup.recovery, checkpointStore: known ?? .output),
            identities: aggregators.map(\.identity))
        engineSettings = SuperstepSettings(
            partitions: partitions, bufferBytes: max(1 << 20, setup.memoryBudget / 2), maxRecord: setup.maxRecord,
            skipBadRecords: setup.skipBadRecords, outputDirectory: setup.output.directory, checkpointDirectory: checkpointRoot
        ).wireEncoded()
    }

    var partitions: Int { barrier.settings.partitions }

    func start(_ control: any DriverControl) throws {
        try chooseCheckpointStore(control)
        if !keepsCheckpointsOnWorkers { try FileSystem.createDirectory(checkpointRoot, intermediate: true) }
        if keepsGraphImages { try FileSystem.createDirectory(GraphImage.directory(root: checkpointRoot), intermediate: true) }
        if let inputs = setup.resume?.barrierInputs, !inputs.isEmpty {
            try resume(replaying: inputs, control: control)
        } else {
            try feed(.start, control: control)
        }
    }

    /// Rebuilds the barrier of the run this one resumes from its journaled inputs, then declares every old owner
    /// lost: the barrier rolls back under a new epoch to its newest intact checkpoint (or superstep 0) on the new
    /// workers, with that checkpoint's aggregates and globals. The old run's stages are added again, so that stage
    /// numbers match, and abandoned, except the load stage, which runs again: its outputs were on the old workers.
    /// - Throws: ``TaskFailure`` when the journaled run had failed.
    private func resume(replaying inputs: [BarrierInput], control: any DriverControl) throws {
        var finished = false
        for input in inputs {
            for directive in barrier.handle(input) {
                switch directive {
                case .addStage(let stage, let name, _, let taskCount, let locationBound, let placement):
                    let load = stage == Self.loadStage
                    let added = control.addStage(taskCount: taskCount, locationBound: locationBound, name: name, placement: load ? nil : placement)
                    precondition(added == stage, "the replayed barrier planned stage \(stage) but the scheduler added \(added)")
                    if !load { control.abandonStage(stage) }
                case .finish:
                    finished = true
                case .fail(let reason):
                    throw TaskFailure(reason)
                default:
                    break  // Carried out by the run that journaled the input.
                }
            }
        }
        if finished {
            // Every part file was committed before the old coordinator died: only `_SUCCESS` is left to write.
            control.finish()
            return
        }
        // Each loss asks for the newest checkpoint to be verified: it is read once, not once per old owner.
        resumeVerified = [:]
        defer { resumeVerified = nil }
        explainResumeWithoutCheckpoints()
        for old in Set(barrier.owners).sorted() {
            try feed(.workerLost(old, liveWorkers: try ownerCandidates(control, placing: true)), control: control)
        }
    }

    func describe(_ task: TaskID) -> String {
        let p = barrier.partition(of: task)
        switch barrier.role(of: task.stage) {
        case .load?: return "load task \(task.index) (input \(splits[task.index].summary))"
        case .prepare?: return "prepare task of partition \(p)"
        case .resolve?: return "resolve task of partition \(p)"
        case .superstep(let s, _, _)?: return "superstep \(s) of partition \(p)"
        case .replay(let s, _)?: return "superstep \(s) of partition \(p) (replay)"
        case .output?: return "output task of partition \(p)"
        case .replicate(let s, _)?: return "checkpoint \(s) copy of partition \(p)"
        case .recopy(let c, _, _)?: return "checkpoint \(c) re-copy of partition \(p)"
        case nil: return "task \(task)"
        }
    }

    func validate(_ result: AttemptResult, of task: TaskID) -> ReportCheck {
        guard let report = try? WireReader.decode(PartitionReport.self, from: result.payload) else {
            return .rejected(reason: "its report of \(describe(task)) does not decode")
        }
        return barrier.check(report, of: task, describedAs: describe(task))
    }

    func committed(_ task: TaskID, attempt: AttemptID, worker: WorkerID, result: AttemptResult, control: any DriverControl) throws {
        let report = try WireReader.decode(PartitionReport.self, from: result.payload)
        if let address = control.exchangeAddress(of: worker) { exchangeAddresses[worker] = address }
        try feed(.taskCommitted(task, attempt: attempt, worker: worker, report: report), control: control)
    }

    func stageCompleted(_ stage: Int, control: any DriverControl) throws {
        // Partitions are placed on healthy workers that can keep their checkpoints (the load stage's completion
        // picks the owners).
        try feed(.stageCompleted(stage, liveWorkers: try ownerCandidates(control, placing: stage == Self.loadStage)), control: control)
    }

    func workerLost(_ worker: WorkerID, control: any DriverControl) throws {
        if deferLoss(of: worker, control: control) { return }
        try feed(.workerLost(worker, liveWorkers: try ownerCandidates(control, placing: barrier.owners.contains(worker))), control: control)
    }

    func workerExcluded(_ worker: WorkerID, control: any DriverControl) throws {
        try feed(.workerExcluded(worker, healthyWorkers: try ownerCandidates(control, placing: barrier.owners.contains(worker))), control: control)
    }

    func finalize(summary: JobSummary) throws -> [(String, Int)] {
        let counters = barrier.namedCounters
        var record = successRecord(setup: setup, summary: summary, counters: counters)
        if case .object(var fields) = record {
            fields.append(("aggregators", .object(zip(aggregators, barrier.aggregates).map { ($0.name, .double($1)) })))
            if let stop = barrier.stop {
                fields.append(("stoppedBy", .string(stop.reason.rawValue)))
                fields.append(("lastSuperstep", .int(stop.superstep)))
            }
            record = .object(fields)
        }
        try setup.output.succeed(record)
        return counters
    }

    // MARK: Directives

    /// Hands `input` to the barrier and carries out its directives in order; an answer a directive asks for
    /// (master compute, a checkpoint's verification) goes back to the barrier at once, and its directives run
    /// before the remaining ones.
    /// - Throws: ``TaskFailure`` when the barrier fails the job or a directive cannot be carried out.
    ///
    /// Every input is journaled (written, so a killed coordinator loses none) before the barrier sees it, and the
    /// journal is fsynced before a directive that changes files that outlive the run: a checkpoint's manifest or its
    /// deletion, a part file, the end of the job. Stages need no fsync: a resume rolls back to the newest checkpoint
    /// and runs them again, so a journal that lost its last supersteps in a machine crash only resumes from further
    /// back. One fsync per checkpoint, not per superstep.
    func feed(_ input: BarrierInput, control: any DriverControl) throws {
        try setup.journal?.append(.barrier(input), sync: false)
        var pending = barrier.handle(input)
        while !pending.isEmpty {
            let directive = pending.removeFirst()
            switch directive {
            case .writeManifest, .commitReplicatedCheckpoint, .pruneCheckpoint, .discardCheckpoint, .commitOutput, .finish, .fail:
                try setup.journal?.syncIfNeeded()
            default: break
            }
            if let answer = try carryOut(directive, control: control) {
                try setup.journal?.append(.barrier(answer), sync: false)
                pending.insert(contentsOf: barrier.handle(answer), at: 0)
            }
        }
    }

    /// Carries out one directive; returns the input that answers it, if it asks for one.
    private func carryOut(_ directive: BarrierDirective, control: any DriverControl) throws -> BarrierInput? {
        switch directive {
        case .addStage(let stage, let name, _, let taskCount, let locationBound, let placement):
            let added = control.addStage(taskCount: taskCount, locationBound: locationBound, name: name, placement: placement)
            precondition(added == stage, "the barrier planned stage \(stage) but the scheduler added \(added): only the barrier adds stages")
        case .abandonStage(let stage):
            control.abandonStage(stage)
        case .releaseStage(let stage):
            control.releaseStage(stage)
        case .createCheckpointDirectory(let s):
            let dir = checkpointDirectory(s)
            do {
                try FileSystem.createDirectory(dir, intermediate: true)
            } catch {
                throw TaskFailure(
                    "cannot create the checkpoint directory \(dir) (\(error)); check that the output directory is writable and its disk not full")
            }
        case .writeManifest(let manifest):
            try CheckpointStore.writeManifest(checkpointDirectory(manifest.superstep), manifest)
            try setup.journal?.append(.checkpointCommitted(manifest), sync: false)
        case .commitReplicatedCheckpoint(let manifest, let holders):
            try commitReplicated(manifest, holders: holders)
        case .pruneCheckpoint where keepsCheckpointsOnWorkers, .discardCheckpoint where keepsCheckpointsOnWorkers:
            break  // Each holder deletes its copies when its next task no longer lists them (``WorkerCheckpointPlan/kept``).
        case .pruneCheckpoint(let s):
            try FileSystem.removeTree(checkpointDirectory(s))
        case .discardCheckpoint(let s):
            // Best effort: the replay writes the checkpoint again, over whatever is left of it.
            try? FileSystem.removeTree(checkpointDirectory(s))
        case .verifyCheckpoint(let s):
            if let manifest = resumeVerified?[s] { return .checkpointVerified(manifest) }
            do {
                let manifest = try CheckpointStore.verify(
                    checkpointDirectory(s), superstep: s, partitions: partitions, aggregators: aggregators.count)
                resumeVerified?[s] = manifest
                return .checkpointVerified(manifest)
            } catch {
                return .checkpointCorrupt(superstep: s, cause: "\(error)")
            }
        case .runMaster(let request):
            return .masterCompleted(try runMaster(request))
        case .rollback(let epoch, let to, let lost):
            setup.events.record(
                "rollback",
                [("to_superstep", .int(to ?? -1)), ("epoch", .int(epoch)), ("lost", .int(Int(lost.rawValue))), ("mode", .string("full"))]
                    + restoreFields(superstep: to, partitions: Array(0..<partitions)))
            if let to {
                setup.console.log("\(lost) owned partitions: rolling back to the checkpoint of superstep \(to)")
            } else {
                setup.console.log("\(lost) owned partitions and there is no checkpoint: restarting from superstep 0 on the survivors")
            }
        case .recoverConfined(let epoch, let to, let lost, let recovering, let rejoin):
            setup.events.record(
                "rollback",
                [
                    ("to_superstep", .int(to)), ("epoch", .int(epoch)), ("lost", .int(Int(lost.rawValue))), ("mode", .string("confined")),
                    ("partitions", .array(recovering.map { .int($0) })), ("rejoin", .int(rejoin)),
                ] + restoreFields(superstep: to, partitions: recovering))
            setup.console.log(
                "\(lost) owned partitions: \(recovering.count) of \(partitions) go back to the checkpoint of superstep \(to) and replay "
                    + "until superstep \(rejoin) from the others' message logs (confined recovery)")
        case .releasePartitions(let held, let worker):
            setup.events.record("partitions_released", [("worker", .int(Int(worker.rawValue))), ("partitions", .array(held.map { .int($0) }))])
            setup.console.log("\(worker) is excluded: its \(held.count) partitions move to the healthy workers")
            control.releasePartitions(held, on: worker)
        case .commitOutput(let partition, let attempt):
            let name = OutputCommitter.partName(partition)
            try setup.output.commit(temporaryPath: setup.output.temporaryPath(attempt: attempt, name: name), as: name)
        case .record(let event):
            if case .superstep(let s, _, _, _, let aggregates) = event {
                try setup.journal?.append(.superstepCompleted(superstep: s, aggregates: aggregates, globals: barrier.sortedGlobals), sync: false)
            }
            record(event)
        case .finish:
            control.finish()
        case .fail(let reason):
            throw TaskFailure(reason)
        }
        return nil
    }

    func checkpointDirectory(_ superstep: Int) -> String { CheckpointStore.directory(root: checkpointRoot, superstep: superstep) }

    /// Folds the partitions' aggregates (in partition order) and runs master compute on them.
    /// - Throws: ``TaskFailure`` when master compute asked for an aggregator the job does not declare, and the
    ///   ``MasterContext/failure`` it set.
    private func runMaster(_ request: MasterRequest) throws -> MasterResult {
        var folded = AggregatorValues(aggregators)
        for partial in request.partials { folded.fold(AggregatorValues(values: partial), with: aggregators) }
        guard let master else { return MasterResult(aggregates: folded.values, globals: request.globals, halt: false) }
        var context = MasterContext(
            superstep: request.superstep, totalVertices: request.totalMembers, activeVertices: request.activeMembers,
            messagesSent: request.messagesSent,
            aggregates: Dictionary(zip(aggregators.map(\.name), folded.values), uniquingKeysWith: { first, _ in first }),
            globals: request.globals)
        master(&context)
        let undeclared = context.undeclared.all
        guard undeclared.isEmpty else {
            let declared = aggregators.isEmpty ? "none" : aggregators.map { "'\($0.name)'" }.joined(separator: ", ")
            throw TaskFailure(
                "master compute asked for aggregator \(undeclared.map { "'\($0)'" }.joined(separator: ", ")) after superstep \(request.superstep), "
                    + "but the job declares \(declared): declare it in the job's aggregators or fix the name")
        }
        if let failure = context.failure { throw failure }
        return journaled(MasterResult(aggregates: folded.values, globals: context.globals, halt: context.halt), after: request.superstep)
    }

    private func record(_ event: BarrierEvent) {
        switch event {
        case .superstep(let s, let active, let messages, let epoch, let aggregates):
            setup.events.record(
                "superstep",
                [("superstep", .int(s)), ("active", .int(active)), ("messages", .int(messages)), ("epoch", .int(epoch))]
                    + zip(aggregators, aggregates).map { ("aggregate." + $0.name, JSONValue.double($1)) })
        case .checkpoint(let s):
            setup.events.record("checkpoint", [("superstep", .int(s))] + holderFields(superstep: s))
        case .checkpointNotCommitted(let s, let cause):
            setup.events.record("checkpoint_failed", [("superstep", .int(s)), ("cause", .string(cause))])
            setup.console.log("the checkpoint of superstep \(s) was not committed (\(cause)); the job goes on and the next checkpoint tries again")
        case .replayed(let s, let recovering, let epoch):
            setup.events.record(
                "replayed",
                [
                    ("superstep", .int(s)), ("partitions", .array(recovering.map { .int($0) })), ("computed", .int(recovering.count)),
                    ("epoch", .int(epoch)),
                ])
        case .partitionsPrepared(let epoch, let fromImage, let fromLoad, let held):
            setup.events.record(
                "prepared",
                [
                    ("epoch", .int(epoch)), ("from_image", .array(fromImage.map { .int($0) })), ("from_load", .array(fromLoad.map { .int($0) })),
                    ("held", .array(held.map { .int($0) })),
                ])
        case .graphImageCorrupt(let p, let cause):
            setup.events.record("graph_image_corrupt", [("partition", .int(p)), ("cause", .string(cause))])
            setup.console.log("the graph image of partition \(p) is damaged (\(cause)); it was rebuilt from the input and written again")
        case .checkpointRecopied(let s, let recopied, let holders):
            setup.events.record(
                "checkpoint_recopied",
                [
                    ("superstep", .int(s)), ("partitions", .array(recopied.map { .int($0) })),
                    ("holders", .array(holders.map { .array($0.map { .int(Int($0.rawValue)) }) })),
                ])
            setup.console.log(
                "copied \(recopied.count) partition(s) of the checkpoint of superstep \(s) again, whose other copy was on a lost worker")
        case .checkpointNotRecopied(let s, let cause):
            setup.events.record("checkpoint_recopy_failed", [("superstep", .int(s)), ("cause", .string(cause))])
            setup.console.log("a partition of the checkpoint of superstep \(s) keeps a single copy (\(cause)); the job goes on")
        case .checkpointCorrupt(let s, let cause):
            setup.events.record("checkpoint_corrupt", [("superstep", .int(s)), ("cause", .string(cause))])
            setup.console.log("the checkpoint of superstep \(s) is damaged (\(cause)); trying the one before it")
        case .stopped(let reason, let s, let active, let messages):
            setup.events.record("stopped", [("by", .string(reason.rawValue)), ("superstep", .int(s))])
            if reason == .maxSupersteps {
                setup.console.log(
                    "stopped by --max-supersteps after superstep \(s) (\(s + 1) supersteps) with \(active) \(barrier.settings.vocabulary.members) "
                        + "still active and \(messages) messages in flight: the result is not converged; raise --max-supersteps to run longer")
            }
        }
    }
}
