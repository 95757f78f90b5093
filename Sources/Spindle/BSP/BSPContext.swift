import SpindleCore

/// What a BSP `compute` call sees and does for its partition in one superstep: where it is, how to send
/// messages to other partitions, aggregators and master compute's globals, and the vote to halt.
///
/// Valid only during the call. A send to a partition outside `0..<partitionCount` or an aggregator the job does
/// not declare fails the task once `compute` returns (the worker does not trap).
public final class BSPContext<Message: WireCodable & Sendable> {
    /// The current superstep, from 0.
    public let superstep: Int
    /// This partition, in `0..<partitionCount`.
    public let partition: Int
    /// The number of partitions of the run (`--partitions`).
    public let partitionCount: Int
    let outbox: BSPOutbox<Message>
    let aggregators: [Aggregator]
    private let aggregatorIndex: [String: Int]
    private(set) var aggregates: AggregatorValues
    private let previous: AggregatorValues
    private let globals: [String: Double]
    private(set) var halted = false

    init(
        superstep: Int, partition: Int, partitionCount: Int, outbox: BSPOutbox<Message>, aggregators: [Aggregator], previous: AggregatorValues,
        globals: [String: Double]
    ) {
        self.superstep = superstep
        self.partition = partition
        self.partitionCount = partitionCount
        self.outbox = outbox
        self.aggregators = aggregators
        aggregates = AggregatorValues(aggregators)
        self.previous = previous
        self.globals = globals
        var index: [String: Int] = [:]
        for (i, a) in aggregators.enumerated() { index[a.name] = i }
        aggregatorIndex = index
    }

    /// Sends `message` to partition `partition`; it is delivered in the next superstep, after the messages of
    /// lower-numbered senders and after this partition's earlier sends to the same destination.
    @inline(__always)
    public func send(toPartition partition: Int, _ message: Message) {
        outbox.send(toPartition: partition, message)
    }

    /// Messages this partition sent so far in this superstep.
    public var messagesSent: Int { outbox.sent }

    /// Contributes `amount` to the aggregator at `index` in the job's `aggregators` (an index the job does not
    /// declare fails the task once `compute` returns).
    public func aggregate(_ index: Int, _ amount: Double) {
        guard aggregators.indices.contains(index) else {
            outbox.fail(TaskFailure.unknownAggregator(index: index, declared: aggregators))
            return
        }
        aggregates.values[index] = aggregators[index].add(amount, to: aggregates.values[index])
    }

    /// Contributes `amount` to aggregator `name` (a name the job does not declare fails the task once
    /// `compute` returns).
    public func aggregate(_ name: String, _ amount: Double) {
        guard let i = index(of: name) else { return }
        aggregate(i, amount)
    }

    /// The value of the aggregator at `index`, folded over the previous superstep (its identity in superstep 0).
    /// An index the job does not declare reads NaN and fails the task once `compute` returns.
    public func aggregated(_ index: Int) -> Double {
        guard aggregators.indices.contains(index), previous.values.indices.contains(index) else {
            outbox.fail(TaskFailure.unknownAggregator(index: index, declared: aggregators))
            return .nan
        }
        return previous.values[index]
    }

    /// The value of aggregator `name`, folded over the previous superstep (its identity in superstep 0). A name
    /// the job does not declare reads NaN and fails the task once `compute` returns.
    public func aggregated(_ name: String) -> Double {
        guard let i = index(of: name) else { return .nan }
        return aggregated(i)
    }

    /// A global value set by master compute (nil if never set).
    public func global(_ name: String) -> Double? { globals[name] }

    /// Deactivates the partition: compute is not called for it again until a message arrives for it. The job
    /// ends when every partition has voted to halt and no message is in flight.
    public func voteToHalt() { halted = true }

    /// The index of aggregator `name`, or nil (with the task's failure recorded) when the job does not declare it.
    private func index(of name: String) -> Int? {
        guard let i = aggregatorIndex[name] else {
            outbox.fail(TaskFailure.unknownAggregator(named: name, declared: aggregators))
            return nil
        }
        return i
    }
}
