import SpindleCore
import SpindlePosix
/// A partition a worker holds between the tasks of a superstep job: the program's state after the last
/// superstep this worker committed, and the message outputs the worker's exchange serves for it.
final class HostedPartition<State>: @unchecked Sendable {  // Used by one task at a time (tasks of a worker run one after another).
    var state: State
    /// The rollback epoch the state belongs to.
    let epoch: Int
    /// The superstep whose result `state` is (-1: prepared, before superstep 0).
    var superstep: Int
    /// Outputs of this partition the worker's exchange serves, oldest first: the superstep that needs them
    /// last is `superstep + 1`; `scratchFile` is deleted once they are released (nil for an output held in
    /// memory or for a checkpoint's file, which the checkpoints prune).
    var served: [(superstep: Int, attempt: AttemptID, scratchFile: String?)] = []
    /// Outputs older than `served`'s, kept for confined recovery (see ``MessageLog``).
    var logs: [MessageLog.Entry] = []
    /// The message routing this partition serves while held here, when the job logs messages: a partition
    /// recovering elsewhere resolves its message targets from it.
    var routing: MessageLog.Entry?
    /// The report of the superstep `state` is the result of, answered again when a confined recovery reruns it.
    var kept: (superstep: Int, payload: [UInt8], statistics: AttemptStatistics)?
    /// The background write of the partition's graph image this worker started (kept from the partition held in an
    /// older epoch when the graph was), reported by every later task of the partition once it ended.
    var image: GraphImageWriter.Pending?

    init(state: State, epoch: Int, superstep: Int) {
        self.state = state
        self.epoch = epoch
        self.superstep = superstep
    }
}

extension HostedPartition: ReleasablePartition {
    func release(exchange: ExchangeServer, logBudget: MessageLogBudget) {
        for output in served {
            exchange.unregister(output.attempt)
            if let file = output.scratchFile { try? FileSystem.unlink(file) }
        }
        MessageLog.release(logs + (routing.map { [$0] } ?? []), exchange: exchange, budget: logBudget)
        served = []
        logs = []
        routing = nil
    }
}
