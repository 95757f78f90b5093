import SpindleCore

/// A MapReduce job written as closures: map each input line to `(key, value)` records, optionally combine
/// values of equal keys on the map side, and reduce each key's values to output lines.
///
/// ```swift
/// let wordCount = MapReduceJob<String, Int>(
///     name: "my-wordcount", summary: "Counts words",
///     map: { record, output in
///         for word in record.text.split(separator: " ") { output.emit(String(word), 1) }
///     },
///     combine: { total, next in total += next },
///     reduce: { word, counts, output in try output.write(word, counts.reduce(0, +)) })
/// Spindle.main(jobs: [wordCount.job])
/// ```
///
/// Keys reach reduce in sorted order (of their shuffle bytes) within a partition, and each part file is
/// sorted by key. Without `reduce` the job is map-only: every emitted record is written as
/// `key<TAB>formatValue(value)` to the map task's own part file, in input order.
public struct MapReduceJob<Key: ShuffleKey, Value: WireCodable & Sendable>: Sendable {
    /// A map function as one task runs it. Built per task by ``makeMap``, so it may keep state of its own.
    public typealias Map = (TextRecord, MapOutput<Key, Value>) throws -> Void
    /// Folds a value into the running value of its key (`total += next`); see ``combine``.
    public typealias Combine = @Sendable (inout Value, Value) -> Void
    /// A reduce function as one task runs it. Built per task by ``makeReduce``, so it may keep state of its own.
    public typealias Reduce = (Key, ReduceValues<Value>, ReduceOutput<Key>) throws -> Void

    /// The name `spindle run NAME` uses: lower case letters, digits and dashes, unique in the executable.
    public var name: String
    /// One line for `spindle jobs`.
    public var summary: String
    /// The `--param` parameters the job declares, validated before any worker starts.
    public var parameters: [JobParameter]
    /// Input used without `--input` (for example a sample corpus); nil makes `--input` required.
    public var defaultInput: (@Sendable () throws -> [String])?
    /// Builds the map function of one task from the job's parameters (called once per task).
    public var makeMap: @Sendable (JobParameters) throws -> Map
    /// Associative and commutative: applied to values of equal keys in any grouping, any number of times.
    public var combine: Combine?
    /// Builds the reduce function of one task; nil makes the job map-only.
    public var makeReduce: (@Sendable (JobParameters) throws -> Reduce)?
    /// Which reduce partition (part file) each key goes to; `.hash` by default.
    public var partitioning: Partitioning<Key>
    /// Whether records carry their 1-based line number (costs a fast line-counting pass first). Without it,
    /// reading ``TextRecord/lineNumber`` fails the task.
    public var lineNumbers: Bool
    /// Formats values of a map-only job's output (by default their `description`).
    public var formatValue: @Sendable (Value) -> String

    /// A job whose closures need no parameters. Leave out `reduce` for a map-only job.
    public init(
        name: String, summary: String, parameters: [JobParameter] = [], defaultInput: (@Sendable () throws -> [String])? = nil,
        lineNumbers: Bool = false, partitioning: Partitioning<Key> = .hash,
        map: @escaping @Sendable (TextRecord, MapOutput<Key, Value>) throws -> Void, combine: Combine? = nil,
        reduce: (@Sendable (Key, ReduceValues<Value>, ReduceOutput<Key>) throws -> Void)? = nil, formatValue: @escaping @Sendable (Value) -> String = { "\($0)" }
    ) {
        self.init(
            name: name, summary: summary, parameters: parameters, defaultInput: defaultInput, lineNumbers: lineNumbers,
            partitioning: partitioning, makeMap: { _ in map }, combine: combine, makeReduce: reduce.map { r in { @Sendable _ in r } },
            formatValue: formatValue)
    }

    /// A job whose map and reduce functions are built per task from the validated parameters, so that
    /// parameters are read once and not per record. Leave out `makeReduce` for a map-only job.
    public init(
        name: String, summary: String, parameters: [JobParameter] = [], defaultInput: (@Sendable () throws -> [String])? = nil,
        lineNumbers: Bool = false, partitioning: Partitioning<Key> = .hash,
        makeMap: @escaping @Sendable (JobParameters) throws -> Map, combine: Combine? = nil,
        makeReduce: (@Sendable (JobParameters) throws -> Reduce)? = nil, formatValue: @escaping @Sendable (Value) -> String = { "\($0)" }
    ) {
        self.name = name
        self.summary = summary
        self.parameters = parameters
        self.defaultInput = defaultInput
        self.lineNumbers = lineNumbers
        self.partitioning = partitioning
        self.makeMap = makeMap
        self.combine = combine
        self.makeReduce = makeReduce
        self.formatValue = formatValue
    }

    /// The job to register with ``Spindle/main(jobs:arguments:)``.
    public var job: Job {
        Job(name: name, summary: summary, parameters: parameters, defaultInput: defaultInput, engine: MapReduceEngine(definition: self))
    }
}
