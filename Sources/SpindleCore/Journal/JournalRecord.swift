/// One decision of the coordinator that matters for recovery, as the journal stores it (see ``JournalFraming``).
package enum JournalRecord: Sendable, Equatable {
    /// The job was planned: always the first record.
    case planned(JobPlan)
    /// A coordinator (the first, or one resuming the journal) took over under `epoch`: attempt ids start at
    /// ``JournalRecord/firstAttempt(epoch:)`` and worker ids above every id in the journal.
    case epoch(Int)
    /// A MapReduce task committed: which attempt, on which worker, the output files it made part of the job's
    /// (none for a map task) and its counters.
    case taskCommitted(CommittedTaskRecord)
    /// A map task's output is kept by `worker`, served at `host:port`, with `sizes` bytes per reduce partition.
    case mapOutput(MapOutputRecord)
    /// An input of the superstep barrier, in the order it was fed; replaying them rebuilds the barrier.
    case barrier(BarrierInput)
    /// A superstep completed with these folded aggregates and master globals (sorted by name).
    case superstepCompleted(superstep: Int, aggregates: [Double], globals: [Pair<String, Double>])
    /// A checkpoint's manifest was written: the checkpoint is committed.
    case checkpointCommitted(CheckpointManifest)
    /// Every output file is in place and `_SUCCESS` is being written.
    case jobCommitted

    /// The first attempt id a coordinator of `epoch` hands out: epochs never share attempt ids, so a result or
    /// a temporary file of an earlier coordinator's attempt can never pass for a new one.
    package static func firstAttempt(epoch: Int) -> UInt64 { UInt64(max(0, epoch)) * 1_000_000_000 + 1 }
}

/// A committed MapReduce task (``JournalRecord/taskCommitted(_:)``).
package struct CommittedTaskRecord: Sendable, Equatable, WireCodable {
    /// What the task was.
    package enum Kind: UInt8, Sendable, Equatable {
        case map = 0, reduce = 1
    }
    /// One file the task's commit made part of the output, with its size and CRC32C.
    package struct OutputFile: Sendable, Equatable, WireCodable {
        package var name: String
        package var size: Int
        package var checksum: UInt32

        package init(name: String, size: Int, checksum: UInt32) {
            self.name = name
            self.size = size
            self.checksum = checksum
        }

        package func encode(to w: inout WireWriter) { w.write(name); w.write(size); w.write(checksum) }
        package init(from r: inout WireReader) throws {
            name = try r.read(String.self); size = try r.read(Int.self); checksum = try r.read(UInt32.self)
        }
    }

    package var kind: Kind
    /// The split (map) or partition (reduce) index.
    package var index: Int
    package var attempt: AttemptID
    package var worker: WorkerID
    package var files: [OutputFile]
    package var counters: [Pair<String, Int>]

    package init(kind: Kind, index: Int, attempt: AttemptID, worker: WorkerID, files: [OutputFile], counters: [Pair<String, Int>]) {
        self.kind = kind
        self.index = index
        self.attempt = attempt
        self.worker = worker
        self.files = files
        self.counters = counters
    }

    package func encode(to w: inout WireWriter) {
        w.write(kind.rawValue); w.write(index); w.write(attempt); w.write(worker); w.write(files); w.write(counters)
    }

    package init(from r: inout WireReader) throws {
        let raw = try r.read(UInt8.self)
        guard let kind = Kind(rawValue: raw) else { throw WireError.invalidValue(type: "committed task", detail: "unknown kind \(raw)") }
        self.kind = kind
        index = try r.read(Int.self); attempt = try r.read(AttemptID.self); worker = try r.read(WorkerID.self)
        files = try r.read([OutputFile].self); counters = try r.read([Pair<String, Int>].self)
    }
}

/// Where a committed map task's output lives (``JournalRecord/mapOutput(_:)``).
package struct MapOutputRecord: Sendable, Equatable, WireCodable {
    package var index: Int
    package var attempt: AttemptID
    package var worker: WorkerID
    package var host: String
    package var port: UInt16
    package var sizes: [Int]

    package init(index: Int, attempt: AttemptID, worker: WorkerID, host: String, port: UInt16, sizes: [Int]) {
        self.index = index
        self.attempt = attempt
        self.worker = worker
        self.host = host
        self.port = port
        self.sizes = sizes
    }

    package func encode(to w: inout WireWriter) {
        w.write(index); w.write(attempt); w.write(worker); w.write(host); w.write(port); w.write(sizes)
    }

    package init(from r: inout WireReader) throws {
        index = try r.read(Int.self); attempt = try r.read(AttemptID.self); worker = try r.read(WorkerID.self)
        host = try r.read(String.self); port = try r.read(UInt16.self); sizes = try r.read([Int].self)
    }
}
