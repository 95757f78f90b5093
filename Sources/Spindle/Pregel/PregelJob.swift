import SpindleCore

/// A graph job in the Pregel model, written as closures: every superstep, each active vertex (or one that
/// received messages) runs `compute` with its messages, may change its value, send messages along its
/// edges or to any vertex, aggregate, and vote to halt; a message reactivates a halted vertex. The job
/// halts when every vertex has voted to halt and no message is in flight, at `--max-supersteps`, or when
/// master compute says so.
///
/// Input is an edge list as SNAP publishes it (`#` comments, `src dst [weight]`, Int64 ids of any range);
/// a vertex that appears only as a target exists with no out-edges. Output is `vertex<TAB>value` lines.
public struct PregelJob<VertexValue: WireCodable & Sendable, EdgeValue: Sendable, Message: WireCodable & Sendable>: Sendable {
    /// A compute function as one task runs it (built per task by ``makeCompute``; it may keep state).
    public typealias Compute = (VertexContext<VertexValue, EdgeValue, Message>, [Message]) -> Void

    /// The name `spindle run NAME` starts the job by; unique among the executable's jobs.
    public var name: String
    /// One line for `spindle jobs`.
    public var summary: String
    /// The `--param` values the job takes, validated before any worker starts.
    public var parameters: [JobParameter]
    /// The input paths used when `spindle run` gets no `--input` (for example a sample graph shipped with
    /// the job, or generated on first use); it runs on the coordinator, once per run, before planning.
    /// Nil (the default) makes `--input` required.
    public var defaultInput: (@Sendable () throws -> [String])?
    /// Whether the graph is undirected, decided per run from the parameters: when it returns true, every
    /// input line `a b [w]` makes two edges, `a -> b` and `b -> a`, both with the value `edgeValue(w)`, so
    /// `outDegree` and `sendToAllNeighbors` see both directions. The default, `{ _ in false }`, reads each line
    /// as one directed edge. Use `{ _ in true }` for an always-undirected job, or
    /// `{ $0.bool("undirected") }` with a declared `.bool` parameter to let the user choose.
    public var undirected: @Sendable (JobParameters) -> Bool
    /// The value of an edge from the input's optional third column (nil when absent).
    public var edgeValue: @Sendable (Double?) -> EdgeValue
    /// Why an edge weight read from the input is unusable (for example "negative weight -2"), or nil when it
    /// is fine. A rejected weight makes its line a malformed record: the job fails at once naming `file:line`
    /// (exit code 2), or skips and counts the line with `--skip-bad-records`. Nil (the default): any weight.
    public var checkWeight: (@Sendable (Double) -> String?)? = nil
    /// Builds, per task from the parameters, the value of vertex `id` before superstep 0, given its
    /// out-degree and the number of vertices.
    public var makeInitialValue: @Sendable (JobParameters) -> @Sendable (_ id: Int64, _ outDegree: Int, _ totalVertices: Int) -> VertexValue
    /// Builds, per task from the parameters, the compute function run on every active vertex each superstep.
    public var makeCompute: @Sendable (JobParameters) throws -> Compute
    /// Combines messages to the same vertex on the sender and the receiver (see ``MessageCombiner``).
    public var combiner: MessageCombiner<Message>?
    /// The combiner's function (associative and commutative); setting it makes a `.custom` combiner.
    public var combine: (@Sendable (inout Message, Message) -> Void)? {
        get { combiner?.combine }
        set { combiner = newValue.map { .custom($0) } }
    }
    /// The aggregators vertices may `aggregate` into; each is folded at every barrier.
    public var aggregators: [Aggregator]
    /// Runs on the coordinator after every superstep; may halt the job or set global values.
    public var makeMasterCompute: (@Sendable (JobParameters) -> @Sendable (inout MasterContext) -> Void)?
    /// Turns a vertex value into the text after the tab of its output line `vertex<TAB>text` (escaped like
    /// every Spindle output). The default is the value's `description`: `Double` values in their shortest form
    /// that reads back exactly, `Int64` in decimal. Give your own for other types or another spelling, for
    /// example `{ $0 == .max ? "unreachable" : String($0) }`.
    public var formatValue: @Sendable (VertexValue) -> String {
        get { customFormat ?? { "\($0)" } }
        set { customFormat = newValue }
    }
    /// The job's own `formatValue`, or nil for the default, which the engine writes without building Strings
    /// for `Double` and `Int64` values.
    var customFormat: (@Sendable (VertexValue) -> String)?

    /// A Pregel job; only `name`, `summary`, `edgeValue`, `makeInitialValue` and `makeCompute` are required.
    /// - Parameters:
    ///   - name: the name `spindle run NAME` starts the job by (see ``name``).
    ///   - summary: one line for `spindle jobs`.
    ///   - parameters: the `--param` values the job takes.
    ///   - defaultInput: the input paths without `--input` (see ``defaultInput``); nil makes `--input` required.
    ///   - undirected: whether each input line also makes the reverse edge (see ``undirected``).
    ///   - edgeValue: the edge value from the line's optional third column (`Unweighted()` to ignore it).
    ///   - makeInitialValue: builds, per task, the value of a vertex before superstep 0.
    ///   - makeCompute: builds, per task, the compute function run on every active vertex.
    ///   - combine: a closure that folds two messages to one vertex; give at most one of `combine` and `combiner`.
    ///   - combiner: a ``MessageCombiner``; give at most one of `combine` and `combiner`.
    ///   - aggregators: the aggregators vertices may contribute to.
    ///   - makeMasterCompute: builds the master compute run on the coordinator after every superstep.
    ///   - formatValue: the output text of a vertex value (see ``formatValue``); nil for its `description`.
    public init(
        name: String, summary: String, parameters: [JobParameter] = [], defaultInput: (@Sendable () throws -> [String])? = nil,
        undirected: @escaping @Sendable (JobParameters) -> Bool = { _ in false },
        edgeValue: @escaping @Sendable (Double?) -> EdgeValue,
        makeInitialValue: @escaping @Sendable (JobParameters) -> @Sendable (Int64, Int, Int) -> VertexValue,
        makeCompute: @escaping @Sendable (JobParameters) throws -> Compute,
        combine: (@Sendable (inout Message, Message) -> Void)? = nil,
        combiner: MessageCombiner<Message>? = nil,
        aggregators: [Aggregator] = [],
        makeMasterCompute: (@Sendable (JobParameters) -> @Sendable (inout MasterContext) -> Void)? = nil,
        formatValue: (@Sendable (VertexValue) -> String)? = nil
    ) {
        self.name = name
        self.summary = summary
        self.parameters = parameters
        self.defaultInput = defaultInput
        self.undirected = undirected
        self.edgeValue = edgeValue
        self.makeInitialValue = makeInitialValue
        self.makeCompute = makeCompute
        precondition(combine == nil || combiner == nil, "give a PregelJob either combine or combiner, not both")
        self.combiner = combiner ?? combine.map { .custom($0) }
        self.aggregators = aggregators
        self.makeMasterCompute = makeMasterCompute
        self.customFormat = formatValue
    }

    /// The job to register with ``Spindle/main(jobs:arguments:)``.
    public var job: Job {
        Job(name: name, summary: summary, parameters: parameters, defaultInput: defaultInput, engine: PregelEngine(definition: self))
    }
}

/// The edge value of a graph job that ignores weights: takes no memory per edge.
public struct Unweighted: Sendable, Equatable {
    /// The one (empty) edge value.
    public init() {}
}
