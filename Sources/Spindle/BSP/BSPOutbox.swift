import SpindleCore

/// Where a BSP task's sends go: encoded messages with their destination partitions in a ``RecordBuffer``
/// (empty keys), spilled by a ``PartitionedSpillBuffer`` when they pass the memory budget, and written at the
/// end as one partitioned file, in which every destination's segment holds its messages in send order.
///
/// No sorting by key: all keys are empty, and the spill buffer keeps records of equal keys in the order they
/// were added, across spills. A send to a partition outside `0..<partitionCount` is recorded as the task's
/// failure (thrown by ``finish(path:)`` or checked by the engine), not a trap.
final class BSPOutbox<Message: WireCodable> {
    let partitionCount: Int
    private let buffer = RecordBuffer()
    private let spills: PartitionedSpillBuffer
    private var encoder = WireWriter()
    /// Messages sent so far.
    private(set) var sent = 0
    /// The first error (a bad partition, a failed spill); the task fails with it.
    private(set) var failure: (any Error)?
    /// The partitions whose messages are kept (nil: every one): a narrowed replay drops the others unencoded.
    let targets: [Bool]?

    init(partitionCount: Int, budget: Int, scratchPrefix: String, targets: [Bool]? = nil) {
        self.partitionCount = partitionCount
        self.targets = targets
        spills = PartitionedSpillBuffer(partitionCount: partitionCount, budget: budget, scratchPrefix: "\(scratchPrefix)-outbox")
    }

    /// Encodes and buffers `message` for `partition`.
    @inline(__always)
    func send(toPartition partition: Int, _ message: Message) {
        if let targets, targets.indices.contains(partition), !targets[partition] { return }
        encoder.removeAll(keepingCapacity: true)
        message.encode(to: &encoder)
        encoder.bytes.withUnsafeBytes { append(partition: partition, encoded: $0) }
    }

    /// Buffers an encoded message for `partition`.
    func append(partition: Int, encoded: UnsafeRawBufferPointer) {
        guard partition >= 0 && partition < partitionCount else {
            fail(TaskFailure("the job sent a message to partition \(partition); partitions are 0..<\(partitionCount)"))
            return
        }
        guard failure == nil else { return }
        buffer.append(partition: partition, key: UnsafeRawBufferPointer(start: nil, count: 0), value: encoded)
        sent += 1
        do { try spills.spillIfFull(buffer) } catch { fail(error) }
    }

    /// Sorted runs spilled to disk so far.
    var spillCount: Int { spills.spillCount }

    /// Records `error` as the task's failure unless one is recorded already.
    func fail(_ error: any Error) {
        if failure == nil { failure = error }
    }

    /// Writes every buffered and spilled message to the partitioned file at `path` (not fsynced); returns the
    /// byte size of each partition's segment.
    func finish(path: String) throws -> [Int] {
        if let failure {
            spills.removeRuns()
            throw failure
        }
        return try spills.finish(buffer, path: path)
    }
}
