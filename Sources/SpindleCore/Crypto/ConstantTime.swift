/// Comparisons whose running time does not depend on where (or whether) the inputs differ.
package enum ConstantTime {
    /// Returns true when `a` and `b` hold the same bytes; for equal lengths it always reads every byte
    /// (lengths are treated as public, so a length mismatch returns false immediately).
    @inline(never)
    package static func equals<A: Collection, B: Collection>(_ a: A, _ b: B) -> Bool
    where A.Element == UInt8, B.Element == UInt8 {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for (x, y) in zip(a, b) {
            difference |= x ^ y
        }
        return difference == 0
    }
}
