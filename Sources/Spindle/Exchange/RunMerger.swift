import SpindleCore

/// K-way merge of sorted runs: yields the records of several `RecordCursor`s (each sorted by key) in key order,
/// equal keys ordered by cursor index, so the merge is stable.
///
/// Uses a loser tree (tournament tree): each record costs about log2(k) key comparisons. Works for any k,
/// including 0 (no records) and 1 (the cursor's records as they are). `key` and `value` point into the source
/// cursor's memory and stay valid while that memory lives.
final class RunMerger {
    private var cursors: [RecordCursor]
    /// Current key of each cursor; meaningful only while `live[i]`.
    private var heads: [UnsafeRawBufferPointer]
    private var live: [Bool]
    /// losers[0] is the current winner; losers[1..<k] hold the loser of each internal node (node n's children are
    /// 2n and 2n+1; leaf i sits at k + i).
    private var losers: [Int]
    private var started = false

    /// The current record's key.
    private(set) var key = UnsafeRawBufferPointer(start: nil, count: 0)
    /// The current record's value.
    private(set) var value = UnsafeRawBufferPointer(start: nil, count: 0)
    /// Index of the cursor the current record came from.
    private(set) var source = -1

    /// A merger over `cursors`, which must be positioned before their first record.
    init(cursors: [RecordCursor]) {
        self.cursors = cursors
        heads = Array(repeating: UnsafeRawBufferPointer(start: nil, count: 0), count: cursors.count)
        live = Array(repeating: false, count: cursors.count)
        losers = Array(repeating: 0, count: Swift.max(cursors.count, 1))
    }

    /// Number of runs being merged.
    var runCount: Int { cursors.count }

    /// Moves to the next record in key order; returns false when all runs are exhausted.
    /// Rethrows the `CorruptDataError` of a cursor.
    func next() throws(CorruptDataError) -> Bool {
        let k = cursors.count
        if k == 0 { return false }
        if !started {
            started = true
            for i in 0..<k { try advance(i) }
            losers[0] = build(1)
        } else {
            let winner = losers[0]
            try advance(winner)
            replay(winner)
        }
        let winner = losers[0]
        guard live[winner] else { return false }
        key = heads[winner]
        value = cursors[winner].value
        source = winner
        return true
    }

    /// Moves cursor `i` forward and caches its key (or marks it exhausted).
    @inline(__always)
    private func advance(_ i: Int) throws(CorruptDataError) {
        if try cursors[i].next() {
            heads[i] = cursors[i].key
            live[i] = true
        } else {
            live[i] = false
        }
    }

    /// Whether run `a`'s head comes before run `b`'s: exhausted runs last, then key order, then run index.
    @inline(__always)
    private func beats(_ a: Int, _ b: Int) -> Bool {
        guard live[a] else { return false }
        guard live[b] else { return true }
        let c = ByteString.compare(heads[a], heads[b])
        return c < 0 || (c == 0 && a < b)
    }

    /// Plays the tournament below `node`, storing losers; returns the subtree's winner.
    private func build(_ node: Int) -> Int {
        let k = cursors.count
        if node >= k { return node - k }
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
        var node = (cursors.count + run) >> 1
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
