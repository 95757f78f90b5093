/// Stable merge sort of `RecordBuffer` entries: insertion-sorted runs, then bottom-up merging that ping-pongs
/// between the entries and one scratch buffer of equal size. Ordering is `RecordBuffer.less`.
enum EntrySorter {
    typealias Entry = RecordBuffer.Entry
    /// Length of the runs sorted by insertion sort before merging.
    static let runLength = 24

    /// Sorts `buffer` in place.
    static func sort(_ buffer: UnsafeMutableBufferPointer<Entry>, arena: UnsafeRawPointer) {
        let n = buffer.count
        guard n > 1, let base = buffer.baseAddress else { return }
        var start = 0
        while start < n {
            insertionSort(base + start, Swift.min(runLength, n - start), arena)
            start += runLength
        }
        guard n > runLength else { return }
        let scratch = UnsafeMutablePointer<Entry>.allocate(capacity: n)
        defer { scratch.deallocate() }
        var source = base
        var target = scratch
        var width = runLength
        while width < n {
            var lo = 0
            while lo < n {
                let mid = Swift.min(lo + width, n)
                let hi = Swift.min(lo + 2 * width, n)
                merge(source, lo, mid, hi, into: target, arena)
                lo = hi
            }
            swap(&source, &target)
            width *= 2
        }
        if source != base {
            base.update(from: source, count: n)
        }
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
    private static func merge(_ source: UnsafeMutablePointer<Entry>, _ lo: Int, _ mid: Int, _ hi: Int,
                              into target: UnsafeMutablePointer<Entry>, _ arena: UnsafeRawPointer) {
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
