/// Fetches from an exchange server of the same process (see ``InProcessNetwork``) without copying: the
/// segment is the producer's bytes, kept alive by its ``PartitionedFile``. The same checks as over TCP
/// apply: the producer must hold the attempt's output and the partition, the byte count must match what
/// the producer reported, and every block's CRC32C is checked as the segment is read (bytes whose
/// checksums are still pending never left memory and are marked verified, as for a local output).
struct InMemorySegmentTransport: SegmentTransport {
    let network: InProcessNetwork

    func fetch(_ source: SegmentSource, partition: Int, for fetcher: SegmentFetcher, context: TaskContext?) throws -> SegmentFetcher.Segment {
        guard source.host == InProcessNetwork.host, let server = network.server(port: source.port) else {
            throw FetchError("no worker of this process serves \(source.host):\(source.port) (it has stopped)")
        }
        guard let file = server.localOutput(source.attempt) else {
            throw FetchError("this worker holds no output of \(source.attempt)")
        }
        guard partition >= 0 && partition < file.partitionCount else {
            throw FetchError("partition \(partition) does not exist")
        }
        let bytes = file.segment(partition)
        guard bytes.count == source.bytes else {
            throw FetchError("the output holds \(bytes.count) bytes, the producer reported \(source.bytes)")
        }
        return SegmentFetcher.Segment(producer: source.producer, bytes: bytes, owner: file, verified: file.checksumsPending)
    }
}
