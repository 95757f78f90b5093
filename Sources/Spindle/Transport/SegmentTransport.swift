/// How a worker fetches one partition of another worker's output (a producer attempt's ``PartitionedFile``):
/// over TCP from that worker's ``ExchangeServer`` (``TCPSegmentTransport``), or in memory from an exchange
/// server of the same process (``InMemorySegmentTransport``). Outputs on the fetching worker itself never
/// reach a transport: ``SegmentFetcher`` reads them in place.
protocol SegmentTransport: Sendable {
    /// Fetches `source`'s segment of `partition`, checked as it arrives (or marked for checking as it is read)
    /// against the blocks' CRC32C and the byte count `source` names.
    /// - Parameters:
    ///   - fetcher: the fetch's settings (timeout, where to spill, whether to keep it in memory).
    ///   - context: the attempt the fetch serves, if any: its cancellation ends a blocked fetch at once.
    /// - Throws: ``FetchError`` (or the transport's own error) naming what failed; the fetcher adds the source;
    ///   ``TaskCancelled`` when `context` was cancelled.
    func fetch(_ source: SegmentSource, partition: Int, for fetcher: SegmentFetcher, context: TaskContext?) throws -> SegmentFetcher.Segment
}
