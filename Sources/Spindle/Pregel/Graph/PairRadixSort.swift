/// Stable LSD radix sort of keys with a payload each, over only the bits in which the keys differ, at most
/// 11 bits per pass (vertex ids usually use few of their 64 bits, so a graph's ids sort in two passes).
/// Sequential reads and 256 write streams per pass: friendlier to the caches than a hash table.
enum PairRadixSort {
    /// The key of a signed id: unsigned order equals the ids' order.
    @inline(__always) static func key(_ id: Int64) -> UInt64 { UInt64(bitPattern: id) ^ (1 << 63) }
    /// The id of a key.
    @inline(__always) static func id(_ key: UInt64) -> Int64 { Int64(bitPattern: key ^ (1 << 63)) }

    /// Sorts `keys` ascending and permutes `values` alike; pairs with equal keys keep their order.
    static func sort<Value>(keys: inout [UInt64], values: inout [Value]) {
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
        let span = 64 - varying.leadingZeroBitCount - low
        let passes = (span + 10) / 11
        let digitBits = (span + passes - 1) / passes
        let mask = (UInt64(1) << UInt64(digitBits)) - 1
        var keyScratch = keys
        var valueScratch = values
        var sortedInScratch = false
        var counts = [Int](repeating: 0, count: 1 << digitBits)
        for pass in 0..<passes {
            let shift = UInt64(low + pass * digitBits)
            keys.withUnsafeMutableBufferPointer { a in
                keyScratch.withUnsafeMutableBufferPointer { b in
                    values.withUnsafeMutableBufferPointer { va in
                        valueScratch.withUnsafeMutableBufferPointer { vb in
                            counts.withUnsafeMutableBufferPointer { counts in
                                let (fromKeys, toKeys) = sortedInScratch ? (b, a) : (a, b)
                                let (fromValues, toValues) = sortedInScratch ? (vb, va) : (va, vb)
                                for i in 0..<counts.count { counts[i] = 0 }
                                for i in 0..<n { counts[Int((fromKeys[i] >> shift) & mask)] += 1 }
                                var sum = 0
                                for i in 0..<counts.count {
                                    let c = counts[i]
                                    counts[i] = sum
                                    sum += c
                                }
                                for i in 0..<n {
                                    let k = fromKeys[i]
                                    let digit = Int((k >> shift) & mask)
                                    let at = counts[digit]
                                    counts[digit] = at + 1
                                    toKeys[at] = k
                                    toValues[at] = fromValues[i]
                                }
                            }
                        }
                    }
                }
            }
            sortedInScratch.toggle()
        }
        if sortedInScratch {
            swap(&keys, &keyScratch)
            swap(&values, &valueScratch)
        }
    }
}
