/// SHA-256 (FIPS 180-4) incremental hasher: feed bytes with `update`, read the 32-byte digest with `finalize`.
package struct SHA256: Sendable {
    /// Size of one compression block in bytes.
    package static let blockSize = 64
    /// Size of a digest in bytes.
    package static let digestSize = 32

    /// The eight 32-bit chaining words.
    struct State: Sendable {
        var a: UInt32 = 0x6a09_e667, b: UInt32 = 0xbb67_ae85, c: UInt32 = 0x3c6e_f372, d: UInt32 = 0xa54f_f53a
        var e: UInt32 = 0x510e_527f, f: UInt32 = 0x9b05_688c, g: UInt32 = 0x1f83_d9ab, h: UInt32 = 0x5be0_cd19
    }

    private var state = State()
    /// Pending bytes of an incomplete block (64 bytes of inline storage, no heap allocation).
    private var buffer: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)
    /// Number of valid bytes in `buffer` (0..<64).
    private var buffered = 0
    /// Total number of message bytes fed so far.
    private var totalLength: UInt64 = 0

    /// Creates a hasher in the initial SHA-256 state.
    package init() {}

    /// Feeds the bytes of `bytes` into the hash.
    package mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard var input = bytes.baseAddress, bytes.count > 0 else { return }
        var remaining = bytes.count
        totalLength &+= UInt64(remaining)

        if buffered > 0 {
            let take = min(remaining, SHA256.blockSize - buffered)
            let offset = buffered
            withUnsafeMutableBytes(of: &buffer) { buf in
                buf.baseAddress!.advanced(by: offset).copyMemory(from: input, byteCount: take)
            }
            buffered += take
            input += take
            remaining -= take
            guard buffered == SHA256.blockSize else { return }
            var block = buffer
            withUnsafeBytes(of: &block) { SHA256.compress(&state, $0.baseAddress!) }
            buffered = 0
        }

        while remaining >= SHA256.blockSize {
            SHA256.compress(&state, input)
            input += SHA256.blockSize
            remaining -= SHA256.blockSize
        }

        if remaining > 0 {
            withUnsafeMutableBytes(of: &buffer) { buf in
                buf.baseAddress!.copyMemory(from: input, byteCount: remaining)
            }
            buffered = remaining
        }
    }

    /// Feeds every byte of `bytes`, in order, into the hash.
    @inlinable
    package mutating func update<C: Collection>(_ bytes: C) where C.Element == UInt8 {
        let done: Void? = bytes.withContiguousStorageIfAvailable { update(UnsafeRawBufferPointer($0)) }
        if done == nil {
            Array(bytes).withUnsafeBytes { update($0) }
        }
    }

    /// Pads the message, returns its 32-byte digest, and resets the hasher to the initial state.
    package mutating func finalize() -> [UInt8] {
        let bitLength = totalLength &* 8
        var block = buffer
        let used = buffered
        withUnsafeMutableBytes(of: &block) { buf in
            let p = buf.baseAddress!
            p.storeBytes(of: 0x80, toByteOffset: used, as: UInt8.self)
            var start = used + 1
            if start > SHA256.blockSize - 8 {
                (p + start).initializeMemory(as: UInt8.self, repeating: 0, count: SHA256.blockSize - start)
                SHA256.compress(&state, UnsafeRawPointer(p))
                start = 0
            }
            (p + start).initializeMemory(as: UInt8.self, repeating: 0, count: SHA256.blockSize - 8 - start)
            p.storeBytes(of: bitLength.bigEndian, toByteOffset: SHA256.blockSize - 8, as: UInt64.self)
            SHA256.compress(&state, UnsafeRawPointer(p))
        }
        let s = state
        let words = (s.a.bigEndian, s.b.bigEndian, s.c.bigEndian, s.d.bigEndian,
                     s.e.bigEndian, s.f.bigEndian, s.g.bigEndian, s.h.bigEndian)
        let digest = withUnsafeBytes(of: words) { [UInt8]($0) }
        self = SHA256()
        return digest
    }

    /// Returns the 32-byte SHA-256 digest of `bytes` in one call.
    @inlinable
    package static func hash<C: Collection>(_ bytes: C) -> [UInt8] where C.Element == UInt8 {
        var hasher = SHA256()
        hasher.update(bytes)
        return hasher.finalize()
    }

    /// Applies the compression function to one 64-byte block at `block` (any alignment).
    @inline(__always)
    private static func compress(_ state: inout State, _ block: UnsafeRawPointer) {
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { w in
            for t in 0..<16 {
                w[t] = UInt32(bigEndian: block.loadUnaligned(fromByteOffset: t * 4, as: UInt32.self))
            }
            for t in 16..<64 {
                let x = w[t - 15], y = w[t - 2]
                let s0 = x.rotr(7) ^ x.rotr(18) ^ (x >> 3)
                let s1 = y.rotr(17) ^ y.rotr(19) ^ (y >> 10)
                w[t] = w[t - 16] &+ s0 &+ w[t - 7] &+ s1
            }
            sha256RoundConstants.withUnsafeBufferPointer { k in
                var a = state.a, b = state.b, c = state.c, d = state.d
                var e = state.e, f = state.f, g = state.g, h = state.h
                for t in 0..<64 {
                    let s1 = e.rotr(6) ^ e.rotr(11) ^ e.rotr(25)
                    let ch = (e & f) ^ (~e & g)
                    let t1 = h &+ s1 &+ ch &+ k[t] &+ w[t]
                    let s0 = a.rotr(2) ^ a.rotr(13) ^ a.rotr(22)
                    let maj = (a & b) ^ (a & c) ^ (b & c)
                    let t2 = s0 &+ maj
                    h = g; g = f; f = e; e = d &+ t1
                    d = c; c = b; b = a; a = t1 &+ t2
                }
                state.a &+= a; state.b &+= b; state.c &+= c; state.d &+= d
                state.e &+= e; state.f &+= f; state.g &+= g; state.h &+= h
            }
        }
    }
}

extension UInt32 {
    /// Rotates the bits right by `n` (0 < n < 32).
    @inline(__always)
    fileprivate func rotr(_ n: UInt32) -> UInt32 { (self >> n) | (self << (32 &- n)) }
}

/// The 64 SHA-256 round constants (first 32 bits of the fractional parts of the cube roots of the first 64 primes).
private let sha256RoundConstants: [UInt32] = [
    0x428a_2f98, 0x7137_4491, 0xb5c0_fbcf, 0xe9b5_dba5, 0x3956_c25b, 0x59f1_11f1, 0x923f_82a4, 0xab1c_5ed5,
    0xd807_aa98, 0x1283_5b01, 0x2431_85be, 0x550c_7dc3, 0x72be_5d74, 0x80de_b1fe, 0x9bdc_06a7, 0xc19b_f174,
    0xe49b_69c1, 0xefbe_4786, 0x0fc1_9dc6, 0x240c_a1cc, 0x2de9_2c6f, 0x4a74_84aa, 0x5cb0_a9dc, 0x76f9_88da,
    0x983e_5152, 0xa831_c66d, 0xb003_27c8, 0xbf59_7fc7, 0xc6e0_0bf3, 0xd5a7_9147, 0x06ca_6351, 0x1429_2967,
    0x27b7_0a85, 0x2e1b_2138, 0x4d2c_6dfc, 0x5338_0d13, 0x650a_7354, 0x766a_0abb, 0x81c2_c92e, 0x9272_2c85,
    0xa2bf_e8a1, 0xa81a_664b, 0xc24b_8b70, 0xc76c_51a3, 0xd192_e819, 0xd699_0624, 0xf40e_3585, 0x106a_a070,
    0x19a4_c116, 0x1e37_6c08, 0x2748_774c, 0x34b0_bcb5, 0x391c_0cb3, 0x4ed8_aa4a, 0x5b9c_ca4f, 0x682e_6ff3,
    0x748f_82ee, 0x78a5_636f, 0x84c8_7814, 0x8cc7_0208, 0x90be_fffa, 0xa450_6ceb, 0xbef9_a3f7, 0xc671_78f2,
]
