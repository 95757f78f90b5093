/// Folds the encoded values of records with equal keys into one value while a ``PartitionedSpillBuffer``
/// merges its runs: a combiner that sees bytes (see ``CombineFolding`` for one over `WireCodable` values).
///
/// The merge calls ``start(_:)`` with a key's first value, ``add(_:)`` with each further one (in the order the
/// records were added), then ``withResult(_:)`` once.
protocol ValueFolding: AnyObject {
    /// Starts a new folded value from `value`.
    func start(_ value: UnsafeRawBufferPointer) throws
    /// Folds `value` into the current one.
    func add(_ value: UnsafeRawBufferPointer) throws
    /// Calls `body` with the encoded folded value (valid during the call).
    func withResult(_ body: (UnsafeRawBufferPointer) throws -> Void) throws
}
