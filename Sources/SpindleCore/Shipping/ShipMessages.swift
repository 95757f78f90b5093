/// A worker's request for bytes `offset..<offset+length` of a planned input file, answered by the
/// coordinator's shipping server with `shipBlock` frames (``ShipBlock``), then `shipEnd` with the byte count,
/// or `shipError`. The server serves only files of the job's plan, checked against `identity`.
package struct ShipInputRequest: WireCodable, Equatable, Sendable {
    package var path: String
    package var identity: FileIdentity
    package var offset: Int
    package var length: Int

    package init(path: String, identity: FileIdentity, offset: Int, length: Int) {
        self.path = path
        self.identity = identity
        self.offset = offset
        self.length = length
    }
    package func encode(to w: inout WireWriter) { w.write(path); w.write(identity); w.write(offset); w.write(length) }
    package init(from r: inout WireReader) throws {
        path = try r.read(String.self); identity = try r.read(FileIdentity.self); offset = try r.read(Int.self); length = try r.read(Int.self)
    }

    /// Why the request cannot be answered for a file of `size` bytes, or nil when it can.
    package func problem(size: Int) -> String? {
        guard offset >= 0, length >= 0, offset <= size, length <= size - offset else {
            return "bytes \(offset)..<\(offset &+ length) are outside '\(path)' (\(size) bytes)"
        }
        return nil
    }
}

/// A worker announcing an output file it streams back (`shipBlock` frames, then `shipEnd` with the byte
/// count); the server stores it as attempt `attempt`'s temporary file named `name` and answers `shipStored`.
package struct ShipOutputRequest: WireCodable, Equatable, Sendable {
    package var attempt: AttemptID
    package var name: String
    package var size: Int

    package init(attempt: AttemptID, name: String, size: Int) {
        self.attempt = attempt
        self.name = name
        self.size = size
    }
    package func encode(to w: inout WireWriter) { w.write(attempt); w.write(name); w.write(size) }
    package init(from r: inout WireReader) throws {
        attempt = try r.read(AttemptID.self); name = try r.read(String.self); size = try r.read(Int.self)
    }

    /// Whether `name` may be shipped: a part file name (`part-` and digits) and nothing else, so a worker can
    /// never name a path of its choosing on the coordinator.
    package static func isShippableName(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        let prefix = Array("part-".utf8)
        guard bytes.count > prefix.count, bytes.count <= 32, bytes.starts(with: prefix) else { return false }
        return bytes[prefix.count...].allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }
}

/// A `shipError` answer: the reason, and whether it is the input's fault (a file that changed: fatal, the
/// job fails at once) rather than a passing failure of the server.
package struct ShipErrorMessage: WireCodable, Equatable, Sendable {
    package var message: String
    package var inputChanged: Bool
    package init(message: String, inputChanged: Bool) {
        self.message = message
        self.inputChanged = inputChanged
    }
    package func encode(to w: inout WireWriter) { w.write(message); w.write(inputChanged) }
    package init(from r: inout WireReader) throws { message = try r.read(String.self); inputChanged = try r.read(Bool.self) }
}
