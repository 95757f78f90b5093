import SpindleCore

/// The messages addressed to one partition in one superstep, as segments of checked record blocks in
/// sender order (segment i comes from partition i): fetched through the exchange from the previous
/// superstep's outputs, or read from the message files of the checkpoint being restored.
///
/// Shared by the superstep engines; the segments' bytes stay valid while the inbox lives.
struct SuperstepInbox {
    /// One sender's messages for this partition.
    struct Segment {
        /// The sending partition.
        var sender: Int
        var bytes: UnsafeRawBufferPointer
        /// Keeps `bytes` mapped.
        var owner: AnyObject
        /// Named in errors about damaged blocks.
        var source: String
        /// Every block's checksum was verified on arrival (or the bytes never left this process's memory).
        var verified = false
    }

    let segments: [Segment]

    /// No messages (superstep 0 without a checkpoint).
    init() { segments = [] }

    /// Gathers `partition`'s messages from `source`; fetched ones are kept in memory when `inMemory` (for
    /// engines that hold their partitions in memory anyway), else in scratch files. Then, in memory only, it
    /// starts fetching the messages of `ahead`'s partition in the background (see ``SegmentPrefetches``).
    /// - Throws: a non-blaming failure that names no lost output when a sender's output cannot be fetched
    ///   (superstep outputs are not recomputed one by one: the driver rolls every partition back when a worker
    ///   is lost); ``CorruptDataError`` or a system error for a damaged or missing checkpoint file.
    init(_ source: InboxSource, partition: Int, context: TaskContext, inMemory: Bool = false, ahead: FetchAhead? = nil) throws {
        switch source {
        case .none:
            segments = []
        case .exchange(let sources):
            let fetcher = SegmentFetcher(
                secret: context.services.secret, server: context.services.exchange,
                scratchPrefix: context.scratchPrefix, producerStage: -1, producerName: "partition", inMemory: inMemory)
            do {
                segments = try fetcher.fetch(partition: partition, sources: sources, context: context).map {
                    Segment(
                        sender: $0.producer, bytes: $0.bytes, owner: $0.owner, source: "messages of partition \($0.producer)", verified: $0.verified)
                }
            } catch let failure as BlamelessFailure {
                throw BlamelessFailure(description: failure.description, lostOutputs: [])
            }
            if let ahead { fetcher.prefetch(ahead) }
        case .checkpoint(let paths):
            segments = try paths.enumerated().map { sender, path in
                let file = try PartitionedFile(path: path)
                return Segment(sender: sender, bytes: file.segment(partition), owner: file, source: path)
            }
        }
    }

    /// Whether no sender sent anything (an empty segment holds no block).
    var isEmpty: Bool { segments.allSatisfy { $0.bytes.isEmpty } }

    /// One cursor per segment, in sender order.
    func cursors() -> [RecordCursor] {
        segments.map { RecordCursor(blocks: $0.bytes, source: $0.source, owner: $0.owner, checksumsVerified: $0.verified) }
    }
}
