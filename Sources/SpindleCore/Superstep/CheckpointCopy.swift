/// One worker's copy of one partition's checkpoint files (``CheckpointStoreMode/workers``), as that worker reports
/// it: the size and CRC32C of each whole file. Two copies match when every field is equal.
package struct CheckpointCopy: WireCodable, Sendable, Equatable {
    /// Bytes of the state file (a partitioned file with one segment holding the partition's sealed state).
    package var stateBytes: Int
    package var stateCRC: UInt32
    /// Bytes of the message file (the messages the partition sent in the checkpoint's superstep, one segment per
    /// destination partition).
    package var messagesBytes: Int
    package var messagesCRC: UInt32

    package init(stateBytes: Int, stateCRC: UInt32, messagesBytes: Int, messagesCRC: UInt32) {
        self.stateBytes = stateBytes; self.stateCRC = stateCRC; self.messagesBytes = messagesBytes; self.messagesCRC = messagesCRC
    }

    /// Bytes of the footer of a partitioned file with `partitions` segments: the segments hold the file's other bytes.
    package static func footerBytes(partitions: Int) -> Int { (partitions + 1) * 8 + 12 }

    /// Bytes of the state file's only segment (what a holder serves of it).
    package var stateSegmentBytes: Int { stateBytes - Self.footerBytes(partitions: 1) }

    package func encode(to w: inout WireWriter) { w.write(stateBytes); w.write(stateCRC); w.write(messagesBytes); w.write(messagesCRC) }

    /// - Throws: ``WireError`` when the bytes are cut short or a size is out of range.
    package init(from r: inout WireReader) throws {
        stateBytes = try r.read(Int.self); stateCRC = try r.read(UInt32.self)
        messagesBytes = try r.read(Int.self); messagesCRC = try r.read(UInt32.self)
        guard stateBytes > Self.footerBytes(partitions: 1), messagesBytes >= Self.footerBytes(partitions: 1) else {
            throw WireError.invalidValue(type: "checkpoint copy", detail: "file sizes \(stateBytes) and \(messagesBytes) are too small")
        }
    }
}

/// A checkpoint committed in ``CheckpointStoreMode/workers``: what its manifest would hold, and per partition the
/// workers holding a copy of its files (the writer first) with their sizes and checksums.
package struct ReplicatedCheckpoint: Sendable, Equatable {
    package var manifest: CheckpointManifest
    /// Per partition: the workers holding a copy, alive as far as the barrier knows.
    package var holders: [[WorkerID]]
    /// Per partition: the copies' sizes and checksums (equal on every holder).
    package var copies: [CheckpointCopy]
    /// Per partition: the bytes of each destination partition's segment of its message file.
    package var messageSizes: [[Int]]

    package init(manifest: CheckpointManifest, holders: [[WorkerID]], copies: [CheckpointCopy], messageSizes: [[Int]]) {
        self.manifest = manifest; self.holders = holders; self.copies = copies; self.messageSizes = messageSizes
    }

    /// The first partition none of whose holders is left, if any: the checkpoint cannot be restored.
    package var firstLostPartition: Int? { holders.firstIndex { $0.isEmpty } }

    /// The holder of `partition`'s copy to read from: `preferred` when it holds one (a local read), else the first.
    package func holder(of partition: Int, preferring preferred: WorkerID?) -> WorkerID? {
        let list = holders[partition]
        if let preferred, list.contains(preferred) { return preferred }
        return list.first
    }
}
