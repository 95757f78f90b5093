/// Stable sorting of `RecordBuffer` entries in `RecordBuffer.less` order.
///
/// Large inputs: a least-significant-digit radix sort on the 12 bytes of (partition, key prefix), skipping digits
/// that are the same for every entry, then a merge sort of each run of equal (partition, prefix) whose keys may
/// still differ (keys longer than 8 bytes, or of different lengths). Radix passes are stable, so equal keys keep
/// insertion order. Small inputs: insertion-sorted runs merged bottom-up. Scratch: one buffer of `count` entries.
enum EntrySorter {
    typealias Entry = RecordBuffer.Entry
    /// Length of the runs sorted by insertion sort before merging.
    static let runLength = 24
    /// Below this many entries the merge sort alone is used.
    static let radixThreshold = 4096

    /// Sorts the `count` entries at `base`.
    static func sort(_ base: UnsafeMutablePointer<Entry>, _ count: Int, arena: UnsafeRawPointer) {
        guard count > 1 else { return }
        let scratch = UnsafeMutablePointer<Entry>.allocate(capacity: count)
        defer { scratch.deallocate() }
        if count < radixThreshold {
            mergeSort(base, count, scratch, arena)
            return
        }
        radixSort(base, count, scratch)
        fixTies(base, count, scratch, arena)
    }

    /// Stable LSD radix sort by (partition, prefix), one byte per pass.
    private static func radixSort(_ base: UnsafeMutablePointer<Entry>, _ count: Int, _ scratch: UnsafeMutablePointer<Entry>) {
        // counts[d * 256 + b]: entries whose digit d is b; digits 0...7 are prefix bytes (least significant
        // first), 8...11 partition bytes.
        let counts = UnsafeMutablePointer<Int>.allocate(capacity: 12 * 256)
        defer { counts.deallocate() }
        counts.initialize(repeating: 0, count: 12 * 256)
        for i in 0..<count {
            let prefix = base[i].prefix, partition = base[i].partition
            for d in 0..<8 { counts[d &* 256 &+ Int(truncatingIfNeeded: (prefix &>> UInt64(d &* 8)) & 0xFF)] &+= 1 }
            for d in 0..<4 { counts[(8 &+ d) &* 256 &+ Int(truncatingIfNeeded: (partition &>> UInt32(d &* 8)) & 0xFF)] &+= 1 }
        }
        var source = base, target = scratch
        for d in 0..<12 {
            let c = counts + d * 256
            if (0..<256).contains(where: { c[$0] == count }) { continue }
            var sum = 0
            for b in 0..<256 {
                let n = c[b]
                c[b] = sum
                sum += n
            }
            if d < 8 {
                let shift = UInt64(d * 8)
                for i in 0..<count {
                    let e = source[i]
                    let b = Int(truncatingIfNeeded: (e.prefix &>> shift) & 0xFF)
                    (target + c[b]).initialize(to: e)
                    c[b] &+= 1
                }
            } else {
                let shift = UInt32((d - 8) * 8)
                for i in 0..<count {
                    let e = source[i]
                    let b = Int(truncatingIfNeeded: (e.partition &>> shift) & 0xFF)
                    (target + c[b]).initialize(to: e)
                    c[b] &+= 1
                }
            }
            swap(&source, &target)
        }
        if source != base { base.update(from: source, count: count) }
    }

    /// Sorts each run of equal (partition, prefix) whose keys are not all identical.
    private static func fixTies(
        _ base: UnsafeMutablePointer<Entry>, _ count: Int, _ scratch: UnsafeMutablePointer<Entry>,
        _ arena: UnsafeRawPointer
    ) {
        var i = 0
        while i < count {
            let first = base[i]
            var j = i + 1
            var mixed = false
            while j < count && base[j].prefix == first.prefix && base[j].partition == first.partition {
                if base[j].keyLength != first.keyLength || first.keyLength > 8 { mixed = true }
                j += 1
            }
            if mixed { mergeSort(base + i, j - i, scratch, arena) }
            i = j
        }
    }

    /// Stable merge sort of `count` entries at `base`, using `scratch` (room for `count` entries).
    static func mergeSort(
        _ base: UnsafeMutablePointer<Entry>, _ count: Int, _ scratch: UnsafeMutablePointer<Entry>,
        _ arena: UnsafeRawPointer
    ) {
        var start = 0
        while start < count {
            insertionSort(base + start, Swift.min(runLength, count - start), arena)
            start += runLength
        }
        guard count > runLength else { return }
        var source = base
        var target = scratch
        var width = runLength
        while width < count {
            var lo = 0
            while lo < count {
                let mid = Swift.min(lo + width, count)
                let hi = Swift.min(lo + 2 * width, count)
                merge(source, lo, mid, hi, into: target, arena)
                lo = hi
            }
            swap(&source, &target)
            width *= 2
        }
        if source != base { base.update(from: source, count: count) }
    }

    @inline(__always)
    private static func insertionSort(_ p: UnsafeMutablePointer<Entry>, _ count: Int, _ arena: UnsafeRawPointer) {
        var i = 1
        while i < count {
            let item = p[i]
            var j = i
            while j > 0 && RecordBuffer.less(item, p[j - 1], arena) {
                p[j] = p[j - 1]
                j -= 1
            }
            p[j] = item
            i += 1
        }
    }

    /// Merges the sorted runs `source[lo..<mid]` and `source[mid..<hi]` into `target[lo..<hi]`, left run first on ties.
    @inline(__always)
    private static func merge(
        _ source: UnsafeMutablePointer<Entry>, _ lo: Int, _ mid: Int, _ hi: Int,
        into target: UnsafeMutablePointer<Entry>, _ arena: UnsafeRawPointer
    ) {
        // Already in order (common for presorted input): copy straight through.
        if mid >= hi || !RecordBuffer.less(source[mid], source[mid - 1], arena) {
            (target + lo).update(from: source + lo, count: hi - lo)
            return
        }
        var i = lo, j = mid, k = lo
        while i < mid && j < hi {
            let a = source[i], b = source[j]
            if RecordBuffer.less(b, a, arena) {
                target[k] = b
                j += 1
            } else {
                target[k] = a
                i += 1
            }
            k += 1
        }
        if i < mid { (target + k).update(from: source + i, count: mid - i) }
        if j < hi { (target + k).update(from: source + j, count: hi - j) }
    }
}
