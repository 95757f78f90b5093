/// Draws ranks `0..<count` with Zipf probabilities for exponent 1, P(rank r) proportional to 1 / (r + 1),
/// in constant time per draw (Vose's alias method with 32-bit fixed-point thresholds).
struct ZipfSampler: Sendable {
    /// The number of ranks.
    let count: Int
    /// Per column: keep the column when the low 32 random bits are below this (0...2^32).
    private let threshold: [UInt64]
    /// Per column: the rank drawn otherwise.
    private let alias: [UInt32]

    /// A sampler over `count` (>= 1) ranks.
    init(count: Int) {
        precondition(count >= 1 && count <= Int(UInt32.max), "ZipfSampler: count out of range")
        var weights = (0..<count).map { 1.0 / Double($0 + 1) }
        let total = weights.reduce(0, +)
        for i in weights.indices { weights[i] *= Double(count) / total }  // mean 1
        var threshold = [UInt64](repeating: 1 << 32, count: count)
        var alias = [UInt32](unsafeUninitializedCapacity: count) { buffer, initialized in
            for i in 0..<count { buffer[i] = UInt32(i) }
            initialized = count
        }
        var small: [Int] = []
        var large: [Int] = []
        for i in (0..<count).reversed() {
            if weights[i] < 1 { small.append(i) } else { large.append(i) }
        }
        while let s = small.popLast(), let l = large.last {
            threshold[s] = UInt64(weights[s] * 4_294_967_296.0)
            alias[s] = UInt32(l)
            weights[l] -= 1 - weights[s]
            if weights[l] < 1 {
                large.removeLast()
                small.append(l)
            }
        }
        // Whatever is left is 1 up to rounding: those columns always keep their own rank.
        self.count = count
        self.threshold = threshold
        self.alias = alias
    }

    /// The rank chosen by 64 uniformly random bits.
    @inline(__always)
    func rank(_ bits: UInt64) -> Int {
        threshold.withUnsafeBufferPointer { threshold in
            alias.withUnsafeBufferPointer { alias in
                let column = SeededRandom.below(count, using: bits)
                return UInt64(UInt32(truncatingIfNeeded: bits)) < threshold[column] ? column : Int(alias[column])
            }
        }
    }

    /// The exact probability of `rank` (for tests and statistics).
    func probability(of rank: Int) -> Double {
        let total = (0..<count).reduce(0.0) { $0 + 1.0 / Double($1 + 1) }
        return 1.0 / Double(rank + 1) / total
    }
}
