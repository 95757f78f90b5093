import SpindleCore

/// Settings every worker of a MapReduce run gets (in ``JobDescriptor/engineSettings``).
struct MapReduceSettings: WireCodable, Sendable {
    /// Reduce partitions; 0 for a map-only job.
    var reducers: Int
    /// Map-side buffer bytes before a spill.
    var mapBufferBytes: Int
    var maxRecord: Int
    var skipBadRecords: Bool
    /// The output directory (attempts write under its `_temporary`).
    var outputDirectory: String
    /// Split points of a total-order partitioner.
    var rangeBounds: [[UInt8]]
    var countStage: Int?
    var mapStage: Int
    var reduceStage: Int?

    func encode(to w: inout WireWriter) {
        w.write(reducers); w.write(mapBufferBytes); w.write(maxRecord); w.write(skipBadRecords); w.write(outputDirectory)
        w.write(rangeBounds); w.write(countStage); w.write(mapStage); w.write(reduceStage)
    }
    init(from r: inout WireReader) throws {
        reducers = try r.read(Int.self); mapBufferBytes = try r.read(Int.self); maxRecord = try r.read(Int.self)
        skipBadRecords = try r.read(Bool.self); outputDirectory = try r.read(String.self); rangeBounds = try r.read([[UInt8]].self)
        countStage = try r.read(Int?.self); mapStage = try r.read(Int.self); reduceStage = try r.read(Int?.self)
    }
    init(reducers: Int, mapBufferBytes: Int, maxRecord: Int, skipBadRecords: Bool, outputDirectory: String, rangeBounds: [[UInt8]],
         countStage: Int?, mapStage: Int, reduceStage: Int?) {
        self.reducers = reducers; self.mapBufferBytes = mapBufferBytes; self.maxRecord = maxRecord; self.skipBadRecords = skipBadRecords
        self.outputDirectory = outputDirectory; self.rangeBounds = rangeBounds; self.countStage = countStage; self.mapStage = mapStage
        self.reduceStage = reduceStage
    }
}

/// A map task: its split and, when the job wants line numbers, the number of each chunk's first line.
struct MapTaskPayload: WireCodable, Sendable {
    var split: InputSplit
    var firstLineNumbers: [Int]

    init(split: InputSplit, firstLineNumbers: [Int]) {
        self.split = split
        self.firstLineNumbers = firstLineNumbers
    }
    func encode(to w: inout WireWriter) { w.write(split); w.write(firstLineNumbers) }
    init(from r: inout WireReader) throws { split = try r.read(InputSplit.self); firstLineNumbers = try r.read([Int].self) }
}

/// Counters reported by a finished task, plus the partition sizes of a map task's output.
struct TaskReport: WireCodable, Sendable {
    var partitionSizes: [Int]
    var counters: [Pair<String, Int>]

    init(partitionSizes: [Int], counters: [Pair<String, Int>]) {
        self.partitionSizes = partitionSizes
        self.counters = counters
    }
    func encode(to w: inout WireWriter) { w.write(partitionSizes); w.write(counters) }
    init(from r: inout WireReader) throws { partitionSizes = try r.read([Int].self); counters = try r.read([Pair<String, Int>].self) }
}

/// A reduce task: its partition and the map outputs to fetch it from.
struct ReduceTaskPayload: WireCodable, Sendable {
    var partition: Int
    var sources: [SegmentSource]

    init(partition: Int, sources: [SegmentSource]) {
        self.partition = partition
        self.sources = sources
    }
    func encode(to w: inout WireWriter) { w.write(partition); w.write(sources) }
    init(from r: inout WireReader) throws { partition = try r.read(Int.self); sources = try r.read([SegmentSource].self) }
}
