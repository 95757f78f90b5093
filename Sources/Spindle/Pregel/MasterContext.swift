import Synchronization

/// What master compute sees between supersteps, on the coordinator.
public struct MasterContext: Sendable {
    /// The superstep that just ended.
    public let superstep: Int
    /// Vertices in the graph.
    public let totalVertices: Int
    /// Vertices still active (not voted to halt) after the superstep.
    public let activeVertices: Int
    /// Messages sent in the superstep (after combining).
    public let messagesSent: Int
    let aggregates: [String: Double]
    /// Global values, visible to every vertex from the next superstep on; kept in checkpoints.
    public var globals: [String: Double]
    /// Set to stop the job after this superstep.
    public var halt = false
    /// Set to fail the job after this superstep with this error, such as a parameter the graph cannot
    /// satisfy (``SpindleError/Code/badInput`` makes `spindle run` exit with 2); no output is written.
    public var failure: SpindleError?
    /// Aggregator names asked for that the job does not declare.
    let undeclared = UndeclaredAggregators()

    init(superstep: Int, totalVertices: Int, activeVertices: Int, messagesSent: Int, aggregates: [String: Double], globals: [String: Double]) {
        self.superstep = superstep
        self.totalVertices = totalVertices
        self.activeVertices = activeVertices
        self.messagesSent = messagesSent
        self.aggregates = aggregates
        self.globals = globals
    }

    /// The value of aggregator `name` folded over the superstep that just ended. A name the job does not declare
    /// fails the job once master compute returns (with a sentence naming it and the declared ones); until then
    /// it reads as NaN.
    public func aggregated(_ name: String) -> Double {
        guard let v = aggregates[name] else {
            undeclared.add(name)
            return .nan
        }
        return v
    }
}

/// The aggregator names master compute asked for that the job does not declare, in the order asked (shared by
/// the copies of one ``MasterContext``; a `Mutex` guards them).
final class UndeclaredAggregators: Sendable {
    private let names = Mutex<[String]>([])

    func add(_ name: String) { names.withLock { if !$0.contains(name) { $0.append(name) } } }
    var all: [String] { names.withLock { $0 } }
}
