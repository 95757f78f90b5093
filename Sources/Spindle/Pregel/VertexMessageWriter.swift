import SpindleCore
import SpindlePosix

/// Writes the messages a Pregel partition sent in one superstep as one partitioned output, in one of three
/// ways: only dense slots, kept in memory (each destination's block written in place); dense slots and keyed
/// sends (each destination's stretch of slots first, then its keyed records); or keyed sends only (the
/// map-side sink's sorted, combined file).
struct VertexMessageWriter<Message: WireCodable & Sendable> {
    let partition: Int
    let superstep: Int
    let partitionCount: Int
    let scratchPrefix: String
    /// The destination partitions whose dense slots are written (nil: every one); the others get nothing (a
    /// narrowed replay, whose keyed sends to them were dropped already).
    var targets: [Bool]? = nil

    /// Writes what was sent through `dense` (slots resolved by `routing`, jobs with a combiner) and through
    /// `keyed` (buffered by `sink`). The output is kept in memory unless `checkpointing` or the job has no
    /// combiner; then it is the file `path`.
    func write(
        dense: CombinedSlots<Message>?, routing: MessageRouting?, keyed: MessageOutbox<Message>, sink: MapOutputSink<Message>,
        path: String, checkpointing: Bool
    ) throws -> PartitionedOutput {
        guard let dense, let routing else {
            let sizes = try sink.finish(table: keyed.output.table, finalPath: path)
            return PartitionedOutput(file: try PartitionedFile(path: path), sizes: sizes, path: path)
        }
        if !checkpointing && keyed.output.emitted == 0 {
            return try writeDenseInPlace(dense, routing: routing)
        }
        return try writeDenseAndKeyed(dense, routing: routing, keyed: keyed, sink: sink, path: checkpointing ? path : nil)
    }

    private var name: String { "messages of partition \(partition) in superstep \(superstep)" }

    /// Only dense slots, kept in memory: each destination's block is written in place.
    private func writeDenseInPlace(_ dense: CombinedSlots<Message>, routing: MessageRouting) throws -> PartitionedOutput {
        let builder = DirectBlockFileBuilder(
            name: name, partitionCount: partitionCount,
            expectedBytes: routing.slotTargets.count * (MemoryLayout<Message>.size + 1) + 64 * partitionCount)
        for q in 0..<partitionCount where targets?[q] ?? true {
            try dense.appendBlock(routing.slotBase[q]..<routing.slotBase[q + 1], partition: q, to: builder)
        }
        let (file, sizes) = try builder.finish()
        return PartitionedOutput(file: file, sizes: sizes, path: nil)
    }

    /// Each destination's stretch of dense slots first (an empty key sorts first), then its keyed sends; in
    /// memory when `path` is nil, else in the file `path`.
    private func writeDenseAndKeyed(
        _ dense: CombinedSlots<Message>, routing: MessageRouting, keyed: MessageOutbox<Message>, sink: MapOutputSink<Message>, path: String?
    ) throws -> PartitionedOutput {
        var keyedFile: PartitionedFile?
        if keyed.output.emitted > 0 {
            let keyedPath = "\(scratchPrefix)-keyed.out"
            _ = try sink.finish(table: keyed.output.table, finalPath: keyedPath)
            keyedFile = try PartitionedFile(path: keyedPath)
            try FileSystem.unlink(keyedPath)
        }
        let writer =
            try path.map { try PartitionedFileWriter(path: $0, partitionCount: partitionCount) }
            ?? PartitionedFileWriter(
                memoryNamed: name, partitionCount: partitionCount, expectedBytes: routing.slotTargets.count * (MemoryLayout<Message>.size + 1))
        for q in 0..<partitionCount where targets?[q] ?? true {
            try dense.withBlock(routing.slotBase[q]..<routing.slotBase[q + 1]) { block in
                try writer.append(partition: q, key: UnsafeRawBufferPointer(start: nil, count: 0), value: block)
            }
            guard var cursor = keyedFile?.cursor(q) else { continue }
            while try cursor.next() { try writer.append(partition: q, key: cursor.key, value: cursor.value) }
        }
        guard let path else {
            let (file, sizes) = try writer.finishInMemory()
            return PartitionedOutput(file: file, sizes: sizes, path: nil)
        }
        let sizes = try writer.finish(sync: false)
        return PartitionedOutput(file: try PartitionedFile(path: path), sizes: sizes, path: path)
    }
}
