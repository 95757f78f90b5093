/// Fast non-cryptographic 64-bit hashing with a fixed seed: the same bytes give the same value in every
/// process, run and machine (unlike `Hasher`). Used to pick shuffle partitions and hash-table slots.
/// Not collision resistant against an adversary; do not use it for authentication.
@usableFromInline package enum StableHash {
    // Fixed odd constants with roughly half their bits set.
    private static let seed: UInt64 = 0xE2C1_C795_BE60_D6A9
    private static let k1: UInt64 = 0x9A04_6617_8FE4_9FAF
    private static let k2: UInt64 = 0x51B2_2F85_AC67_4DB1
    private static let k3: UInt64 = 0xA8C8_179D_6EC2_C771
    private static let k4: UInt64 = 0xC51C_1577_B40A_DEB5

    /// Returns the 64-bit hash of the bytes in `bytes`.
    @usableFromInline package static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        let n = bytes.count
        guard let p = bytes.baseAddress, n > 0 else { return finish(0, 0, seed, 0) }
        if n <= 16 {
            if n >= 8 {
                return finish(read64(p), read64(p + (n - 8)), seed, n)
            }
            if n >= 4 {
                return finish(read32(p), read32(p + (n - 4)), seed, n)
            }
            let first = UInt64(p.load(as: UInt8.self))
            let middle = UInt64(p.load(fromByteOffset: n >> 1, as: UInt8.self))
            let last = UInt64(p.load(fromByteOffset: n - 1, as: UInt8.self))
            return finish((first << 16) | (middle << 8) | last, 0, seed, n)
        }

        var state = seed
        var q = p
        var remaining = n
        if remaining > 64 {
            // Four independent lanes, 64 bytes per step, so the multiplies can overlap.
            var s0 = state, s1 = state ^ k1, s2 = state ^ k2, s3 = state ^ k3
            repeat {
                s0 = fold(read64(q) ^ k1, read64(q + 8) ^ s0)
                s1 = fold(read64(q + 16) ^ k2, read64(q + 24) ^ s1)
                s2 = fold(read64(q + 32) ^ k3, read64(q + 40) ^ s2)
                s3 = fold(read64(q + 48) ^ k4, read64(q + 56) ^ s3)
                q += 64
                remaining -= 64
            } while remaining > 64
            state = fold(s0 ^ k4, s1) ^ fold(s2 ^ k1, s3 ^ k2)
        }
        while remaining > 16 {
            state = fold(read64(q) ^ k1, read64(q + 8) ^ state)
            q += 16
            remaining -= 16
        }
        // The last 16 bytes of the input (overlapping already-consumed bytes when fewer remain).
        let end = q + remaining
        return finish(read64(end - 16), read64(end - 8), state, n)
    }

    /// Returns the 64-bit hash of the bytes of `bytes`; equal to `hash(_:)` on a raw buffer of the same bytes.
    @inlinable
    package static func hash<C: Collection>(_ bytes: C) -> UInt64 where C.Element == UInt8 {
        if let h = bytes.withContiguousStorageIfAvailable({ hash(UnsafeRawBufferPointer($0)) }) {
            return h
        }
        return Array(bytes).withUnsafeBytes { hash($0) }
    }

    /// Mixes a 64-bit integer into a well-avalanched 64-bit value (a bijection; splitmix64 finalizer
    /// after adding a constant, so 0 does not map to 0). Not equal to hashing the integer's bytes.
    @inlinable
    package static func hash(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z &>> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z &>> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z &>> 31)
    }

    /// Folded 64x64->128 multiply: XOR of the product halves, plus both operands so that a zero operand
    /// does not erase the other one.
    @inline(__always)
    private static func fold(_ a: UInt64, _ b: UInt64) -> UInt64 {
        let product = a.multipliedFullWidth(by: b)
        return product.high ^ UInt64(product.low) ^ a ^ b
    }

    /// Final step: fold the last two words with the state, add the length, and avalanche.
    @inline(__always)
    private static func finish(_ a: UInt64, _ b: UInt64, _ state: UInt64, _ length: Int) -> UInt64 {
        hash(fold(a ^ k1, b ^ state) ^ (UInt64(truncatingIfNeeded: length) &* k2))
    }

    @inline(__always)
    private static func read64(_ p: UnsafeRawPointer) -> UInt64 {
        UInt64(littleEndian: p.loadUnaligned(as: UInt64.self))
    }

    @inline(__always)
    private static func read32(_ p: UnsafeRawPointer) -> UInt64 {
        UInt64(UInt32(littleEndian: p.loadUnaligned(as: UInt32.self)))
    }
}
