/// The kind byte of every frame on a Spindle connection.
package enum MessageKind: UInt8, Sendable, CaseIterable {
    // Handshake (see ``ServerHandshake`` and ``ClientHandshake``).
    case hello = 1
    case challenge = 2
    case response = 3
    case welcome = 4
    case reject = 5
    // Control: worker <-> coordinator.
    case register = 10
    case registered = 11
    case heartbeat = 12
    case assign = 13
    case finished = 14
    case failed = 15
    case cancel = 16
    case shutdown = 17
    /// Since protocol version 5 it lists every worker lost in one turn of the coordinator's loop.
    case peersLost = 18
    case releasePartitions = 19
    // Data: a reducer fetching a partition from a worker's exchange server.
    case fetchRequest = 20
    case fetchBlock = 21
    case fetchEnd = 22
    case fetchError = 23
    // Control, continued: worker -> coordinator.
    case storageChecked = 24
    // Shipping: a worker that does not share the coordinator's files reads inputs from it or sends part files back.
    case shipInputRequest = 30
    case shipBlock = 31
    case shipEnd = 32
    case shipError = 33
    case shipOutputRequest = 34
    case shipStored = 35
}

/// What a connection is for, announced in the `hello` frame.
package enum ConnectionRole: UInt8, Sendable {
    /// A worker joining the coordinator.
    case worker = 1
    /// A worker fetching shuffle data from another worker.
    case fetch = 2
    /// A worker reading inputs from, or sending part files to, the coordinator's shipping server.
    case ship = 3
}

/// Protocol constants shared by both ends.
package enum WireProtocol {
    /// Bumped on any incompatible change to frames or messages (3: attempt statistics carry a spill count; 4: the
    /// job descriptor carries a storage plan, the coordinator tells an excluded worker to release its partitions,
    /// a committed part file's size and CRC32C travel in the attempt's statistics, and a registering worker lists
    /// the outputs it still serves; 5: a worker reports what it shares of the job's files after registering; 6: one
    /// `peersLost` frame lists every worker lost in a turn of the coordinator's loop, instead of one `peerLost`
    /// frame per lost worker).
    package static let version: UInt32 = 6
    /// First bytes of a `hello` payload, so that stray traffic is recognised at once.
    package static let magic: [UInt8] = Array("SPNDL".utf8)
    /// Length of the random nonces exchanged in the handshake.
    package static let nonceLength = 32
}
