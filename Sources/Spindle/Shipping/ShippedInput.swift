import SpindleCore

/// The bytes of one planned input file, read from the coordinator through a ``ShipClient`` (for a worker that
/// cannot read the file itself): reads are answered from a read-ahead window of up to ``window`` bytes, filled
/// by one request each, so that a task's sequential large reads cost one round trip per window, not per read.
/// The window does not reach past `hintEnd` (the end of the chunk being read, plus the tail of its last line)
/// unless a read asks for more.
final class ShippedInput {
    static let window = 8 << 20
    let client: ShipClient
    let path: String
    let identity: FileIdentity
    let hintEnd: Int
    let context: TaskContext?
    private var cache: UnsafeMutableRawBufferPointer?
    private var cacheStart = 0
    private var cacheCount = 0

    init(client: ShipClient, path: String, identity: FileIdentity, hintEnd: Int, context: TaskContext?) {
        self.client = client
        self.path = path
        self.identity = identity
        self.hintEnd = hintEnd
        self.context = context
    }

    deinit { cache?.deallocate() }

    /// Fills all of `buffer` with the bytes from `offset` on; the caller keeps the range within the planned size.
    func read(at offset: Int, into buffer: UnsafeMutableRawBufferPointer) throws {
        var done = 0
        let wanted = buffer.count
        while done < wanted {
            let position = offset + done
            if position >= cacheStart && position < cacheStart + cacheCount, let cache {
                let n = min(wanted - done, cacheStart + cacheCount - position)
                (buffer.baseAddress! + done).copyMemory(from: cache.baseAddress! + (position - cacheStart), byteCount: n)
                done += n
                continue
            }
            let rest = wanted - done
            if rest >= Self.window {
                try client.read(
                    path: path, identity: identity, offset: position, into: UnsafeMutableRawBufferPointer(rebasing: buffer[done..<wanted]),
                    context: context)
                done = wanted
                continue
            }
            let length = min(identity.size - position, max(rest, min(Self.window, hintEnd - position)))
            let cache = self.cache ?? .allocate(byteCount: Self.window, alignment: 16)
            self.cache = cache
            cacheCount = 0
            try client.read(
                path: path, identity: identity, offset: position, into: UnsafeMutableRawBufferPointer(rebasing: cache[0..<length]), context: context)
            cacheStart = position
            cacheCount = length
        }
    }
}
