/// A lost worker's exchange server, as the coordinator tells the survivors: every fetch from `host`:`port`
/// of an output made by an attempt older than `attemptsBelow` is to be aborted at once (that output is
/// gone with its worker), instead of waiting for the fetch timeout. Outputs of later attempts at the same
/// address (a worker that rejoined there) are fetched as usual.
package struct PeerLoss: WireCodable, Equatable, Sendable {
    package var host: String
    package var port: UInt16
    /// Every attempt of the lost worker has an id below this one.
    package var attemptsBelow: AttemptID

    package init(host: String, port: UInt16, attemptsBelow: AttemptID) {
        self.host = host
        self.port = port
        self.attemptsBelow = attemptsBelow
    }
    package func encode(to w: inout WireWriter) { w.write(host); w.write(port); w.write(attemptsBelow) }
    package init(from r: inout WireReader) throws {
        host = try r.read(String.self); port = try r.read(UInt16.self); attemptsBelow = try r.read(AttemptID.self)
    }
}
