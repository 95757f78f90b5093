/// What a ``SuperstepBarrier`` remembers of the supersteps since the newest committed checkpoint, so that a
/// confined recovery can feed the recovering partitions what they saw the first time: where each partition's
/// messages of each superstep are served (its worker keeps them in memory or in its message log), where its
/// message routing is served (jobs that resolve message targets), and each superstep's aggregates and globals.
/// Kept only when ``BarrierSettings/logsMessages``; bounded by the checkpoint interval.
package struct SuperstepLog: Sendable, Equatable {
    /// The aggregates and master globals after one superstep.
    package struct Master: Sendable, Equatable {
        package var aggregates: [Double]
        /// Sorted by name.
        package var globals: [Pair<String, Double>]

        package init(aggregates: [Double], globals: [Pair<String, Double>]) {
            self.aggregates = aggregates
            self.globals = globals
        }
    }

    /// Superstep → by partition: the newest committed task of that superstep (its output holds the messages).
    package private(set) var messages: [Int: [SuperstepBarrier.CommittedTask?]] = [:]
    /// Partition → its newest committed prepare task, whose output holds its message routing.
    package private(set) var routing: [Int: SuperstepBarrier.CommittedTask] = [:]
    /// Superstep → the partitions whose recorded task of it sent messages only to some partitions (a narrowed
    /// replay, see ``SuperstepBarrier/messageTargets(of:)``): their outputs cannot serve every partition.
    package private(set) var partial: [Int: Set<Int>] = [:]
    /// Superstep → the aggregates and globals after it.
    package private(set) var masters: [Int: Master] = [:]

    package init() {}

    /// Records that `task` of superstep `superstep` committed for `partition` (replacing an older commit); `partial`
    /// when it sent messages only to some partitions.
    package mutating func recordMessages(
        superstep: Int, partition: Int, partitions: Int, _ task: SuperstepBarrier.CommittedTask, partial: Bool = false
    ) {
        messages[superstep, default: Array(repeating: nil, count: partitions)][partition] = task
        if partial {
            self.partial[superstep, default: []].insert(partition)
        } else {
            self.partial[superstep]?.remove(partition)
            if self.partial[superstep]?.isEmpty == true { self.partial[superstep] = nil }
        }
    }

    /// Records that `task` prepared `partition` (its routing output is served from now on).
    package mutating func recordRouting(partition: Int, _ task: SuperstepBarrier.CommittedTask) {
        routing[partition] = task
    }

    /// Records the aggregates and globals after `superstep` (master compute's decision).
    package mutating func recordMaster(superstep: Int, aggregates: [Double], globals: [Pair<String, Double>]) {
        masters[superstep] = Master(aggregates: aggregates, globals: globals)
    }

    /// The checkpoint of `superstep` committed: messages of it and before are in checkpoints (or no longer
    /// needed), and so are the master values before it.
    package mutating func prune(upTo superstep: Int) {
        messages = messages.filter { $0.key > superstep }
        partial = partial.filter { $0.key > superstep }
        masters = masters.filter { $0.key >= superstep }
    }

    /// The committed tasks of `superstep` by partition (nil where none is recorded).
    package func messages(of superstep: Int, partitions: Int) -> [SuperstepBarrier.CommittedTask?] {
        messages[superstep] ?? Array(repeating: nil, count: partitions)
    }
}
