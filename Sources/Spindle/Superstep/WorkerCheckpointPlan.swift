import SpindleCore

/// What a partition task needs of checkpoints kept by workers (`--checkpoint-store workers`); nil in a task of a job
/// that keeps them under the output directory.
struct WorkerCheckpointPlan: WireCodable, Sendable, Equatable {
    /// The committed checkpoints (supersteps) this worker keeps copies of; local checkpoints older than the newest of
    /// them and not among them are deleted (see ``CheckpointReplica/prune(keeping:context:)``).
    var kept: [Int]
    /// Superstep task: write this superstep's checkpoint into this worker's scratch and serve it.
    var write: Bool
    /// Prepare task: restore the partition's state from this holder's copy.
    var restore: CheckpointHolder?
    /// Replicate task: copy the partition's checkpoint files from this holder.
    var copy: CheckpointHolder?

    init(kept: [Int], write: Bool = false, restore: CheckpointHolder? = nil, copy: CheckpointHolder? = nil) {
        self.kept = kept; self.write = write; self.restore = restore; self.copy = copy
    }
    func encode(to w: inout WireWriter) { w.write(kept); w.write(write); w.write(restore); w.write(copy) }
    init(from r: inout WireReader) throws {
        kept = try r.read([Int].self); write = try r.read(Bool.self)
        restore = try r.read(CheckpointHolder?.self); copy = try r.read(CheckpointHolder?.self)
    }
}

/// A worker holding a copy of one partition's checkpoint files, and what they hold.
struct CheckpointHolder: WireCodable, Sendable, Equatable {
    /// Where the holder's exchange server listens.
    var host: String
    var port: UInt16
    var superstep: Int
    var partition: Int
    /// The sizes and checksums of the holder's copy.
    var copy: CheckpointCopy
    /// Bytes of each destination's segment of the message file.
    var messageSizes: [Int]

    init(host: String, port: UInt16, superstep: Int, partition: Int, copy: CheckpointCopy, messageSizes: [Int]) {
        self.host = host; self.port = port; self.superstep = superstep; self.partition = partition; self.copy = copy
        self.messageSizes = messageSizes
    }
    func encode(to w: inout WireWriter) {
        w.write(host); w.write(port); w.write(superstep); w.write(partition); w.write(copy); w.write(messageSizes)
    }
    init(from r: inout WireReader) throws {
        host = try r.read(String.self); port = try r.read(UInt16.self); superstep = try r.read(Int.self); partition = try r.read(Int.self)
        copy = try r.read(CheckpointCopy.self); messageSizes = try r.read([Int].self)
        guard superstep >= 0, partition >= 0, messageSizes.allSatisfy({ $0 >= 0 }) else {
            throw WireError.invalidValue(type: "checkpoint holder", detail: "superstep \(superstep) or partition \(partition) out of range")
        }
    }
}
