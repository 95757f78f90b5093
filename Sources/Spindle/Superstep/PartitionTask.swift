import SpindleCore

/// The payload of a prepare, superstep or output task.
struct PartitionTask: WireCodable, Sendable {
    var kind: PartitionTaskKind
    var partition: Int
    var epoch: Int
    var superstep: Int
    var totalVertices: Int
    /// Load outputs holding this partition's edges (prepare).
    var loadSources: [SegmentSource]
    /// Restore values from this checkpoint's state file (prepare), if any.
    var restoreStatePath: String?
    var inbox: InboxSource
    /// Set vertex values with the initial-value function first (superstep 0 without a checkpoint).
    var initialize: Bool
    /// Aggregates of the previous superstep.
    var aggregates: [Double]
    var globals: [Pair<String, Double>]
    /// Write a checkpoint of this superstep into this directory.
    var checkpointDirectory: String?
    /// The partition this worker runs next in this stage, whose input it may fetch while running this one.
    var ahead: FetchAhead?
    /// Keep the messages sent in supersteps after this one in the worker's message log (confined recovery;
    /// older logs are deleted); nil: the job logs nothing.
    var logFloor: Int?
    /// A recovering partition computes this superstep again (confined recovery).
    var replay: Bool
    /// Checkpoints kept by workers (`--checkpoint-store workers`); nil: under the output directory.
    var workerCheckpoints: WorkerCheckpointPlan?
    /// Where the partition's graph image is kept (prepare); nil: the job keeps none.
    var graphImagePath: String?
    /// Read the partition from `graphImagePath` rather than from the load outputs (prepare): every partition's
    /// image was reported intact (its background write ended). A missing or damaged one falls back to the load
    /// outputs, and is written again.
    var readsGraphImage: Bool
    /// Send messages only to these partitions (a narrowed replay); nil: to every partition.
    var messageTargets: [Int]?

    init(kind: PartitionTaskKind, partition: Int, epoch: Int) {
        self.kind = kind; self.partition = partition; self.epoch = epoch; superstep = 0; totalVertices = 0; loadSources = []
        restoreStatePath = nil; inbox = .none; initialize = false; aggregates = []; globals = []; checkpointDirectory = nil
        ahead = nil; logFloor = nil; replay = false; workerCheckpoints = nil; graphImagePath = nil; readsGraphImage = false; messageTargets = nil
    }

    func encode(to w: inout WireWriter) {
        w.writeByte(kind.rawValue); w.write(partition); w.write(epoch); w.write(superstep); w.write(totalVertices); w.write(loadSources)
        w.write(restoreStatePath)
        switch inbox {
        case .none: w.writeByte(0)
        case .exchange(let sources): w.writeByte(1); w.write(sources)
        case .checkpoint(let paths): w.writeByte(2); w.write(paths)
        }
        w.write(initialize); w.write(aggregates); w.write(globals); w.write(checkpointDirectory); w.write(ahead)
        w.write(logFloor); w.write(replay); w.write(workerCheckpoints); w.write(graphImagePath); w.write(readsGraphImage); w.write(messageTargets)
    }

    init(from r: inout WireReader) throws {
        guard let kind = PartitionTaskKind(rawValue: try r.readByte()) else {
            throw WireError.invalidValue(type: "PartitionTaskKind", detail: "unknown kind")
        }
        self.kind = kind
        partition = try r.read(Int.self); epoch = try r.read(Int.self); superstep = try r.read(Int.self); totalVertices = try r.read(Int.self)
        loadSources = try r.read([SegmentSource].self); restoreStatePath = try r.read(String?.self)
        switch try r.readByte() {
        case 0: inbox = .none
        case 1: inbox = .exchange(try r.read([SegmentSource].self))
        case 2: inbox = .checkpoint(try r.read([String].self))
        default: throw WireError.invalidValue(type: "InboxSource", detail: "unknown tag")
        }
        initialize = try r.read(Bool.self); aggregates = try r.read([Double].self); globals = try r.read([Pair<String, Double>].self)
        checkpointDirectory = try r.read(String?.self)
        ahead = try r.read(FetchAhead?.self)
        logFloor = try r.read(Int?.self); replay = try r.read(Bool.self)
        workerCheckpoints = try r.read(WorkerCheckpointPlan?.self)
        graphImagePath = try r.read(String?.self); readsGraphImage = try r.read(Bool.self); messageTargets = try r.read([Int]?.self)
    }
}
