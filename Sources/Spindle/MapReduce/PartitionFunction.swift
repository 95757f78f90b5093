import SpindleCore

/// How a job's keys are assigned to reduce partitions.
public enum Partitioning<Key: ShuffleKey>: Sendable {
    /// By a stable hash of the key bytes (the default): spreads keys evenly; each part file is sorted.
    case hash
    /// By key ranges cut at quantiles of keys sampled from the input (TeraSort): the part files in order
    /// are globally sorted. `samples` input records are read on the coordinator and mapped to find keys.
    case totalOrder(samples: Int)
    /// By the job's own function of the key and the partition count; must return 0..<count.
    case custom(@Sendable (Key, Int) -> Int)
}

/// The partitioner as the map side runs it, on key bytes.
struct PartitionFunction: Sendable {
    enum Kind: Sendable {
        case hash
        /// Sorted split points: partition i holds keys in [bounds[i-1], bounds[i]).
        case ranges([[UInt8]])
        case custom(@Sendable (UnsafeRawBufferPointer, Int) -> Int)
    }
    let kind: Kind
    let partitions: Int

    /// The partition of a key given its bytes (hashed with ``StableHash`` only by the hash kind).
    @inline(__always)
    func partition(key: UnsafeRawBufferPointer) -> Int {
        switch kind {
        case .hash:
            return Int(truncatingIfNeeded: (StableHash.hash(key) >> 1) % UInt64(partitions))
        case .ranges(let bounds):
            var low = 0
            var high = bounds.count
            while low < high {
                let mid = (low + high) / 2
                let cmp = bounds[mid].withUnsafeBytes { ByteString.compare(key, $0) }
                if cmp < 0 { high = mid } else { low = mid + 1 }
            }
            return low
        case .custom(let f):
            let p = f(key, partitions)
            precondition(p >= 0 && p < partitions, "the job's partitioner returned \(p), outside 0..<\(partitions)")
            return p
        }
    }

    /// Split points for `partitions` ranges from sampled keys (sorted, evenly spaced quantiles).
    static func rangeBounds(fromSamples samples: [[UInt8]], partitions: Int) -> [[UInt8]] {
        guard partitions > 1, !samples.isEmpty else { return [] }
        let sorted = samples.sorted { a, b in a.withUnsafeBytes { x in b.withUnsafeBytes { y in ByteString.compare(x, y) < 0 } } }
        var bounds: [[UInt8]] = []
        for i in 1..<partitions {
            let candidate = sorted[min(sorted.count - 1, i * sorted.count / partitions)]
            if bounds.last != candidate { bounds.append(candidate) }
        }
        return bounds
    }
}
