import SpindlePosix

/// Memory whose pages a reader can hand back once it has read them (a memory-mapped file): readers that
/// stream through shuffle files call this so the files' pages stop counting towards the worker's memory.
protocol PageReleasing: AnyObject {
    /// Releases the whole pages between `start` and `end`, which lie in this object's bytes; harmless for
    /// bytes held in ordinary memory.
    func releasePages(from start: UnsafeRawPointer, to end: UnsafeRawPointer)
}

extension MappedFile: PageReleasing {
    func releasePages(from start: UnsafeRawPointer, to end: UnsafeRawPointer) {
        guard let base = bytes.baseAddress else { return }
        releasePages((start - base)..<(end - base))
    }
}

extension PartitionedFile: PageReleasing {}

/// Releases consumed pages of a streamed region every `stride` bytes.
struct PageReleaser {
    static let stride = 4 << 20
    private let owner: PageReleasing?
    private var releasedUpTo: UnsafeRawPointer?

    init(owner: AnyObject?, start: UnsafeRawPointer?) {
        self.owner = owner as? PageReleasing
        releasedUpTo = start
    }

    /// Notes that everything before `position` has been read; releases it once `stride` bytes piled up.
    @inline(__always) mutating func consumed(upTo position: UnsafeRawPointer) {
        guard let owner, let from = releasedUpTo, position - from >= Self.stride else { return }
        owner.releasePages(from: from, to: position)
        releasedUpTo = position
    }
}
