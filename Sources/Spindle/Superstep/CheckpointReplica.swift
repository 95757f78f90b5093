import SpindleCore
import SpindlePosix

/// The worker side of checkpoints kept by workers (`--checkpoint-store workers`): each partition's files live in
/// the scratch directory of the worker that wrote them, `SCRATCH/checkpoints/superstep-S/`, and of one other
/// worker that copied them, and both serve them through their exchange servers (over the authenticated fetch
/// path, in CRC32C-checked blocks) under ids of their own (``stateID(superstep:partition:)``,
/// ``messagesID(superstep:partition:)``).
///
/// Two files per partition: `messages-P`, the messages the partition sent in superstep S (the superstep's output,
/// a partitioned file), and `state-P.spx`, a partitioned file with one segment holding the sealed state file
/// ``CheckpointStore`` writes, in records of at most ``stateChunk`` bytes. A copy is the fetched segments and the
/// footer, byte for byte, so both holders report the same sizes and CRC32Cs of whole files when the copy is
/// intact. Nothing here is read by the coordinator.
enum CheckpointReplica {
    /// Bytes of the sealed state per record of the state file.
    static let stateChunk = 64 << 10
    /// Ids of served checkpoint files have this bit set; the scheduler's attempt ids never do.
    private static let idBit: UInt64 = 1 << 63

    /// The id the holders of partition `partition`'s checkpoint of superstep `superstep` serve its state file under.
    static func stateID(superstep: Int, partition: Int) -> AttemptID {
        AttemptID(idBit | UInt64(superstep) << 22 | UInt64(partition) << 1)
    }

    /// The id the holders of partition `partition`'s checkpoint of superstep `superstep` serve its message file under.
    static func messagesID(superstep: Int, partition: Int) -> AttemptID {
        AttemptID(idBit | UInt64(superstep) << 22 | UInt64(partition) << 1 | 1)
    }

    static func root(_ context: TaskContext) -> String { "\(context.scratchDirectory)/checkpoints" }

    /// This worker's directory of the checkpoint of `superstep`, created when missing.
    static func directory(_ context: TaskContext, superstep: Int) throws -> String {
        let dir = "\(root(context))/superstep-\(superstep)"
        do {
            try FileSystem.createDirectory(dir, intermediate: true)
        } catch {
            throw TaskFailure("cannot create the checkpoint directory \(dir) in this worker's scratch (\(error)); check that its disk is not full")
        }
        return dir
    }

    static func statePath(_ dir: String, partition: Int) -> String { "\(dir)/state-\(partition).spx" }

    /// Turns the sealed state file at `sealedState` (deleted afterwards) and the message file of a partition's
    /// checkpoint into this worker's copy: writes the state file, serves both, and returns their sizes and CRC32Cs.
    static func publish(_ dir: String, partition p: Int, superstep s: Int, sealedState: String, context: TaskContext) throws -> CheckpointCopy {
        let sealed = try FileSystem.readFile(sealedState)
        let writer = PartitionedFileWriter(memoryNamed: "checkpoint state of partition \(p)", partitionCount: 1, expectedBytes: sealed.count)
        try sealed.withUnsafeBytes { bytes in
            var offset = 0
            repeat {
                let end = min(offset + stateChunk, bytes.count)
                try writer.append(
                    partition: 0, key: UnsafeRawBufferPointer(start: nil, count: 0), value: UnsafeRawBufferPointer(rebasing: bytes[offset..<end]))
                offset = end
            } while offset < bytes.count
        }
        let state = try writer.finishInMemory().file
        let stateBytes = Array(state.contents)
        try FileSystem.writeFileAtomically(statePath(dir, partition: p), stateBytes)
        try? FileSystem.unlink(sealedState)
        let messages = try PartitionedFile(path: CheckpointStore.messagesPath(dir, partition: p))
        try serve(dir, partition: p, superstep: s, context: context)
        return CheckpointCopy(
            stateBytes: stateBytes.count, stateCRC: stateBytes.withUnsafeBytes { CRC32C.checksum($0) },
            messagesBytes: messages.contents.count, messagesCRC: CRC32C.checksum(messages.contents))
    }

    /// Serves this worker's copy of partition `p`'s checkpoint of superstep `s` through its exchange.
    private static func serve(_ dir: String, partition p: Int, superstep s: Int, context: TaskContext) throws {
        let exchange = context.services.exchange
        exchange.register(stateID(superstep: s, partition: p), file: try PartitionedFile(path: statePath(dir, partition: p)))
        exchange.register(messagesID(superstep: s, partition: p), file: try PartitionedFile(path: CheckpointStore.messagesPath(dir, partition: p)))
    }

    /// Runs a replicate task: copies the partition's checkpoint files from `task`'s holder into this worker's
    /// scratch, serves them, and reports the copy's sizes and CRC32Cs.
    static func replicate(_ task: PartitionTask, context: TaskContext) throws -> TaskOutcome {
        guard let holder = task.workerCheckpoints?.copy, holder.partition == task.partition else {
            throw TaskFailure("the replicate task of partition \(task.partition) names no checkpoint to copy")
        }
        let dir = try directory(context, superstep: holder.superstep)
        let state = try fetch(
            holder, id: stateID(superstep: holder.superstep, partition: holder.partition),
            sizes: [holder.copy.stateSegmentBytes], context: context)
        let messages = try fetch(
            holder, id: messagesID(superstep: holder.superstep, partition: holder.partition),
            sizes: holder.messageSizes, context: context)
        try FileSystem.writeFileAtomically(CheckpointStore.messagesPath(dir, partition: holder.partition), messages)
        try FileSystem.writeFileAtomically(statePath(dir, partition: holder.partition), state)
        try serve(dir, partition: holder.partition, superstep: holder.superstep, context: context)
        let copy = CheckpointCopy(
            stateBytes: state.count, stateCRC: state.withUnsafeBytes { CRC32C.checksum($0) },
            messagesBytes: messages.count, messagesCRC: messages.withUnsafeBytes { CRC32C.checksum($0) })
        var statistics = AttemptStatistics()
        statistics.bytesIn = state.count + messages.count
        return TaskOutcome(payload: PartitionReport(checkpoint: copy).wireEncoded(), statistics: statistics)
    }

    /// Fetches every segment of the partitioned file `id` from `holder` (`sizes[q]` bytes in segment q, each block's
    /// CRC32C checked on arrival, or read in place when this worker is the holder) and returns the file's bytes.
    private static func fetch(_ holder: CheckpointHolder, id: AttemptID, sizes: [Int], context: TaskContext) throws -> [UInt8] {
        let fetcher = SegmentFetcher(
            secret: context.services.secret, server: context.services.exchange, scratchPrefix: context.scratchPrefix, producerStage: -1,
            producerName: "the checkpoint of superstep \(holder.superstep) of partition", inMemory: true)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(sizes.reduce(0, +) + CheckpointCopy.footerBytes(partitions: sizes.count))
        var offsets = [0]
        for (q, size) in sizes.enumerated() {
            let source = SegmentSource(producer: holder.partition, attempt: id, host: holder.host, port: holder.port, bytes: size)
            let segments: [SegmentFetcher.Segment]
            do {
                segments = try fetcher.fetch(partition: q, sources: [source], context: context)
            } catch let failure as BlamelessFailure {
                // Checkpoint files are not recomputed one by one: the loss of their holder rolls the job back.
                throw BlamelessFailure(description: failure.description, lostOutputs: [])
            }
            for segment in segments {
                if !segment.verified { _ = try BlockValidator.validate(segment.bytes, source: "checkpoint copy of partition \(holder.partition)") }
                bytes.append(contentsOf: segment.bytes)
                withExtendedLifetime(segment.owner) {}
            }
            offsets.append(bytes.count)
        }
        bytes += PartitionedFileWriter.footer(offsets: offsets)
        return bytes
    }

    /// Fetches partition `holder.partition`'s sealed state from `holder` into a scratch file of this attempt and
    /// returns its path (the caller deletes it once restored).
    static func fetchState(_ holder: CheckpointHolder, context: TaskContext) throws -> String {
        let file = try fetch(
            holder, id: stateID(superstep: holder.superstep, partition: holder.partition), sizes: [holder.copy.stateSegmentBytes], context: context)
        let source = "checkpoint state of partition \(holder.partition)"
        var sealed: [UInt8] = []
        try file.withUnsafeBytes { bytes in
            var cursor = RecordCursor(blocks: UnsafeRawBufferPointer(rebasing: bytes[..<holder.copy.stateSegmentBytes]), source: source)
            while try cursor.next() { sealed.append(contentsOf: cursor.value) }
        }
        let path = "\(context.scratchPrefix)-restore-state-\(holder.partition)"
        try FileSystem.writeFileAtomically(path, sealed)
        return path
    }

    /// Deletes this worker's checkpoints that are older than the newest of `kept` and not among them, and stops
    /// serving them (best effort: what cannot be deleted goes with the scratch directory at exit).
    static func prune(keeping kept: [Int], context: TaskContext) {
        guard let newest = kept.max(), let names = try? FileSystem.listDirectory(root(context)) else { return }
        for name in names where name.hasPrefix("superstep-") {
            guard let s = Int(name.dropFirst("superstep-".count)), s < newest, !kept.contains(s) else { continue }
            let dir = "\(root(context))/\(name)"
            for file in (try? FileSystem.listDirectory(dir)) ?? [] {
                if file.hasPrefix("state-"), let p = Int(file.dropFirst("state-".count).prefix { $0.isNumber }) {
                    context.services.exchange.unregister(stateID(superstep: s, partition: p))
                } else if file.hasPrefix("messages-"), let p = Int(file.dropFirst("messages-".count)) {
                    context.services.exchange.unregister(messagesID(superstep: s, partition: p))
                }
            }
            try? FileSystem.removeTree(dir)
        }
    }
}
