/// Growable buffers of `Int64` words, one per partition, in unsafe memory: an append is a capacity check
/// and a store, without the uniqueness checks of an array of arrays. Used by one task at a time.
final class WordBuckets {
    let partitions: Int
    private let bases: UnsafeMutablePointer<UnsafeMutablePointer<Int64>?>
    private let counts: UnsafeMutablePointer<Int>
    private let capacities: UnsafeMutablePointer<Int>

    /// Empty buckets with room for `reserving` words each.
    init(partitions: Int, reserving: Int = 0) {
        self.partitions = partitions
        bases = .allocate(capacity: partitions)
        bases.initialize(repeating: nil, count: partitions)
        counts = .allocate(capacity: partitions)
        counts.initialize(repeating: 0, count: partitions)
        capacities = .allocate(capacity: partitions)
        capacities.initialize(repeating: 0, count: partitions)
        if reserving > 0 { for q in 0..<partitions { grow(q, to: reserving) } }
    }

    deinit {
        for q in 0..<partitions { bases[q]?.deallocate() }
        bases.deallocate()
        counts.deallocate()
        capacities.deallocate()
    }

    /// Words in bucket `q`.
    @inline(__always) func count(_ q: Int) -> Int { counts[q] }

    /// Appends `a` and `b` to bucket `q`.
    @inline(__always) func append(_ q: Int, _ a: Int64, _ b: Int64) {
        let n = counts[q]
        if n + 2 > capacities[q] { grow(q, to: n + 2) }
        let base = bases[q].unsafelyUnwrapped
        base[n] = a
        base[n + 1] = b
        counts[q] = n + 2
    }

    /// Appends `word` to bucket `q` if `keep`, without branching on `keep`.
    @inline(__always) func append(_ q: Int, _ word: Int64, keeping keep: Bool = true) {
        let n = counts[q]
        if n + 1 > capacities[q] { grow(q, to: n + 1) }
        bases[q].unsafelyUnwrapped[n] = word
        counts[q] = n &+ (keep ? 1 : 0)
    }

    /// The words of bucket `q`, valid until it changes.
    func words(_ q: Int) -> UnsafeBufferPointer<Int64> { UnsafeBufferPointer(start: bases[q], count: counts[q]) }

    /// Empties bucket `q`, keeping its memory unless `releasing`.
    func removeAll(_ q: Int, releasing: Bool = false) {
        counts[q] = 0
        if releasing {
            bases[q]?.deallocate()
            bases[q] = nil
            capacities[q] = 0
        }
    }

    private func grow(_ q: Int, to needed: Int) {
        let capacity = max(needed, 2 * capacities[q], 1024)
        let base = UnsafeMutablePointer<Int64>.allocate(capacity: capacity)
        if let old = bases[q] {
            base.update(from: old, count: counts[q])
            old.deallocate()
        }
        bases[q] = base
        capacities[q] = capacity
    }
}
