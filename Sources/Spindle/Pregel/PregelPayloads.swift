import SpindleCore

/// Settings every worker of a Pregel run gets.
struct PregelSettings: WireCodable, Sendable {
    var partitions: Int
    /// Bytes of buffered output (edges or messages) before a spill.
    var bufferBytes: Int
    var maxRecord: Int
    var skipBadRecords: Bool
    var outputDirectory: String
    var checkpointDirectory: String

    init(partitions: Int, bufferBytes: Int, maxRecord: Int, skipBadRecords: Bool, outputDirectory: String, checkpointDirectory: String) {
        self.partitions = partitions; self.bufferBytes = bufferBytes; self.maxRecord = maxRecord; self.skipBadRecords = skipBadRecords
        self.outputDirectory = outputDirectory; self.checkpointDirectory = checkpointDirectory
    }
    func encode(to w: inout WireWriter) {
        w.write(partitions); w.write(bufferBytes); w.write(maxRecord); w.write(skipBadRecords); w.write(outputDirectory); w.write(checkpointDirectory)
    }
    init(from r: inout WireReader) throws {
        partitions = try r.read(Int.self); bufferBytes = try r.read(Int.self); maxRecord = try r.read(Int.self);
        skipBadRecords = try r.read(Bool.self)
        outputDirectory = try r.read(String.self); checkpointDirectory = try r.read(String.self)
    }
}

/// The kinds of Pregel tasks; the first byte of every payload.
enum PregelTaskKind: UInt8, Sendable {
    /// Parse a split of the edge list and shuffle edges to their source's partition.
    case load = 1
    /// Build (or keep) a partition's graph on its owner and set its values from a checkpoint.
    case prepare = 2
    /// Run one superstep on a partition.
    case superstep = 3
    /// Write a partition's `vertex<TAB>value` part file.
    case output = 4
    /// Learn, from every partition's routing, which local vertex each incoming message slot is for.
    case resolve = 5
}

/// Where a superstep's incoming messages come from.
enum InboxSource: Sendable {
    case none
    /// The previous superstep's message outputs on their workers.
    case exchange([MapOutputSource])
    /// Message files of a committed checkpoint (one per sending partition).
    case checkpoint([String])
}

/// The payload of a prepare, superstep or output task.
struct PartitionTaskPayload: WireCodable, Sendable {
    var kind: PregelTaskKind
    var partition: Int
    var epoch: Int
    var superstep: Int
    var totalVertices: Int
    /// Load outputs holding this partition's edges (prepare).
    var loadSources: [MapOutputSource]
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

    init(kind: PregelTaskKind, partition: Int, epoch: Int) {
        self.kind = kind; self.partition = partition; self.epoch = epoch; superstep = 0; totalVertices = 0; loadSources = []
        restoreStatePath = nil; inbox = .none; initialize = false; aggregates = []; globals = []; checkpointDirectory = nil
        ahead = nil
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
    }

    init(from r: inout WireReader) throws {
        guard let kind = PregelTaskKind(rawValue: try r.readByte()) else {
            throw WireError.invalidValue(type: "PregelTaskKind", detail: "unknown kind")
        }
        self.kind = kind
        partition = try r.read(Int.self); epoch = try r.read(Int.self); superstep = try r.read(Int.self); totalVertices = try r.read(Int.self)
        loadSources = try r.read([MapOutputSource].self); restoreStatePath = try r.read(String?.self)
        switch try r.readByte() {
        case 0: inbox = .none
        case 1: inbox = .exchange(try r.read([MapOutputSource].self))
        case 2: inbox = .checkpoint(try r.read([String].self))
        default: throw WireError.invalidValue(type: "InboxSource", detail: "unknown tag")
        }
        initialize = try r.read(Bool.self); aggregates = try r.read([Double].self); globals = try r.read([Pair<String, Double>].self)
        checkpointDirectory = try r.read(String?.self)
        ahead = try r.read(FetchAhead?.self)
    }
}

/// What a Pregel task reports back.
struct PregelTaskReport: WireCodable, Sendable {
    /// Bytes per destination partition of the task's output (load and superstep tasks).
    var partitionSizes: [Int]
    var vertices: Int
    var edges: Int
    var activeVertices: Int
    var messagesSent: Int
    var aggregates: [Double]
    var skippedLines: Int

    init(
        partitionSizes: [Int] = [], vertices: Int = 0, edges: Int = 0, activeVertices: Int = 0, messagesSent: Int = 0, aggregates: [Double] = [],
        skippedLines: Int = 0
    ) {
        self.partitionSizes = partitionSizes; self.vertices = vertices; self.edges = edges; self.activeVertices = activeVertices
        self.messagesSent = messagesSent; self.aggregates = aggregates; self.skippedLines = skippedLines
    }
    func encode(to w: inout WireWriter) {
        w.write(partitionSizes); w.write(vertices); w.write(edges); w.write(activeVertices); w.write(messagesSent); w.write(aggregates);
        w.write(skippedLines)
    }
    init(from r: inout WireReader) throws {
        partitionSizes = try r.read([Int].self); vertices = try r.read(Int.self); edges = try r.read(Int.self); activeVertices = try r.read(Int.self)
        messagesSent = try r.read(Int.self); aggregates = try r.read([Double].self); skippedLines = try r.read(Int.self)
    }
}

/// An edge as shuffled from the loaders to its source's partition, or a marker that a vertex exists.
struct LoadedEdge: WireCodable, Sendable {
    /// nil: the key vertex exists (it appeared as a target).
    var target: Int64?
    var weight: Double?

    init(target: Int64?, weight: Double?) {
        self.target = target
        self.weight = weight
    }
    func encode(to w: inout WireWriter) {
        switch (target, weight) {
        case (nil, _): w.writeByte(0)
        case (let t?, nil): w.writeByte(1); w.write(t)
        case (let t?, let x?): w.writeByte(2); w.write(t); w.write(x)
        }
    }
    init(from r: inout WireReader) throws {
        switch try r.readByte() {
        case 0: target = nil; weight = nil
        case 1: target = try r.read(Int64.self); weight = nil
        case 2: target = try r.read(Int64.self); weight = try r.read(Double.self)
        default: throw WireError.invalidValue(type: "LoadedEdge", detail: "unknown tag")
        }
    }
}
