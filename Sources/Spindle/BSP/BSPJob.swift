import SpindleCore

/// A job in the bulk synchronous parallel (BSP) model, written as closures over whole partitions: the
/// framework the ``PregelJob`` API also runs on, for algorithms that are easier or cheaper per partition
/// (local union-find, local sorting, blocked matrices) than per vertex.
///
/// A run goes through these steps, each a closure of the job:
/// 1. **load**: every input line is handed to `load` once (on some worker), which sends messages to
///    partitions with ``BSPLoader/send(toPartition:_:)``. A line that `load` rejects by throwing
///    ``MalformedRecord`` fails the job with an error naming `file:line`, or is skipped and counted with
///    `--skip-bad-records`; messages `load` sent for that line are dropped.
/// 2. **makeState**: each of the `--partitions` partitions builds its `State` from the messages the loaders
///    sent it (in input-split order, then send order), on the worker that owns it from then on.
/// 3. **compute**, once per superstep on every partition that has not voted to halt or has messages: it
///    changes the partition's `State` and sends messages to any partition; they arrive in the next superstep.
/// 4. **output**: each partition writes its result as `key<TAB>value` lines to its part file.
///
/// The job halts after the superstep in which every partition voted to halt and no message was sent, at
/// `--max-supersteps`, or when master compute sets `halt`. Checkpoints (`--checkpoint-every`) save each
/// partition's `State` (through its `WireCodable` encoding) and the messages in flight; when a worker dies,
/// every partition rolls back to the newest intact checkpoint and the run ends as a failure-free one would.
///
/// `State` should be a value type: the framework keeps the last committed state and runs `compute` on a
/// copy, so a failed attempt can be retried. Every closure must be deterministic given its inputs (for
/// recovery to reproduce a run).
public struct BSPJob<State: WireCodable & Sendable, Message: WireCodable & Sendable>: Sendable {
    /// A load function as one load task runs it: called once per input line, in input order.
    public typealias Load = (TextRecord, BSPLoader<Message>) throws -> Void
    /// Builds the state of partition `partition` (0..<`partitionCount`) from the messages loaders sent it.
    public typealias MakeState = (_ partition: Int, _ partitionCount: Int, _ messages: BSPMessages<Message>) throws -> State
    /// One superstep of one partition: the partition's state, the messages sent to it in the previous superstep
    /// (by sending partition, then in send order), and the context to send, aggregate and vote to halt.
    public typealias Compute = (inout State, BSPMessages<Message>, BSPContext<Message>) throws -> Void
    /// Writes a partition's result lines.
    public typealias Output = (State, BSPOutput) throws -> Void

    /// The name `spindle run NAME` uses: lower case letters, digits and dashes, unique in the executable.
    public var name: String
    /// One line for `spindle jobs`.
    public var summary: String
    /// The `--param` parameters the job declares, validated before any worker starts.
    public var parameters: [JobParameter]
    /// Input used without `--input`; nil makes `--input` required.
    public var defaultInput: (@Sendable () throws -> [String])?
    /// Builds the load function of one load task (called once per task, so it may keep state).
    public var makeLoad: @Sendable (JobParameters) throws -> Load
    /// Builds the function that makes each partition's initial state (once per prepare task).
    public var makeState: @Sendable (JobParameters) throws -> MakeState
    /// Builds the compute function of one superstep task of one partition.
    public var makeCompute: @Sendable (JobParameters) throws -> Compute
    /// Builds the function that writes a partition's part file (once per output task).
    public var makeOutput: @Sendable (JobParameters) throws -> Output
    /// The aggregators partitions may contribute to; an undeclared name fails the task with a sentence naming it.
    public var aggregators: [Aggregator]
    /// Runs on the coordinator after every superstep; may halt the job or set global values. In a BSP job
    /// ``MasterContext/totalVertices`` is the partition count and ``MasterContext/activeVertices`` the number
    /// of partitions that did not vote to halt.
    public var makeMasterCompute: (@Sendable (JobParameters) -> @Sendable (inout MasterContext) -> Void)?

    /// A job whose closures are built per task from the validated parameters.
    public init(
        name: String, summary: String, parameters: [JobParameter] = [], defaultInput: (@Sendable () throws -> [String])? = nil,
        makeLoad: @escaping @Sendable (JobParameters) throws -> Load,
        makeState: @escaping @Sendable (JobParameters) throws -> MakeState,
        makeCompute: @escaping @Sendable (JobParameters) throws -> Compute,
        makeOutput: @escaping @Sendable (JobParameters) throws -> Output,
        aggregators: [Aggregator] = [],
        makeMasterCompute: (@Sendable (JobParameters) -> @Sendable (inout MasterContext) -> Void)? = nil
    ) {
        self.name = name
        self.summary = summary
        self.parameters = parameters
        self.defaultInput = defaultInput
        self.makeLoad = makeLoad
        self.makeState = makeState
        self.makeCompute = makeCompute
        self.makeOutput = makeOutput
        self.aggregators = aggregators
        self.makeMasterCompute = makeMasterCompute
    }

    /// A job whose closures need no parameters.
    public init(
        name: String, summary: String, parameters: [JobParameter] = [], defaultInput: (@Sendable () throws -> [String])? = nil,
        load: @escaping @Sendable (TextRecord, BSPLoader<Message>) throws -> Void,
        makeState: @escaping @Sendable (_ partition: Int, _ partitionCount: Int, _ messages: BSPMessages<Message>) throws -> State,
        compute: @escaping @Sendable (inout State, BSPMessages<Message>, BSPContext<Message>) throws -> Void,
        output: @escaping @Sendable (State, BSPOutput) throws -> Void,
        aggregators: [Aggregator] = [],
        masterCompute: (@Sendable (inout MasterContext) -> Void)? = nil
    ) {
        self.init(
            name: name, summary: summary, parameters: parameters, defaultInput: defaultInput,
            makeLoad: { _ in load }, makeState: { _ in makeState }, makeCompute: { _ in compute }, makeOutput: { _ in output },
            aggregators: aggregators, makeMasterCompute: masterCompute.map { master in { @Sendable _ in master } })
    }

    /// The job to register with ``Spindle/main(jobs:arguments:)``.
    public var job: Job {
        Job(name: name, summary: summary, parameters: parameters, defaultInput: defaultInput, engine: BSPEngine(definition: self))
    }
}
