/// Stable radix sort of keys with a payload each, over only the bits in which the keys differ (vertex ids
/// usually use few of their 64 bits). Large inputs take one most-significant-digit pass (256 buckets, so
/// few write streams) and then sort each bucket on the remaining bits while it is in the cache; small ones
/// take least-significant-digit passes of at most 8 bits.
enum PairRadixSort {
    /// The key of a signed id: unsigned order equals the ids' order.
    @inline(__always) static func key(_ id: Int64) -> UInt64 { UInt64(bitPattern: id) ^ (1 << 63) }
    /// The id of a key.
    @inline(__always) static func id(_ key: UInt64) -> Int64 { Int64(bitPattern: key ^ (1 << 63)) }

    /// Digit width of every pass.
    static let digitBits = 8
    /// Inputs from this size on start with a most-significant-digit pass.
    static let bucketingThreshold = 1 << 14

    /// Sorts `keys` ascending and permutes `values` alike; pairs with equal keys keep their order.
    static func sort<Value: BitwiseCopyable>(keys: inout [UInt64], values: inout [Value]) {
        precondition(keys.count == values.count, "PairRadixSort: keys and values differ in length")
        let n = keys.count
        guard n > 1 else { return }
        var any: UInt64 = 0
        var all: UInt64 = ~0
        for k in keys {
            any |= k
            all &= k
        }
        let varying = any ^ all
        guard varying != 0 else { return }
        let low = varying.trailingZeroBitCount
        let high = 64 - varying.leadingZeroBitCount
        let scratchKeys = UnsafeMutablePointer<UInt64>.allocate(capacity: n)
        let scratchValues = UnsafeMutablePointer<Value>.allocate(capacity: n)
        defer {
            scratchKeys.deallocate()
            scratchValues.deallocate()
        }
        keys.withUnsafeMutableBufferPointer { keys in
            values.withUnsafeMutableBufferPointer { values in
                let keys = keys.baseAddress!
                let values = values.baseAddress!
                guard n >= bucketingThreshold && high - low > digitBits else {
                    passes(n, from: (keys, values), via: (scratchKeys, scratchValues), into: (keys, values), bits: low..<high)
                    return
                }
                // Most significant digit: bucket into the scratch arrays.
                let top = (high - digitBits)..<high
                var next = [Int](repeating: 0, count: (1 << digitBits) + 1)
                for i in 0..<n { next[digit(keys[i], top) + 1] += 1 }
                for d in 0..<(1 << digitBits) { next[d + 1] += next[d] }
                let starts = next
                for i in 0..<n {
                    let k = keys[i]
                    let d = digit(k, top)
                    let at = next[d]
                    next[d] = at + 1
                    scratchKeys[at] = k
                    scratchValues[at] = values[i]
                }
                // Each bucket sorted on the remaining bits, back into place (through a bucket-sized buffer).
                var largest = 0
                for d in 0..<(1 << digitBits) { largest = max(largest, starts[d + 1] - starts[d]) }
                let bufferKeys = UnsafeMutablePointer<UInt64>.allocate(capacity: largest)
                let bufferValues = UnsafeMutablePointer<Value>.allocate(capacity: largest)
                defer {
                    bufferKeys.deallocate()
                    bufferValues.deallocate()
                }
                for d in 0..<(1 << digitBits) {
                    let start = starts[d]
                    passes(
                        starts[d + 1] - start, from: (scratchKeys + start, scratchValues + start), via: (bufferKeys, bufferValues),
                        into: (keys + start, values + start), bits: low..<top.lowerBound)
                }
            }
        }
    }

    @inline(__always) private static func digit(_ key: UInt64, _ bits: Range<Int>) -> Int {
        Int(truncatingIfNeeded: (key >> UInt64(bits.lowerBound)) & ((1 << UInt64(bits.count)) - 1))
    }

    /// Sorts `count` pairs at `from` on `bits` with least-significant-digit passes, ending in `into` (which may
    /// be `from`); `via` has room for `count` pairs.
    private static func passes<Value: BitwiseCopyable>(
        _ count: Int, from: (UnsafeMutablePointer<UInt64>, UnsafeMutablePointer<Value>), via: (UnsafeMutablePointer<UInt64>, UnsafeMutablePointer<Value>),
        into: (UnsafeMutablePointer<UInt64>, UnsafeMutablePointer<Value>), bits: Range<Int>
    ) {
        let passCount = (bits.count + digitBits - 1) / digitBits
        guard count > 1 && passCount > 0 else {
            if from.0 != into.0 && count > 0 {
                into.0.update(from: from.0, count: count)
                into.1.update(from: from.1, count: count)
            }
            return
        }
        let width = (bits.count + passCount - 1) / passCount
        // Alternate between `into` and `via` so that the last pass writes `into`; when `from` is `into`, an odd
        // number of passes ends with a copy back.
        var source = from
        var counts = [Int](repeating: 0, count: 1 << width)
        counts.withUnsafeMutableBufferPointer { counts in
            for pass in 0..<passCount {
                let remaining = passCount - pass
                var target = remaining % 2 == 1 ? into : via
                if target.0 == source.0 { target = target.0 == into.0 ? via : into }
                let digitBits = (bits.lowerBound + pass * width)..<min(bits.upperBound, bits.lowerBound + (pass + 1) * width)
                for i in 0..<counts.count { counts[i] = 0 }
                for i in 0..<count { counts[digit(source.0[i], digitBits)] += 1 }
                var sum = 0
                for i in 0..<counts.count {
                    let c = counts[i]
                    counts[i] = sum
                    sum += c
                }
                for i in 0..<count {
                    let k = source.0[i]
                    let d = digit(k, digitBits)
                    let at = counts[d]
                    counts[d] = at + 1
                    target.0[at] = k
                    target.1[at] = source.1[i]
                }
                source = target
            }
        }
        if source.0 != into.0 {
            into.0.update(from: source.0, count: count)
            into.1.update(from: source.1, count: count)
        }
    }
}
