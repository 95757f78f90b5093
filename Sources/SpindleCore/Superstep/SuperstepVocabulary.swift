/// The counters a ``SuperstepBarrier`` keeps, under engine-neutral names.
package struct SuperstepCounters: Sendable, Equatable {
    /// Members over all partitions, as the last prepare stage counted them (vertices in Pregel).
    package var members = 0
    /// Input records loaded (edges in Pregel), counted once per load task.
    package var records = 0
    /// Malformed input records skipped.
    package var skippedRecords = 0
    package var partitions = 0
    /// Supersteps completed, replays after a rollback included.
    package var supersteps = 0
    package var rollbacks = 0
    /// Messages sent, over every completed superstep.
    package var messages = 0
    /// Committed checkpoints still kept (at most two).
    package var checkpoints = 0

    package init() {}
}

/// One of the ``SuperstepCounters``.
package enum SuperstepCounter: Sendable, Equatable {
    case members, records, skippedRecords, partitions, supersteps, rollbacks, messages, checkpoints
}

/// How an engine names what the barrier counts: its counters in `_SUCCESS` (in this order) and its members in
/// sentences. Pregel says "graph.vertices" and "vertices", BSP "bsp.partitions" and "partitions".
package struct SuperstepVocabulary: Sendable {
    /// The members of a partition in a sentence, plural ("vertices").
    package var members: String
    /// The counters reported, in order, each under the engine's name.
    package var counters: [(counter: SuperstepCounter, name: String)]

    package init(members: String, counters: [(counter: SuperstepCounter, name: String)]) {
        self.members = members
        self.counters = counters
    }

    /// `values` under this vocabulary's names, in its order.
    package func named(_ values: SuperstepCounters) -> [(String, Int)] {
        counters.map { entry in
            let value: Int
            switch entry.counter {
            case .members: value = values.members
            case .records: value = values.records
            case .skippedRecords: value = values.skippedRecords
            case .partitions: value = values.partitions
            case .supersteps: value = values.supersteps
            case .rollbacks: value = values.rollbacks
            case .messages: value = values.messages
            case .checkpoints: value = values.checkpoints
            }
            return (entry.name, value)
        }
    }
}
