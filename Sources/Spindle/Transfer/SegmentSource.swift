import SpindleCore

/// Where a consumer fetches its partition of one producer's output (a map task's, a load task's or a superstep
/// partition's messages).
struct SegmentSource: WireCodable, Sendable {
    /// The producing task's index in its stage.
    var producer: Int
    var attempt: AttemptID
    var host: String
    var port: UInt16
    /// Expected bytes of the consumer's partition in that output.
    var bytes: Int

    init(producer: Int, attempt: AttemptID, host: String, port: UInt16, bytes: Int) {
        self.producer = producer; self.attempt = attempt; self.host = host; self.port = port; self.bytes = bytes
    }
    func encode(to w: inout WireWriter) { w.write(producer); w.write(attempt); w.write(host); w.write(port); w.write(bytes) }
    init(from r: inout WireReader) throws {
        producer = try r.read(Int.self); attempt = try r.read(AttemptID.self); host = try r.read(String.self)
        port = try r.read(UInt16.self); bytes = try r.read(Int.self)
    }
}
