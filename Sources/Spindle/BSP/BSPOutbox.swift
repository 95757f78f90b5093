import SpindleCore
import SpindlePosix

/// Where a BSP task's sends go: encoded messages with their destination partitions in a byte arena
/// (``RecordBuffer``, empty keys), spilled as partitioned runs when the memory budget is passed, and written at
/// the end as one partitioned file, in which every destination's segment holds its messages in send order.
///
/// No sorting by key: the buffer's stable sort by partition keeps send order, and the runs are concatenated
/// per partition in spill order. A send to a partition outside `0..<partitionCount` is recorded as the
/// task's failure (thrown by ``finish(path:)`` or checked by the engine), not a trap.
final class BSPOutbox<Message: WireCodable> {
    let partitionCount: Int
    private let budget: Int
    private let scratchPrefix: String
    private let buffer = RecordBuffer()
    private var encoder = WireWriter()
    private var spills: [String] = []
    /// Messages sent so far.
    private(set) var sent = 0
    /// The first error (a bad partition, a failed spill); the task fails with it.
    private(set) var failure: (any Error)?

    init(partitionCount: Int, budget: Int, scratchPrefix: String) {
        self.partitionCount = partitionCount
        self.budget = budget
        self.scratchPrefix = scratchPrefix
    }

    /// Encodes and buffers `message` for `partition`.
    @inline(__always)
    func send(toPartition partition: Int, _ message: Message) {
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
        if buffer.byteCount > budget {
            do { try spill() } catch { fail(error) }
        }
    }

    /// Records `error` as the task's failure unless one is recorded already.
    func fail(_ error: any Error) {
        if failure == nil { failure = error }
    }

    private func spill() throws {
        let path = "\(scratchPrefix)-bsp-spill-\(spills.count)"
        let writer = try PartitionedFileWriter(path: path, partitionCount: partitionCount)
        try buffer.write(to: writer)
        try writer.finish(sync: false)
        buffer.removeAll()
        spills.append(path)
    }

    /// Writes every buffered and spilled message to the partitioned file at `path` (not fsynced); returns the
    /// byte size of each partition's segment.
    func finish(path: String) throws -> [Int] {
        if let failure { throw failure }
        let writer = try PartitionedFileWriter(path: path, partitionCount: partitionCount)
        if spills.isEmpty {
            try buffer.write(to: writer)
        } else {
            if buffer.count > 0 { try spill() }
            let runs = try spills.map { try PartitionedFile(path: $0) }
            for q in 0..<partitionCount {
                for run in runs {
                    var cursor = run.cursor(q)
                    while try cursor.next() { try writer.append(partition: q, key: cursor.key, value: cursor.value) }
                }
            }
            for path in spills { try FileSystem.unlink(path) }
            spills.removeAll()
        }
        buffer.removeAll()
        return try writer.finish(sync: false)
    }
}
