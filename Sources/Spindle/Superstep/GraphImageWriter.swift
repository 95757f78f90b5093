import Dispatch
import SpindleCore
import Synchronization

/// Writes a worker's graph images (``GraphImage``) off the prepare tasks' critical path: one serial queue per
/// worker, in the order the prepare tasks handed them over. A prepare task reports its image pending; the
/// partition's later tasks on this worker report it intact once its ``Pending`` write ended (see ``PartitionHost``).
///
/// A write only reads arrays that stay immutable (copy-on-write), so the partition computes meanwhile. ``stop(within:)``
/// (the worker exits) skips the writes not started and has the one in progress stop at its next array: a write's
/// temporary file is renamed into place only once complete, and deleted when a write fails or stops.
final class GraphImageWriter: Sendable {
    /// One image's write, as a prepare task hands it over: it writes the image at its path (throwing when it could
    /// not), asking `stop` between arrays whether to give up.
    struct Write: @unchecked Sendable {  // Captures a prepared partition's immutable arrays only.
        let run: (_ stop: @escaping () -> Bool) throws -> Void
    }

    /// The outcome of one handed-over write: nil while it is queued or in progress, then whether the image is intact.
    final class Pending: Sendable {
        private let result = Mutex<Bool?>(nil)
        private let ended = DispatchSemaphore(value: 0)

        var intact: Bool? { result.withLock { $0 } }

        fileprivate func finish(_ intact: Bool) {
            result.withLock { $0 = intact }
            ended.signal()
        }

        /// Waits up to `timeout` for the write to end; returns its outcome (nil: still writing).
        func wait(timeout: DispatchTimeInterval) -> Bool? {
            if let intact { return intact }
            guard ended.wait(timeout: .now() + timeout) == .success else { return nil }
            ended.signal()  // Later waiters return at once.
            return intact
        }
    }

    private let queue = DispatchQueue(label: "spindle.graph-images")
    private let stopped = Mutex(false)

    /// Queues `write`; the returned ``Pending`` says when it ended and whether the image is intact.
    func start(_ write: Write) -> Pending {
        let pending = Pending()
        queue.async { [self] in
            let stop = { self.isStopped }
            pending.finish(!stop() && (try? write.run(stop)) != nil)
        }
        return pending
    }

    private var isStopped: Bool { stopped.withLock { $0 } }

    /// Stops writing: the queued writes end not intact without starting, the one in progress stops at its next array
    /// (deleting its temporary file). Waits up to `timeout` for it.
    func stop(within timeout: DispatchTimeInterval) {
        stopped.withLock { $0 = true }
        let drained = DispatchSemaphore(value: 0)
        queue.async { drained.signal() }
        _ = drained.wait(timeout: .now() + timeout)
    }
}
