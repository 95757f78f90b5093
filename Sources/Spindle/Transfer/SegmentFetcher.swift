import Foundation
import Synchronization
import SpindleCore
import SpindlePosix

/// Gathers a partition from the producers' outputs that hold it (map outputs for a reducer, message outputs for a
/// superstep): directly from this worker's own outputs,
/// or from other workers through the worker's ``SegmentTransport`` (TCP, or in memory within one process), a few at a time, verifying every block's CRC32C as it
/// arrives. A source that cannot be fetched intact makes the task fail blamelessly, naming the map task,
/// so the coordinator runs that map again. An in-memory fetcher can also fetch a partition ahead of the task
/// that will read it (``prefetch(_:)``); a later fetch of that partition takes those segments.
struct SegmentFetcher {
    let secret: [UInt8]
    let server: ExchangeServer
    let scratchPrefix: String
    /// The stage whose tasks produced the sources: a lost source names its task there, to be run again.
    let producerStage: Int
    /// How errors name a producing task, e.g. "map task" (followed by its index).
    var producerName = "map task"
    /// Concurrent fetches.
    var parallelism = 4
    var timeout: Duration = .seconds(30)
    /// Keep fetched segments in memory instead of scratch files (for inputs that live in memory anyway,
    /// such as a graph partition's messages).
    var inMemory = false

    /// A fetched segment and what keeps its bytes alive.
    struct Segment: @unchecked Sendable {  // The bytes are immutable once fetched; `owner` keeps them mapped.
        var producer: Int
        var bytes: UnsafeRawBufferPointer
        var owner: AnyObject
        /// Every block's checksum was verified on arrival, or the bytes never left this process's memory.
        var verified = false
    }

    /// Fetches partition `partition` from every source; the segments come back in source order.
    func fetch(partition: Int, sources: [SegmentSource], context: TaskContext) throws -> [Segment] {
        let results = Mutex<[Int: Result<Segment, any Error>]>([:])
        let next = Atomic<Int>(0)
        let workers = min(parallelism, sources.count)
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while true {
                let i = next.add(1, ordering: .relaxed).oldValue
                guard i < sources.count, !context.isCancelled else { return }
                let result = Result { try fetchOne(sources[i], partition: partition, context: context) }
                results.withLock { $0[i] = result }
                if case .failure = result { return }
            }
        }
        try context.checkCancelled()
        let collected = results.withLock { $0 }
        var segments: [Segment] = []
        var lost: [TaskID] = []
        var causes: [String] = []
        for (i, source) in sources.enumerated() {
            switch collected[i] {
            case .success(let segment): segments.append(segment)
            case .failure(let error as ScratchWriteFailed):
                // This worker's own disk failed: the task's failure, not a lost source.
                throw TaskFailure("fetching \(producerName) \(source.producer)'s output into this worker's scratch failed: \(error)")
            case .failure(let error):
                lost.append(TaskID(stage: producerStage, index: source.producer))
                causes.append("\(error)")
            case nil: break
            }
        }
        if !lost.isEmpty {
            throw BlamelessFailure(description: causes.first ?? "fetch failed", lostOutputs: lost)
        }
        guard segments.count == sources.count else {
            throw BlamelessFailure(description: "fetching was interrupted", lostOutputs: [])
        }
        return segments
    }

    /// Starts fetching `ahead`'s partition from those of its sources that live on other workers, in the
    /// background, for a later ``fetch(partition:sources:context:)`` of it to find in
    /// ``ExchangeServer/prefetched``. Sources on this worker are read in place when the task runs. Only a fetcher
    /// that keeps segments in memory fetches ahead (scratch files are named after the task that reads them).
    func prefetch(_ ahead: FetchAhead) {
        guard inMemory else { return }
        let remote = ahead.sources.filter { server.localOutput($0.attempt) == nil }
        let keys = remote.map { SegmentPrefetches.Key(attempt: $0.attempt, partition: ahead.partition) }
        let started = server.prefetched.start(keys, keeping: Set(ahead.sources.map(\.attempt)))
        guard !started.isEmpty else { return }
        let sources = Dictionary(remote.map { ($0.attempt, $0) }, uniquingKeysWith: { first, _ in first })
        let fetcher = self
        DispatchQueue.global().async {
            DispatchQueue.concurrentPerform(iterations: started.count) { i in
                let (key, pending) = started[i]
                pending.finish(Result { try fetcher.fetchRemote(sources[key.attempt]!, partition: key.partition, context: nil) })
            }
        }
    }

    private func fetchOne(_ source: SegmentSource, partition: Int, context: TaskContext) throws -> Segment {
        if let file = server.localOutput(source.attempt) {
            let bytes = file.segment(partition)
            guard bytes.count == source.bytes else {
                throw FetchError("\(producerName) \(source.producer)'s local output has \(bytes.count) bytes for partition \(partition), expected \(source.bytes)")
            }
            // A message log of an in-memory output keeps its checksums pending on disk: there is nothing to verify.
            return Segment(producer: source.producer, bytes: bytes, owner: file, verified: file.isInMemory || file.checksumsPending)
        }
        if let pending = server.prefetched.take(.init(attempt: source.attempt, partition: partition)),
            let segment = try pending.segment(timeout: timeout, context: context), segment.bytes.count == source.bytes
        {
            return segment
        }
        // Not fetched ahead, or that fetch failed: fetch now (a failure that persists is reported from here).
        return try fetchRemote(source, partition: partition, context: context)
    }

    /// Fetches `source`'s segment of `partition` from its worker, through this worker's transport (TCP to the
    /// other worker's exchange server, or in memory within one process). `context`'s cancellation (and the loss
    /// of the source's worker, ``FetchLeases``) ends the fetch at once.
    private func fetchRemote(_ source: SegmentSource, partition: Int, context: TaskContext?) throws -> Segment {
        do {
            return try server.transport.fetch(source, partition: partition, for: self, context: context)
        } catch let error as TaskCancelled {
            throw error
        } catch let error as ScratchWriteFailed {
            throw error
        } catch let error as FetchError {
            throw FetchError("fetching \(producerName) \(source.producer)'s output from \(source.host):\(source.port) failed: \(error.description)")
        } catch {
            throw FetchError("fetching \(producerName) \(source.producer)'s output from \(source.host):\(source.port) failed: \(error)")
        }
    }
}

struct FetchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
