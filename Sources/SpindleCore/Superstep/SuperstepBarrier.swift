/// The coordinator's decisions in a superstep job (Pregel or BSP): which stage comes next, when to checkpoint,
/// when to stop, and how to roll back when a partition's owner dies.
///
/// A pure state machine like ``TaskScheduler``: the shell feeds it ``BarrierInput``s and carries out the
/// ``BarrierDirective``s they return, in order. It does no I/O, reads no clock and calls no user code: master
/// compute and checkpoint verification run in the shell on a directive, and their results come back as inputs.
/// So the barrier and the scheduler together hold every decision of the coordinator, and replaying their
/// journaled inputs rebuilds them.
///
/// Stages: `load` (one task per split), `prepare`, `resolve` (when the job resolves message targets), one
/// stage per superstep, `output` (see ``StageRole``). Partitions are pinned to owners, chosen round-robin
/// over the live workers when the load stage completes. When an owner dies its partitions move to the
/// survivors (each to the least loaded, ties to the lowest id), the stage in flight is abandoned, the epoch
/// goes up, and every partition rolls back to the newest intact committed checkpoint (or to superstep 0); with
/// ``RecoveryMode/confined``, only the lost partitions do (see `SuperstepBarrier+Confined.swift`).
package struct SuperstepBarrier: Sendable {
    /// The load stage's index: the first stage of the job.
    package static let loadStage = 0

    /// A committed task: the attempt whose output counts, where it ran, and what it reported.
    package struct CommittedTask: Sendable, Equatable {
        package var attempt: AttemptID
        package var worker: WorkerID
        package var report: PartitionReport
    }

    /// Why and after which superstep the job stopped.
    package struct Stop: Sendable, Equatable {
        package var reason: StopReason
        package var superstep: Int
    }

    /// What the barrier waits for before it can go on.
    enum Awaiting: Sendable, Equatable {
        case nothing
        /// The master result of superstep `superstep`, whose stage is `stage`.
        case master(stage: Int, superstep: Int, writesCheckpoint: Bool, active: Int, messages: Int)
        /// The verification of the checkpoint of `superstep` after the loss of `lost`.
        case verification(superstep: Int, lost: WorkerID)
        /// The verification of the checkpoint of `superstep` a confined recovery restores its partitions from.
        case confinedVerification(superstep: Int, lost: WorkerID)
    }

    package let settings: BarrierSettings
    /// Each partition's owner, once the load stage completed.
    package internal(set) var owners: [WorkerID] = []
    /// Raised at every rollback; tasks carry it so that workers reject late work of an older epoch.
    package internal(set) var epoch = 0
    /// The epoch each partition was last prepared in (the one its tasks carry): a confined recovery raises only
    /// the recovering partitions'.
    package internal(set) var partitionEpochs: [Int]
    /// Members over all partitions, once the first prepare stage completed.
    package private(set) var totalMembers: Int?
    /// The stage in flight.
    package internal(set) var currentStage = SuperstepBarrier.loadStage
    /// The committed load task of each split.
    package private(set) var loadOutputs: [CommittedTask?]
    /// The aggregates folded at the last completed superstep (the identities before the first).
    package internal(set) var aggregates: [Double]
    /// Master compute's globals after the last completed superstep.
    package internal(set) var globals: [String: Double] = [:]
    /// Committed checkpoints (their supersteps), oldest first; at most the last two are kept.
    package internal(set) var checkpoints: [Int] = []
    package internal(set) var counters = SuperstepCounters()
    /// Why the job stopped, once it did.
    package private(set) var stop: Stop?
    /// Whether the job finished or failed: later inputs are ignored.
    package internal(set) var isOver = false
    /// What the partitions logged since the newest checkpoint, for confined recovery.
    package internal(set) var log = SuperstepLog()
    /// The confined recovery in progress, if any.
    package internal(set) var recovery: ConfinedRecovery?
    /// Whether every partition's graph image is in the store (see `SuperstepBarrier+GraphImages.swift`): the load
    /// stage's outputs are released, and a partition prepared again reads its image.
    package internal(set) var graphImages = false
    /// The partitions whose image a committed task reported intact, until ``graphImages``.
    package internal(set) var intactGraphImages: Set<Int> = []
    /// Replay stages whose tasks send messages only to these partitions (the recovering ones), by stage.
    var narrowedReplays: [Int: [Int]] = [:]
    /// ``CheckpointStoreMode/workers``: the committed checkpoints (those in `checkpoints`) with their holders.
    package internal(set) var replicated: [Int: ReplicatedCheckpoint] = [:]
    /// ``CheckpointStoreMode/workers``: the checkpoint being copied to second workers, before it commits.
    package internal(set) var pendingReplication: PendingReplication?
    var roles: [Int: StageRole] = [:]
    /// The partitions of stages that run only some of them (task `i` is partition `members[i]`).
    var stageMembers: [Int: [Int]] = [:]
    var nextStage = 0
    var abandoned: Set<Int> = []
    /// Committed tasks of the partition stages whose outputs are still needed.
    var committedTasks: [Int: [CommittedTask?]] = [:]
    var awaiting = Awaiting.nothing
    /// Identities of the aggregators (the values before any superstep), given at init.
    let identities: [Double]

    /// - Parameter identities: each aggregator's identity, in the order of `settings.aggregators`.
    package init(settings: BarrierSettings, identities: [Double]) {
        precondition(identities.count == settings.aggregators.count, "one identity per aggregator")
        self.settings = settings
        self.identities = identities
        aggregates = identities
        loadOutputs = Array(repeating: nil, count: settings.splits)
        partitionEpochs = Array(repeating: 0, count: settings.partitions)
        counters.partitions = settings.partitions
    }

    // MARK: Events

    /// Handles one input and returns what to do, in order. Inputs that do not fit the barrier's state (a report
    /// of an abandoned stage, the completion of a stage not in flight, an answer nobody asked for) change
    /// nothing and return no directive.
    package mutating func handle(_ input: BarrierInput) -> [BarrierDirective] {
        guard !isOver else { return [] }
        switch input {
        case .start:
            guard nextStage == 0 else { return [] }
            return [addStage(name: "load", role: .load, taskCount: settings.splits, locationBound: true, placement: nil)]
        case .taskCommitted(let task, let attempt, let worker, let report):
            return taskCommitted(task, CommittedTask(attempt: attempt, worker: worker, report: report))
        case .stageCompleted(let stage, let live):
            guard stage == currentStage, awaiting == .nothing, let role = roles[stage] else { return [] }
            return stageCompleted(stage, role: role, live: live)
        case .workerLost(let worker, let live):
            return workerLost(worker, live: live)
        case .workerExcluded(let worker, let healthy):
            return workerExcluded(worker, healthy: healthy)
        case .masterCompleted(let result):
            return masterCompleted(result)
        case .checkpointVerified(let manifest):
            if case .confinedVerification = awaiting { return confinedCheckpointVerified(manifest) }
            return checkpointVerified(manifest)
        case .checkpointCorrupt(let superstep, let cause):
            if case .confinedVerification = awaiting { return confinedCheckpointCorrupt(superstep, cause: cause) }
            return checkpointCorrupt(superstep, cause: cause)
        }
    }

    private mutating func taskCommitted(_ task: TaskID, _ committed: CommittedTask) -> [BarrierDirective] {
        guard !abandoned.contains(task.stage), let role = roles[task.stage] else { return [] }
        switch role {
        case .load:
            guard loadOutputs.indices.contains(task.index) else { return [] }
            if loadOutputs[task.index] == nil {
                counters.records += committed.report.records
                counters.skippedRecords += committed.report.skippedRecords
            }
            loadOutputs[task.index] = committed
        case .prepare, .resolve, .superstep, .replay, .replicate, .recopy:
            let members = stageMembers[task.stage]
            guard task.index >= 0, task.index < (members?.count ?? settings.partitions) else { return [] }
            let p = partition(of: task)
            committedTasks[task.stage, default: Array(repeating: nil, count: settings.partitions)][p] = committed
            logCommitted(role, stage: task.stage, partition: p, committed)
            noteGraphImage(committed.report.graphImage, partition: p)
            if case .prepare = role, let problem = committed.report.graphImage?.problem {
                return [.record(.graphImageCorrupt(partition: p, cause: problem))]
            }
        case .output:
            return [.commitOutput(partition: task.index, attempt: committed.attempt)]
        }
        return []
    }

    private mutating func stageCompleted(_ stage: Int, role: StageRole, live: [WorkerID]) -> [BarrierDirective] {
        if let recovery, isPartial(stage) { return recoveryStageCompleted(stage, role: role, recovery) }
        switch role {
        case .load:
            guard !live.isEmpty else { return fail("every worker was lost; no partition can be placed") }
            owners = (0..<settings.partitions).map { live[$0 % live.count] }
            return [addPrepare(restore: nil)]
        case .prepare(let restore):
            let members = committedTasks(of: stage).reduce(0) { $0 + ($1?.report.members ?? 0) }
            if let known = totalMembers, known != members {
                return fail("the job has \(members) \(settings.vocabulary.members) after recovery but had \(known) before")
            }
            totalMembers = members
            let images = preparedGraphs(stage)
            if settings.resolvesMessageTargets {
                return images + [addPartitionStage(name: "resolve", role: .resolve(restore: restore, prepareStage: stage))]
            }
            return images + startSupersteps(after: restore)
        case .resolve(let restore, let prepareStage):
            committedTasks[prepareStage] = nil
            return releaseLoadStageOnceImagesAreIntact() + startSupersteps(after: restore)
        case .superstep(let s, _, let writesCheckpoint):
            let reports = committedTasks(of: stage).compactMap { $0?.report }
            let active = reports.reduce(0) { $0 + $1.activeMembers }
            let messages = reports.reduce(0) { $0 + $1.messagesSent }
            counters.supersteps += 1
            counters.messages += messages
            awaiting = .master(stage: stage, superstep: s, writesCheckpoint: writesCheckpoint, active: active, messages: messages)
            return releaseLoadStageOnceImagesAreIntact() + [
                .runMaster(
                    MasterRequest(
                        superstep: s, totalMembers: totalMembers ?? 0, activeMembers: active, messagesSent: messages,
                        partials: reports.map(\.aggregates), globals: globals))
            ]
        case .replay:
            return []
        case .replicate(let s, let superstepStage):
            return replicationCompleted(stage, superstep: s, superstepStage: superstepStage)
        case .recopy(let c, let s, let superstepStage):
            return recopyCompleted(stage, checkpoint: c, superstep: s, superstepStage: superstepStage)
        case .output:
            isOver = true
            return [.releaseStage(Self.loadStage), .finish]
        }
    }

    private mutating func masterCompleted(_ result: MasterResult) -> [BarrierDirective] {
        guard case .master(let stage, let s, let writesCheckpoint, let active, let messages) = awaiting else { return [] }
        awaiting = .nothing
        guard result.aggregates.count == settings.aggregators.count else {
            return fail(
                "master compute returned \(result.aggregates.count) aggregates after superstep \(s); the job has \(settings.aggregators.count)")
        }
        globals = result.globals
        aggregates = result.aggregates
        if settings.logsMessages { log.recordMaster(superstep: s, aggregates: aggregates, globals: sortedGlobals) }
        var directives: [BarrierDirective] = [
            .record(.superstep(s, active: active, messages: messages, epoch: epoch, aggregates: aggregates))
        ]
        releaseInbox(of: stage)
        let reason = StopReason(active: active, messages: messages, masterHalted: result.halt, superstep: s, maxSupersteps: settings.maxSupersteps)
        if writesCheckpoint, settings.checkpointStore == .workers {
            if let reason {
                stop = Stop(reason: reason, superstep: s)
                directives.append(.record(.stopped(reason, superstep: s, active: active, messages: messages)))
            }
            return directives + startReplication(superstep: s, superstepStage: stage)
        }
        if writesCheckpoint {
            directives.append(
                .writeManifest(
                    CheckpointManifest(
                        superstep: s, totalVertices: totalMembers ?? 0, partitions: settings.partitions, aggregates: aggregates,
                        globals: sortedGlobals)))
            checkpoints.append(s)
            log.prune(upTo: s)
            directives.append(.record(.checkpoint(superstep: s)))
            // Keep the last two committed checkpoints: the newest may turn out damaged.
            while checkpoints.count > 2 { directives.append(.pruneCheckpoint(superstep: checkpoints.removeFirst())) }
        }
        if let reason {
            stop = Stop(reason: reason, superstep: s)
            directives.append(.record(.stopped(reason, superstep: s, active: active, messages: messages)))
            directives.append(addPartitionStage(name: "output", role: .output))
        } else if let recopy = startRecopy(after: s, superstepStage: stage) {
            directives.append(recopy)
        } else {
            directives += addSuperstep(s + 1, inbox: .previousStage(stage))
        }
        return directives
    }

    /// The globals sorted by name, as checkpoints and task payloads carry them.
    package var sortedGlobals: [Pair<String, Double>] {
        globals.sorted { $0.key < $1.key }.map { Pair($0.key, $0.value) }
    }

    // MARK: Recovery

    private mutating func workerLost(_ worker: WorkerID, live: [WorkerID]) -> [BarrierDirective] {
        dropHolder(worker)
        guard !owners.isEmpty, owners.contains(worker) else { return recopySourceLost() }
        guard !live.isEmpty else { return fail("every worker was lost; no partition can be placed") }
        return movePartitions(of: worker, to: live)
    }

    /// An excluded owner is treated for its partitions as a lost one (they move to the healthy workers and are
    /// restored the same way), and is told to release what it holds of them.
    private mutating func workerExcluded(_ worker: WorkerID, healthy: [WorkerID]) -> [BarrierDirective] {
        guard !owners.isEmpty, owners.contains(worker) else { return [] }
        guard !healthy.isEmpty else {
            return fail("every live worker is excluded after failing tasks that succeeded elsewhere; no partition can be placed")
        }
        let held = owners.indices.filter { owners[$0] == worker }
        return [.releasePartitions(held, worker: worker)] + movePartitions(of: worker, to: healthy)
    }

    /// Moves the partitions of `worker` to `live` (each to the least loaded, ties to the lowest id), abandons the
    /// stage in flight, and starts a confined recovery or a rollback of every partition.
    private mutating func movePartitions(of worker: WorkerID, to live: [WorkerID]) -> [BarrierDirective] {
        let lost = owners.indices.filter { owners[$0] == worker }
        var load = Dictionary(grouping: owners.filter { live.contains($0) }, by: { $0 }).mapValues(\.count)
        for w in live where load[w] == nil { load[w] = 0 }
        for p in owners.indices where owners[p] == worker {
            let target = live.min { (load[$0]!, $0) < (load[$1]!, $1) }!
            owners[p] = target
            load[target]! += 1
        }
        abandoned.insert(currentStage)
        pendingReplication = nil
        // Only the load outputs are read again: the prepare stage after the rollback rebuilds the partitions
        // (a confined recovery reads the message log instead).
        committedTasks.removeAll()
        counters.rollbacks += 1
        epoch += 1
        if let plan = confinedPlan(lost: lost, live: live) { return [.abandonStage(currentStage)] + startConfined(plan, lost: worker) }
        return [.abandonStage(currentStage)] + rollBackEveryPartition(lost: worker)
    }

    // MARK: Planning

    /// Adds the first superstep: the one after the restored checkpoint, or superstep 0.
    private mutating func startSupersteps(after restore: CheckpointManifest?) -> [BarrierDirective] {
        if let restore { return addSuperstep(restore.superstep + 1, inbox: .checkpoint(superstep: restore.superstep)) }
        return addSuperstep(0, inbox: .none)
    }

    mutating func addSuperstep(_ s: Int, inbox: InboxPlan) -> [BarrierDirective] {
        let writes = settings.checkpoints(s)
        let stage = addPartitionStage(name: "superstep \(s)", role: .superstep(s, inbox: inbox, writesCheckpoint: writes))
        return writes && settings.checkpointStore == .output ? [.createCheckpointDirectory(superstep: s), stage] : [stage]
    }

    mutating func addPrepare(restore: CheckpointManifest?) -> BarrierDirective {
        addPartitionStage(name: "prepare", role: .prepare(restore: restore))
    }

    /// A stage of one task per partition, each placed on its owner; with `members`, of one task per partition
    /// of `members` (in that order).
    mutating func addPartitionStage(name: String, role: StageRole, members: [Int]? = nil) -> BarrierDirective {
        guard let members else {
            return addStage(name: name, role: role, taskCount: settings.partitions, locationBound: false, placement: owners)
        }
        stageMembers[nextStage] = members
        return addStage(name: name, role: role, taskCount: members.count, locationBound: false, placement: members.map { owners[$0] })
    }

    mutating func addStage(name: String, role: StageRole, taskCount: Int, locationBound: Bool, placement: [WorkerID]?) -> BarrierDirective {
        let stage = nextStage
        nextStage += 1
        currentStage = stage
        roles[stage] = role
        return .addStage(stage: stage, name: name, role: role, taskCount: taskCount, locationBound: locationBound, placement: placement)
    }

    mutating func fail(_ reason: String) -> [BarrierDirective] {
        isOver = true
        return [.fail(reason)]
    }
}
