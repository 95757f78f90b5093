/// A seeded bijection of `0..<2^scale` onto itself, used to scramble R-MAT vertex ids so that the
/// high-degree vertices are not all small numbers.
///
/// Four rounds of: multiply by an odd key, xor-shift right, add a key, all modulo 2^scale. Each step
/// is invertible on `scale` bits, so the whole map is a permutation.
struct VertexPermutation: Sendable {
    /// The number of bits of a vertex id.
    let scale: Int
    private let mask: UInt64
    private let shift: UInt64
    private let multipliers: (UInt64, UInt64, UInt64, UInt64)
    private let addends: (UInt64, UInt64, UInt64, UInt64)

    /// The permutation of `0..<2^scale` (scale in 0...62) chosen by `seed`.
    init(scale: Int, seed: UInt64) {
        precondition(scale >= 0 && scale <= 62, "VertexPermutation: scale out of range")
        self.scale = scale
        mask = scale == 0 ? 0 : (UInt64.max >> UInt64(64 - scale))
        shift = UInt64(max(1, (scale + 1) / 2))
        var random = SeededRandom(seed: seed, stream: 0x7065_726D)
        multipliers = (random.next() | 1, random.next() | 1, random.next() | 1, random.next() | 1)
        addends = (random.next(), random.next(), random.next(), random.next())
    }

    /// The image of `vertex` (which must be below 2^scale).
    @inline(__always)
    func callAsFunction(_ vertex: UInt64) -> UInt64 {
        var x = vertex
        x = round(x, multipliers.0, addends.0)
        x = round(x, multipliers.1, addends.1)
        x = round(x, multipliers.2, addends.2)
        x = round(x, multipliers.3, addends.3)
        return x
    }

    @inline(__always)
    private func round(_ value: UInt64, _ multiplier: UInt64, _ addend: UInt64) -> UInt64 {
        var x = (value &* multiplier) & mask
        x ^= x &>> shift
        return (x &+ addend) & mask
    }
}
