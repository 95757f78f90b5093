/// HMAC with SHA-256 (RFC 2104): message authentication codes keyed by a shared secret.
package enum HMACSHA256 {
    /// Size of a full authentication code in bytes.
    package static let codeSize = SHA256.digestSize

    /// Returns the 32-byte HMAC-SHA256 of `message` under `key`; keys longer than 64 bytes are hashed first.
    package static func authenticationCode<K: Collection, M: Collection>(for message: M, key: K) -> [UInt8]
    where K.Element == UInt8, M.Element == UInt8 {
        // Key block: the key (or its digest) zero-padded to one SHA-256 block, kept inline on the stack.
        var keyBlock: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &keyBlock) { block in
            if key.count > SHA256.blockSize {
                let digest = SHA256.hash(key)
                block.copyBytes(from: digest)
            } else {
                block.copyBytes(from: key)
            }
        }

        var inner = SHA256()
        var outer = SHA256()
        withUnsafeMutableBytes(of: &keyBlock) { block in
            for i in 0..<block.count { block[i] ^= 0x36 }
            inner.update(UnsafeRawBufferPointer(block))
            for i in 0..<block.count { block[i] ^= 0x36 ^ 0x5c }
            outer.update(UnsafeRawBufferPointer(block))
            for i in 0..<block.count { block[i] = 0 }
        }
        inner.update(message)
        outer.update(inner.finalize())
        return outer.finalize()
    }

    /// Returns true when `code` is exactly the HMAC-SHA256 of `message` under `key`, compared in constant time.
    package static func isValid<K: Collection, M: Collection>(_ code: [UInt8], for message: M, key: K) -> Bool
    where K.Element == UInt8, M.Element == UInt8 {
        ConstantTime.equals(code, authenticationCode(for: message, key: key))
    }
}
