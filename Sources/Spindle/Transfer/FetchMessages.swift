import SpindleCore

/// A reducer's request for one partition of one map attempt's output.
struct FetchRequest: WireCodable, Sendable, Equatable {
    var attempt: AttemptID
    var partition: Int

    init(attempt: AttemptID, partition: Int) {
        self.attempt = attempt
        self.partition = partition
    }
    func encode(to w: inout WireWriter) { w.write(attempt); w.write(partition) }
    init(from r: inout WireReader) throws { attempt = try r.read(AttemptID.self); partition = try r.read(Int.self) }
}
