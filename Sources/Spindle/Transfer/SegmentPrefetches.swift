import Dispatch
import Synchronization
import SpindleCore
import SpindlePosix

/// Segments fetched from other workers before the task that reads them asks for them. While a worker runs
/// one partition's task of a superstep job, it fetches the input of the next partition it owns in the same
/// stage (the coordinator names it in the payload, ``FetchAhead``), so that the next task finds that input
/// here instead of waiting on the network and on the other worker's exchange server.
///
/// An entry is found by the attempt that produced the output and the partition, and is used at most once. A
/// fetch that finds no entry, or one whose fetch failed, fetches again itself: prefetching changes when the
/// bytes arrive, never which bytes a task reads (they are checked like any fetched bytes). Entries of
/// attempts that a newer prefetch no longer reads from (an earlier stage's outputs) are dropped then.
final class SegmentPrefetches: Sendable {
    struct Key: Hashable, Sendable {
        var attempt: AttemptID
        var partition: Int
    }

    /// One prefetch, in flight or finished.
    final class Pending: Sendable {
        private let outcome = Mutex<Result<SegmentFetcher.Segment, any Error>?>(nil)
        private let finished = DispatchSemaphore(value: 0)

        /// Records how the fetch ended and wakes the task waiting for it, if any.
        func finish(_ result: Result<SegmentFetcher.Segment, any Error>) {
            outcome.withLock { $0 = result }
            finished.signal()
        }

        /// The fetched segment, or nil when the prefetch failed. Waits at most `timeout` for a prefetch in
        /// flight, in slices of 50 ms so that a cancelled task stops waiting at once.
        /// - Throws: ``FetchError`` when the prefetch is still in flight after `timeout`; the task's
        ///   cancellation error when it is cancelled while waiting.
        func segment(timeout: Duration, context: TaskContext) throws -> SegmentFetcher.Segment? {
            let deadline = MonotonicClock.now() + timeout
            while finished.wait(timeout: .now() + .milliseconds(50)) == .timedOut {
                try context.checkCancelled()
                if MonotonicClock.now() >= deadline {
                    throw FetchError("no data for \(DurationText.format(timeout)) (fetched ahead of the task)")
                }
            }
            finished.signal()  // Finished for good: any later wait returns at once.
            switch outcome.withLock({ $0 }) {
            case .success(let segment)?: return segment
            case .failure?, nil: return nil
            }
        }
    }

    private let entries = Mutex<[Key: Pending]>([:])

    /// Registers a prefetch for each of `keys` that has none yet, after dropping every entry whose attempt is
    /// not in `current` (no task will read those). Returns the new entries, which the caller must fetch and
    /// ``Pending/finish(_:)``.
    func start(_ keys: [Key], keeping current: Set<AttemptID>) -> [(Key, Pending)] {
        entries.withLock { entries in
            entries = entries.filter { current.contains($0.key.attempt) }
            var started: [(Key, Pending)] = []
            for key in keys where entries[key] == nil {
                let pending = Pending()
                entries[key] = pending
                started.append((key, pending))
            }
            return started
        }
    }

    /// Removes and returns the prefetch of `key`, if there is one.
    func take(_ key: Key) -> Pending? {
        entries.withLock { $0.removeValue(forKey: key) }
    }

    /// Prefetches held (in flight or finished, not yet taken).
    var count: Int { entries.withLock { $0.count } }
}

/// The partition a worker runs next in the same stage and where its input lies: sent with a task so that
/// the worker can fetch that input while it computes the task (see ``SegmentPrefetches``).
struct FetchAhead: WireCodable, Sendable {
    var partition: Int
    /// The outputs holding `partition`'s input, with its byte counts.
    var sources: [SegmentSource]

    init(partition: Int, sources: [SegmentSource]) {
        self.partition = partition
        self.sources = sources
    }
    func encode(to w: inout WireWriter) { w.write(partition); w.write(sources) }
    init(from r: inout WireReader) throws {
        partition = try r.read(Int.self)
        sources = try r.read([SegmentSource].self)
    }
}
