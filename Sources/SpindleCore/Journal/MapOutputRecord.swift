/// Where a committed map task's output lives (``JournalRecord/mapOutput(_:)``).
package struct MapOutputRecord: Sendable, Equatable, WireCodable {
    package var index: Int
    package var attempt: AttemptID
    package var worker: WorkerID
    package var host: String
    package var port: UInt16
    package var sizes: [Int]

    package init(index: Int, attempt: AttemptID, worker: WorkerID, host: String, port: UInt16, sizes: [Int]) {
        self.index = index
        self.attempt = attempt
        self.worker = worker
        self.host = host
        self.port = port
        self.sizes = sizes
    }

    package func encode(to w: inout WireWriter) {
        w.write(index); w.write(attempt); w.write(worker); w.write(host); w.write(port); w.write(sizes)
    }

    package init(from r: inout WireReader) throws {
        index = try r.read(Int.self); attempt = try r.read(AttemptID.self); worker = try r.read(WorkerID.self)
        host = try r.read(String.self); port = try r.read(UInt16.self); sizes = try r.read([Int].self)
    }
}
