import SpindleCore

/// What a BSP job's load function uses to route what it reads: ``send(toPartition:_:)`` delivers a message to
/// a partition's ``BSPJob/makeState``. One loader serves a whole load task (no per-line objects).
public final class BSPLoader<Message: WireCodable & Sendable> {
    /// The number of partitions of the run (`--partitions`).
    public let partitionCount: Int
    /// Sends of the current line, committed when the load function returns and dropped when it throws.
    private var pending = WireWriter(reservingCapacity: 256)
    private var pendingEnds: [(partition: Int, end: Int)] = []

    init(partitionCount: Int) {
        self.partitionCount = partitionCount
    }

    /// Sends `message` to partition `partition` (0..<``partitionCount``); a partition outside that range fails
    /// the task.
    public func send(toPartition partition: Int, _ message: Message) {
        message.encode(to: &pending)
        pendingEnds.append((partition, pending.count))
    }

    /// Moves the current line's sends into `outbox`.
    func commit(to outbox: BSPOutbox<Message>) {
        guard !pendingEnds.isEmpty else { return }
        pending.bytes.withUnsafeBytes { bytes in
            var start = 0
            for (partition, end) in pendingEnds {
                outbox.append(partition: partition, encoded: UnsafeRawBufferPointer(rebasing: bytes[start..<end]))
                start = end
            }
        }
        discard()
    }

    /// Drops the current line's sends.
    func discard() {
        pending.removeAll(keepingCapacity: true)
        pendingEnds.removeAll(keepingCapacity: true)
    }
}
