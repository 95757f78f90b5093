import Glibc

/// Cryptographically secure random bytes from the kernel.
package enum SecureRandom {
    /// `count` random bytes from getrandom(2), falling back to /dev/urandom when getrandom is
    /// unavailable. Stops the process if the kernel cannot supply randomness at all.
    package static func bytes(_ count: Int) -> [UInt8] {
        precondition(count >= 0, "SecureRandom.bytes: negative count")
        return [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            fill(UnsafeMutableRawBufferPointer(buffer))
            initialized = count
        }
    }

    /// Fills `buffer` with random bytes (see `bytes(_:)`).
    package static func fill(_ buffer: UnsafeMutableRawBufferPointer) {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return }
        if let getrandom = LibC.getrandom {
            var filled = 0
            while filled < buffer.count {
                let n = getrandom(base + filled, buffer.count - filled, 0)
                if n > 0 { filled += n; continue }
                if n == -1 && Glibc.errno == EINTR { continue }
                break  // ENOSYS (old kernel) or similar: fall back below.
            }
            if filled == buffer.count { return }
        }
        do {
            let fd = try SystemError.check("open", "/dev/urandom") {
                Glibc.open("/dev/urandom", O_RDONLY | O_CLOEXEC)
            }
            defer { _ = Glibc.close(fd) }
            let n = try LibC.readFully(fd, buffer, "/dev/urandom")
            if n == buffer.count { return }
            fatalError("SecureRandom: short read from /dev/urandom")
        } catch {
            fatalError("SecureRandom: no randomness source: \(error)")
        }
    }
}
