@testable import SpindleCore

/// Drives a ``SuperstepBarrier`` the way the coordinator's shell does, without processes: it answers
/// `runMaster` (sums the partials, sets a global, halts on request) and `verifyCheckpoint` (from the manifests
/// the barrier asked to write, minus the ones declared corrupt), and runs stages by committing one report per
/// task. Every input and directive is recorded.
struct BarrierHarness {
    var barrier: SuperstepBarrier
    var live: [WorkerID]
    /// Every directive, in the order the barrier gave them.
    var directives: [BarrierDirective] = []
    /// Every input, answers included, in the order the barrier got them.
    var inputs: [BarrierInput] = []
    /// Manifests written and not pruned, by superstep.
    var manifests: [Int: CheckpointManifest] = [:]
    /// Supersteps whose checkpoint fails verification.
    var corrupt: Set<Int> = []
    /// Master compute halts after these supersteps.
    var masterHalts: Set<Int> = []
    /// Active members and messages each partition reports in superstep `s`.
    var activity: @Sendable (Int) -> (active: Int, messages: Int) = { _ in (2, 3) }
    /// Members each partition reports when prepared.
    var membersPerPartition = 5
    /// Workers mode: partitions whose copy reports other sizes than the original.
    var mismatchedCopies: Set<Int> = []
    /// Prepare tasks report graph images (read back once every partition's image is intact, else written).
    var keepsImages = false
    /// Partitions whose image cannot be written (they report it not intact).
    var unwritableImages: Set<Int> = []
    /// Partitions whose image turns out damaged when read (they report the problem and rebuild).
    var damagedImages: Set<Int> = []
    /// Images written in the background: prepare tasks report them pending, and partition `p`'s superstep (and
    /// replay) reports from superstep `imagesWritten[p]` on say whether it is intact (nil: written by the prepare).
    var imagesWritten: [Int: Int]?
    var finished = false
    var failure: String?
    private var nextAttempt: UInt64 = 1

    static let vocabulary = SuperstepVocabulary(
        members: "vertices",
        counters: [
            (.members, "members"), (.records, "records"), (.supersteps, "supersteps"), (.rollbacks, "rollbacks"),
            (.messages, "messages"), (.checkpoints, "checkpoints"),
        ])

    init(
        splits: Int = 3, partitions: Int = 4, checkpointEvery: Int = 0, maxSupersteps: Int = 30, resolves: Bool = false,
        workers: [WorkerID] = [WorkerID(1), WorkerID(2)], recovery: RecoveryMode = .full, checkpointStore: CheckpointStoreMode = .output
    ) {
        barrier = SuperstepBarrier(
            settings: BarrierSettings(
                splits: splits, partitions: partitions, checkpointEvery: checkpointEvery, maxSupersteps: maxSupersteps,
                aggregators: ["sum"], resolvesMessageTargets: resolves, vocabulary: Self.vocabulary, recovery: recovery,
                checkpointStore: checkpointStore),
            identities: [0])
        live = workers
    }

    var partitions: Int { barrier.settings.partitions }
    var currentRole: StageRole? { barrier.role(of: barrier.currentStage) }

    /// The stages added so far, as (index, name, role, placement).
    var stages: [(stage: Int, name: String, role: StageRole, placement: [WorkerID]?)] {
        directives.compactMap {
            if case .addStage(let stage, let name, let role, _, _, let placement) = $0 { return (stage, name, role, placement) }
            return nil
        }
    }

    /// Events recorded so far.
    var events: [BarrierEvent] {
        directives.compactMap { if case .record(let event) = $0 { return event } else { return nil } }
    }

    /// Feeds `input` and carries out the directives, answering those that ask for an answer.
    /// - Returns: the directives this input led to, answers' included.
    @discardableResult mutating func feed(_ input: BarrierInput) -> [BarrierDirective] {
        inputs.append(input)
        var pending = barrier.handle(input)
        var given: [BarrierDirective] = []
        while !pending.isEmpty {
            let directive = pending.removeFirst()
            given.append(directive)
            directives.append(directive)
            if let answer = answer(directive) {
                inputs.append(answer)
                pending.insert(contentsOf: barrier.handle(answer), at: 0)
            }
        }
        return given
    }

    private mutating func answer(_ directive: BarrierDirective) -> BarrierInput? {
        switch directive {
        case .runMaster(let request):
            let sum = request.partials.reduce(0) { $0 + $1[0] }
            var globals = request.globals
            globals["last"] = Double(request.superstep)
            return .masterCompleted(MasterResult(aggregates: [sum], globals: globals, halt: masterHalts.contains(request.superstep)))
        case .verifyCheckpoint(let s):
            guard let manifest = manifests[s], !corrupt.contains(s) else { return .checkpointCorrupt(superstep: s, cause: "damaged") }
            return .checkpointVerified(manifest)
        case .writeManifest(let manifest):
            manifests[manifest.superstep] = manifest
        case .pruneCheckpoint(let s), .discardCheckpoint(let s):
            manifests[s] = nil
        case .finish:
            finished = true
        case .fail(let reason):
            failure = reason
        default:
            break
        }
        return nil
    }

    /// The report task `index` of a stage with `role` makes.
    func report(_ role: StageRole, index: Int) -> PartitionReport {
        let sizes = Array(repeating: 8, count: partitions)
        switch role {
        case .load: return PartitionReport(partitionSizes: sizes, records: 10, skippedRecords: 1)
        case .prepare:
            return PartitionReport(
                partitionSizes: barrier.settings.resolvesMessageTargets ? sizes : [], members: membersPerPartition, records: 7,
                graphImage: keepsImages ? imageReport(partition: barrier.partition(of: TaskID(stage: barrier.currentStage, index: index))) : nil)
        case .resolve, .output: return PartitionReport()
        case .superstep(let s, _, _), .replay(let s, _):
            var writes = false
            if case .superstep(_, _, true) = role { writes = true }
            let (active, messages) = activity(s)
            let p = barrier.partition(of: TaskID(stage: barrier.currentStage, index: index))
            var image: GraphImageReport?
            if keepsImages, let written = imagesWritten?[p], s >= written {
                image = GraphImageReport(source: .loadOutputs, intact: !unwritableImages.contains(p))
            }
            return PartitionReport(
                partitionSizes: sizes, members: membersPerPartition, activeMembers: active, messagesSent: messages, aggregates: [1],
                checkpoint: writes && barrier.settings.checkpointStore == .workers ? Self.copy(index) : nil, graphImage: image)
        case .replicate:
            return PartitionReport(checkpoint: mismatchedCopies.contains(index) ? Self.copy(index + 1000) : Self.copy(index))
        case .recopy:
            let p = barrier.partition(of: TaskID(stage: barrier.currentStage, index: index))
            return PartitionReport(checkpoint: mismatchedCopies.contains(p) ? Self.copy(p + 1000) : Self.copy(p))
        }
    }

    /// What the prepare task of partition `p` reports of its image: read back once every image is intact (kept when
    /// its owner held it before), else written.
    func imageReport(partition p: Int) -> GraphImageReport {
        if barrier.graphImages && damagedImages.contains(p) {
            return GraphImageReport(source: .loadOutputs, intact: true, problem: "graph image checksum mismatch")
        }
        if barrier.graphImages { return GraphImageReport(source: .image, intact: true) }
        if imagesWritten != nil { return GraphImageReport(source: .loadOutputs, intact: false, pending: true) }
        return GraphImageReport(source: .loadOutputs, intact: !unwritableImages.contains(p))
    }

    /// The sizes and checksums of partition `p`'s checkpoint files in workers mode.
    static func copy(_ p: Int) -> CheckpointCopy {
        CheckpointCopy(stateBytes: 100 + p, stateCRC: UInt32(p), messagesBytes: 200 + p, messagesCRC: UInt32(7 * p))
    }

    /// Commits task `index` of the stage in flight with `report` (by default ``report(_:index:)``), run by its
    /// partition's owner (or the first live worker for a load task).
    mutating func commit(_ index: Int, report: PartitionReport? = nil) {
        let stage = barrier.currentStage
        guard let role = barrier.role(of: stage) else { return }
        let placed = stages.last { $0.stage == stage }?.placement
        let worker =
            placed.map { $0[index] } ?? (barrier.owners.isEmpty ? live[0] : barrier.owners[barrier.partition(of: TaskID(stage: stage, index: index))])
        let attempt = AttemptID(nextAttempt)
        nextAttempt += 1
        feed(.taskCommitted(TaskID(stage: stage, index: index), attempt: attempt, worker: worker, report: report ?? self.report(role, index: index)))
    }

    /// Commits every task of the stage in flight and completes it.
    mutating func runStage() {
        guard let role = currentRole else { return }
        let count: Int
        if case .load = role {
            count = barrier.settings.splits
        } else {
            count = barrier.stageMembers[barrier.currentStage]?.count ?? partitions
        }
        for i in 0..<count { commit(i) }
        feed(.stageCompleted(barrier.currentStage, liveWorkers: live))
    }

    /// Runs stages until the job finishes or fails (or `limit` stages ran).
    mutating func runToEnd(limit: Int = 200) {
        if inputs.isEmpty { feed(.start) }
        var left = limit
        while !finished && failure == nil && left > 0 {
            runStage()
            left -= 1
        }
    }

    /// Runs stages until superstep `s` is the stage in flight.
    mutating func run(until s: Int) {
        if inputs.isEmpty { feed(.start) }
        while failure == nil && !finished {
            if case .superstep(s, _, _)? = currentRole { return }
            runStage()
        }
    }

    /// Loses `worker`: it leaves the live workers and the barrier hears of it.
    @discardableResult mutating func lose(_ worker: WorkerID) -> [BarrierDirective] {
        live.removeAll { $0 == worker }
        return feed(.workerLost(worker, liveWorkers: live))
    }
}
