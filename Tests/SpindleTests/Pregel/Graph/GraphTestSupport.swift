@testable import Spindle

/// Ids that stress encodings and hashes: zero, ±1, the extremes, and powers of two around the varint and
/// hash boundaries.
let extremeVertexIds: [Int64] = [0, 1, -1, 63, -64, 64, 127, 128, -129, 1 << 32, -(1 << 32), 1 << 62, .max, .min, .max - 1, .min + 1]

/// A vertex id as edge lists hold them: mostly small and non-negative (so they repeat), some negative,
/// some spread over all 64 bits, some extreme.
func randomVertexId(_ rng: inout SplitMix64, range: UInt64 = 1000) -> Int64 {
    switch rng.next() % 16 {
    case 0: return extremeVertexIds[Int(rng.next() % UInt64(extremeVertexIds.count))]
    case 1, 2: return Int64(bitPattern: rng.next())
    case 3, 4, 5: return -1 - Int64(rng.next() % range)
    default: return Int64(rng.next() % range)
    }
}

/// Where `a` and `b` first differ, or nil when they are equal: a short failure message where `#expect(a == b)`
/// would diff two large arrays.
func firstDifference<T: Equatable>(_ a: [T], _ b: [T]) -> String? {
    if let i = a.indices.first(where: { $0 < b.count && a[$0] != b[$0] }) { return "first difference at \(i): \(a[i]) vs \(b[i])" }
    return a.count == b.count ? nil : "\(a.count) elements vs \(b.count)"
}
