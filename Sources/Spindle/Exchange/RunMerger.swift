import SpindleCore

/// K-way merge of sorted runs: yields the records of several `RecordCursor`s (each sorted by key) in key order,
/// equal keys ordered by cursor index, so the merge is stable.
///
/// Uses a loser tree (tournament tree): each record costs about log2(k) key comparisons, most of them on a cached
/// 8-byte key prefix. Works for any k, including 0 (no records) and 1. `key` and `value` point into the source
/// cursor's memory and stay valid while that memory lives.
final class RunMerger {
    /// A run's current record key, its cached prefix, and whether the run still has records.
    private struct Head {
        var prefix: UInt64 = 0
        var key = UnsafeRawBufferPointer(start: nil, count: 0)
        var live = false
    }

    /// Number of runs k.
    let runCount: Int
    // Fixed-size tables allocated once; reached through `let` pointers so the hot path has no exclusivity checks.
    private let cursors: UnsafeMutablePointer<RecordCursor>
    private let heads: UnsafeMutablePointer<Head>
    /// losers[0] is the current winner; losers[1..<k] hold the loser at each internal node (node n's children are
    /// 2n and 2n+1; run i is leaf k + i).
    private let losers: UnsafeMutablePointer<Int>
    private var started = false

    /// A merger over `cursors`, which must be positioned before their first record.
    init(cursors: [RecordCursor]) {
        runCount = cursors.count
        self.cursors = .allocate(capacity: Swift.max(runCount, 1))
        self.cursors.initialize(from: cursors, count: runCount)
        heads = .allocate(capacity: Swift.max(runCount, 1))
        heads.initialize(repeating: Head(), count: Swift.max(runCount, 1))
        losers = .allocate(capacity: Swift.max(runCount, 1))
        losers.initialize(repeating: 0, count: Swift.max(runCount, 1))
    }

    deinit {
        cursors.deinitialize(count: runCount)
        cursors.deallocate()
        heads.deallocate()
        losers.deallocate()
    }

    /// Index of the cursor the current record came from (meaningful after `next()` returned true).
    var source: Int { losers[0] }
    /// The current record's key.
    var key: UnsafeRawBufferPointer { runCount == 0 ? UnsafeRawBufferPointer(start: nil, count: 0) : heads[losers[0]].key }
    /// The current record's value.
    var value: UnsafeRawBufferPointer { runCount == 0 ? UnsafeRawBufferPointer(start: nil, count: 0) : cursors[losers[0]].value }

    /// Moves to the next record in key order; returns false when all runs are exhausted.
    /// Rethrows the `CorruptDataError` of a cursor.
    func next() throws(CorruptDataError) -> Bool {
        let k = runCount
        if k == 0 { return false }
        if started {
            let winner = losers[0]
            try advance(winner)
            replay(winner)
        } else {
            started = true
            for i in 0..<k { try advance(i) }
            losers[0] = build(1)
        }
        return heads[losers[0]].live
    }

    /// Moves cursor `i` forward and caches its key (or marks it exhausted).
    @inline(__always)
    private func advance(_ i: Int) throws(CorruptDataError) {
        if try cursors[i].next() {
            let key = cursors[i].key
            heads[i] = Head(prefix: RecordBlock.keyPrefix(key), key: key, live: true)
        } else {
            heads[i].live = false
        }
    }

    /// Whether run `a`'s head comes before run `b`'s: exhausted runs last, then key order, then run index.
    @inline(__always)
    private func beats(_ a: Int, _ b: Int) -> Bool {
        let x = heads[a], y = heads[b]
        guard x.live else { return false }
        guard y.live else { return true }
        if x.prefix != y.prefix { return x.prefix < y.prefix }
        let c = RecordBlock.compareAfterEqualPrefix(x.key, y.key)
        return c < 0 || (c == 0 && a < b)
    }

    /// Plays the tournament below `node`, storing losers; returns the subtree's winner.
    private func build(_ node: Int) -> Int {
        if node >= runCount { return node - runCount }
        let left = build(2 * node)
        let right = build(2 * node + 1)
        if beats(left, right) {
            losers[node] = right
            return left
        }
        losers[node] = left
        return right
    }

    /// Replays the path from leaf `run` to the root after that run's head changed.
    @inline(__always)
    private func replay(_ run: Int) {
        var current = run
        var node = (runCount + run) >> 1
        while node >= 1 {
            let other = losers[node]
            if beats(other, current) {
                losers[node] = current
                current = other
            }
            node >>= 1
        }
        losers[0] = current
    }
}
