import Spindle
import SpindlePosix

/// Writes deterministic R-MAT graphs for `spindle generate graph` as SNAP-style edge lists.
///
/// Each edge picks one quadrant of the adjacency matrix per level with the Graph500 probabilities
/// a = 0.57, b = 0.19, c = 0.19, d = 0.05 (15-bit fixed point, no per-level noise), then both endpoints
/// go through a seeded ``VertexPermutation``. Self loops and repeated edges are kept, as in Graph500.
enum GraphGenerator {
    /// Quadrant thresholds on a uniform 15-bit value: below `a` is top-left, below `ab` top-right,
    /// below `abc` bottom-left, otherwise bottom-right.
    static let a: UInt64 = 18_678      // 0.57 * 32768, rounded
    static let ab: UInt64 = 24_904     // 0.76 * 32768
    static let abc: UInt64 = 31_130    // 0.95 * 32768

    /// The two comment lines that open every generated graph.
    static func header(scale: Int, edgeFactor: Int, seed: UInt64) -> String {
        "# R-MAT scale \(scale) edge factor \(edgeFactor) seed \(seed)\n# FromNodeId\tToNodeId\n"
    }

    /// An upper bound of the size of the file ``writeRMAT(to:scale:edgeFactor:seed:)`` writes, known before
    /// writing: the header, plus edgeFactor × 2^scale edge lines of at most 2 × d + 2 bytes each, where
    /// d is the number of decimal digits of the largest vertex id 2^scale − 1 (two ids, a tab and a
    /// newline). Real files are smaller, since most ids have fewer digits; `Int.max` if it overflows.
    static func maximumSize(scale: Int, edgeFactor: Int, seed: UInt64) -> Int {
        precondition(scale >= 0 && scale <= 62 && edgeFactor >= 0, "GraphGenerator: scale or edge factor out of range")
        let digits = String((UInt64(1) << UInt64(scale)) - 1).utf8.count
        let edges = edgeFactor.multipliedReportingOverflow(by: 1 << scale)
        let lines = edges.partialValue.multipliedReportingOverflow(by: 2 * digits + 2)
        let total = lines.partialValue.addingReportingOverflow(header(scale: scale, edgeFactor: edgeFactor, seed: seed).utf8.count)
        return edges.overflow || lines.overflow || total.overflow ? Int.max : total.partialValue
    }

    /// Creates or replaces `path` with an R-MAT graph of 2^scale vertices and edgeFactor * 2^scale
    /// directed edges: the lines `# R-MAT scale S edge factor E seed X` and `# FromNodeId\tToNodeId`,
    /// then one `src\tdst\n` line per edge. `scale` is in 0...40 and `edgeFactor` >= 0. The file appears
    /// whole or not at all (``FileReplacement``): on any failure nothing is left behind.
    static func writeRMAT(to path: String, scale: Int, edgeFactor: Int, seed: UInt64) throws {
        precondition(scale >= 0 && scale <= 40, "GraphGenerator: scale must be in 0...40")
        precondition(edgeFactor >= 0 && edgeFactor <= (Int.max >> scale), "GraphGenerator: edge factor out of range")
        try FileReplacement.write(path) { writer in
            try writer.write(Array(header(scale: scale, edgeFactor: edgeFactor, seed: seed).utf8))
            var edges = Edges(scale: scale, seed: seed)
            let chunkSize = 4 << 20
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize + 64, alignment: 16)
            defer { buffer.deallocate() }
            let out = buffer.baseAddress!.assumingMemoryBound(to: UInt8.self)
            var remaining = edgeFactor << scale
            try DecimalDigits.pairs.withUnsafeBufferPointer { pairs in
                while remaining > 0 {
                    var used = 0
                    while used < chunkSize && remaining > 0 {
                        let (source, target) = edges.next()
                        used += DecimalDigits.write(source, to: out + used, pairs: pairs)
                        out[used] = 0x09
                        used += 1
                        used += DecimalDigits.write(target, to: out + used, pairs: pairs)
                        out[used] = 0x0A
                        used += 1
                        remaining -= 1
                    }
                    try writer.write(UnsafeRawBufferPointer(start: out, count: used))
                }
            }
        }
    }

    /// The edge sequence of one seed, endpoints already permuted.
    struct Edges {
        let scale: Int
        let permutation: VertexPermutation
        private var random: SeededRandom

        init(scale: Int, seed: UInt64) {
            self.scale = scale
            permutation = VertexPermutation(scale: scale, seed: seed)
            random = SeededRandom(seed: seed, stream: 0x726D_6174)
        }

        /// The next edge as (source, target), both below 2^scale.
        @inline(__always)
        mutating func next() -> (UInt64, UInt64) {
            var source: UInt64 = 0
            var target: UInt64 = 0
            var level = 0
            while level < scale {
                let levels = min(4, scale - level)
                let (s, t) = GraphGenerator.quadrants(random.next())
                let keep: UInt64 = (1 << UInt64(levels)) - 1
                source = source &<< UInt64(levels) | (s & keep)
                target = target &<< UInt64(levels) | (t & keep)
                level += 4
            }
            return (permutation(source), permutation(target))
        }
    }

    /// Four R-MAT levels from 64 random bits, as four row bits and four column bits (bit k of each
    /// from the k-th 16-bit lane). Each lane's low 15 bits are compared with the three thresholds
    /// at once (SWAR: the lane's bit 15 is set first, so subtracting a threshold borrows only within
    /// the lane, and bit 15 survives exactly when the value is at least the threshold). The number of
    /// thresholds passed is the quadrant 0...3: row bit = quadrant >= 2, column bit = quadrant odd.
    @inline(__always)
    static func quadrants(_ bits: UInt64) -> (row: UInt64, column: UInt64) {
        let lanes: UInt64 = 0x0001_0001_0001_0001
        let top: UInt64 = 0x8000_8000_8000_8000
        let values = (bits & 0x7FFF_7FFF_7FFF_7FFF) | top
        let passA = (values &- a &* lanes) & top
        let passAB = (values &- ab &* lanes) & top
        let passABC = (values &- abc &* lanes) & top
        return (gatherLaneBits(passAB), gatherLaneBits(passA ^ passAB ^ passABC))
    }

    /// Moves bit 15 of each 16-bit lane k to bit k.
    @inline(__always)
    static func gatherLaneBits(_ x: UInt64) -> UInt64 {
        let y = x &>> 15
        return (y | y &>> 15 | y &>> 30 | y &>> 45) & 0xF
    }
}
