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
}
