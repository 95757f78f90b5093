import Synchronization

/// Per-partition objects a worker keeps between the tasks of a superstep job (type-erased: the
/// ``PartitionHost`` of each job knows the ``HostedPartition`` type it stores).
final class HeldPartitions: Sendable {
    private let objects = Mutex<[Int: any Sendable]>([:])

    /// The object held for `partition`, if there is one of type `T`.
    func object<T>(_ partition: Int, as: T.Type) -> T? {
        objects.withLock { $0[partition] as? T }
    }

    /// Holds `object` for `partition`, replacing what was held.
    func set(_ partition: Int, _ object: any Sendable) {
        objects.withLock { $0[partition] = object }
    }

    /// Drops what is held of `partitions` (they moved to other workers) and stops serving their outputs.
    /// A task of one of them still running (its attempt cancelled) may register an output afterwards; that output
    /// is served until the worker exits, as nobody asks for it.
    func release(_ partitions: [Int], exchange: ExchangeServer, logBudget: MessageLogBudget) {
        let dropped = objects.withLock { held in partitions.compactMap { held.removeValue(forKey: $0) } }
        for object in dropped { (object as? any ReleasablePartition)?.release(exchange: exchange, logBudget: logBudget) }
    }
}

/// A held partition that can give back what the worker serves for it.
protocol ReleasablePartition: Sendable {
    /// Stops serving the partition's outputs and logs and deletes their scratch files (best effort).
    func release(exchange: ExchangeServer, logBudget: MessageLogBudget)
}
