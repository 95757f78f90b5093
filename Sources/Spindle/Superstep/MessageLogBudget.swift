import Synchronization

/// How many bytes of in-memory message outputs a worker's message logs may keep (`--message-log-memory`), over
/// all the partitions it holds. An output that does not fit is written to the worker's scratch disk instead (see
/// ``MessageLog``), so that the log never holds more memory than the limit, whatever the checkpoint interval.
final class MessageLogBudget: Sendable {
    /// The default limit: 256 MiB per worker.
    static let defaultLimit = 256 << 20
    /// The most bytes the logs may keep in memory at once (0: every logged output goes to scratch).
    let limit: Int
    private let held = Mutex(0)

    init(limit: Int = MessageLogBudget.defaultLimit) {
        precondition(limit >= 0, "MessageLogBudget: a negative limit")
        self.limit = limit
    }

    /// Charges `bytes` to the budget when they fit under the limit.
    /// - Returns: whether they were charged (false: the caller spills the output instead).
    func reserve(_ bytes: Int) -> Bool {
        held.withLock { held in
            guard bytes <= limit - held else { return false }
            held += bytes
            return true
        }
    }

    /// Gives back `bytes` charged by ``reserve(_:)`` (the output left the log).
    func release(_ bytes: Int) {
        held.withLock { held in
            precondition(bytes <= held, "MessageLogBudget: releasing \(bytes) bytes of \(held) held")
            held -= bytes
        }
    }

    /// The bytes the logs keep in memory now.
    var inMemory: Int { held.withLock { $0 } }
}
