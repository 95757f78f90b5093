/// A committed MapReduce task (``JournalRecord/taskCommitted(_:)``).
package struct CommittedTaskRecord: Sendable, Equatable, WireCodable {
    /// What the task was.
    package enum Kind: UInt8, Sendable, Equatable {
        case map = 0, reduce = 1
    }
    /// One file the task's commit made part of the output, with its size and CRC32C.
    package struct OutputFile: Sendable, Equatable, WireCodable {
        package var name: String
        package var size: Int
        package var checksum: UInt32

        package init(name: String, size: Int, checksum: UInt32) {
            self.name = name
            self.size = size
            self.checksum = checksum
        }

        package func encode(to w: inout WireWriter) { w.write(name); w.write(size); w.write(checksum) }
        package init(from r: inout WireReader) throws {
            name = try r.read(String.self); size = try r.read(Int.self); checksum = try r.read(UInt32.self)
        }
    }

    package var kind: Kind
    /// The split (map) or partition (reduce) index.
    package var index: Int
    package var attempt: AttemptID
    package var worker: WorkerID
    package var files: [OutputFile]
    package var counters: [Pair<String, Int>]

    package init(kind: Kind, index: Int, attempt: AttemptID, worker: WorkerID, files: [OutputFile], counters: [Pair<String, Int>]) {
        self.kind = kind
        self.index = index
        self.attempt = attempt
        self.worker = worker
        self.files = files
        self.counters = counters
    }

    package func encode(to w: inout WireWriter) {
        w.write(kind.rawValue); w.write(index); w.write(attempt); w.write(worker); w.write(files); w.write(counters)
    }

    package init(from r: inout WireReader) throws {
        let raw = try r.read(UInt8.self)
        guard let kind = Kind(rawValue: raw) else { throw WireError.invalidValue(type: "committed task", detail: "unknown kind \(raw)") }
        self.kind = kind
        index = try r.read(Int.self); attempt = try r.read(AttemptID.self); worker = try r.read(WorkerID.self)
        files = try r.read([OutputFile].self); counters = try r.read([Pair<String, Int>].self)
    }
}
