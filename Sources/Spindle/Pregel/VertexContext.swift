import SpindleCore

/// What a Pregel `compute` call sees and does for one vertex in one superstep: the vertex's id and mutable
/// value, its out-edges, the superstep, the graph's size, and the ways to send messages, vote to halt and
/// aggregate. One context object is reused for every vertex of a partition (no per-vertex objects).
public final class VertexContext<VertexValue, EdgeValue, Message: WireCodable & Sendable> {
    // The public properties are computed over unchecked storage: a compute closure lives in another module,
    // where a stored class property would cost a dynamic exclusivity check per access.
    // The hot accessors are inlinable, so a compute closure in another module reads them without calls.
    @exclusivity(unchecked) @usableFromInline var storedID: Int64 = 0
    @exclusivity(unchecked) @usableFromInline var storedValue: VertexValue
    @exclusivity(unchecked) @usableFromInline var storedSuperstep = 0
    @exclusivity(unchecked) @usableFromInline var storedTotalVertices = 0
    @exclusivity(unchecked) @usableFromInline var storedOutDegree = 0

    /// The vertex id (as in the input).
    @inlinable public var id: Int64 { storedID }
    /// The vertex's value; assign to change it.
    @inlinable public var value: VertexValue {
        get { storedValue }
        set { storedValue = newValue }
    }
    /// The current superstep, from 0.
    @inlinable public var superstep: Int { storedSuperstep }
    /// Vertices in the whole graph.
    @inlinable public var totalVertices: Int { storedTotalVertices }
    /// Number of out-edges.
    @inlinable public var outDegree: Int { storedOutDegree }
    let partition: GraphPartition<EdgeValue>
    @exclusivity(unchecked) @usableFromInline var local = 0
    @exclusivity(unchecked) @usableFromInline var halted = false
    /// This partition's partial folds, one per aggregator (what `aggregate` adds to).
    @usableFromInline let partials: UnsafeMutablePointer<Double>
    /// The folds of the previous superstep.
    @usableFromInline let previousAggregates: [Double]
    var globals: [String: Double]
    /// The aggregators' names, searched linearly: a handful of short strings compare faster than they hash.
    @usableFromInline let aggregatorNames: [String]
    /// The two words of each name's `String` value (see ``aggregatorIndex(_:)``).
    @usableFromInline let aggregatorNameWords: [StringWords]
    let aggregators: [Aggregator]
    /// The aggregators' built-in folds as codes an inlined `aggregate` switches on (see ``foldCode(_:)``).
    @usableFromInline let foldCodes: [UInt8]
    let outbox: MessageOutbox<Message>
    /// Dense slots for sends along edges (jobs with a combiner), with each edge's slot.
    @exclusivity(unchecked) @usableFromInline var dense: CombinedSlots<Message>?
    @exclusivity(unchecked) @usableFromInline var edgeSlots: [Int32] = []
    /// Broadcasts (sends to all neighbours) of this superstep, one slot per local vertex, delivered to the
    /// edge slots after the compute loop (jobs with a combiner).
    @exclusivity(unchecked) @usableFromInline var broadcasts: CombinedSlots<Message>?
    /// Out-edges covered by `broadcasts`, once per broadcast.
    @exclusivity(unchecked) @usableFromInline var broadcastEdges = 0
    /// Out-edges of the vertices that broadcast (each vertex counted once).
    @exclusivity(unchecked) @usableFromInline var broadcastingEdges = 0

    /// The first use of an aggregator the job does not declare; the engine fails the task with it.
    private(set) var failure: TaskFailure?

    /// A context for the vertices of `partition`. Behind the declared aggregators sits one more slot, which an
    /// undeclared name resolves to (contributions land there, reads see NaN), so that `aggregate` and
    /// `aggregated` stay branch-free for the declared ones and an undeclared one fails the task, not the worker.
    init(
        initial: VertexValue, partition: GraphPartition<EdgeValue>, aggregators: [Aggregator], previous: AggregatorValues,
        globals: [String: Double], outbox: MessageOutbox<Message>
    ) {
        storedValue = initial
        self.partition = partition
        self.aggregators = aggregators
        partials = .allocate(capacity: aggregators.count + 1)
        partials.initialize(from: aggregators.map(\.identity) + [0], count: aggregators.count + 1)
        previousAggregates = previous.values + [.nan]
        self.globals = globals
        self.outbox = outbox
        aggregatorNames = aggregators.map(\.name)
        aggregatorNameWords = aggregatorNames.map { unsafeBitCast($0, to: StringWords.self) }
        foldCodes = aggregators.map { Self.foldCode($0.kind) } + [Self.foldCode(.sum)]
    }

    deinit { partials.deallocate() }

    /// The partial folds of this partition's contributions.
    var aggregates: AggregatorValues {
        AggregatorValues(values: Array(UnsafeBufferPointer(start: partials, count: aggregators.count)))
    }

    /// 0 sum, 1 min, 2 max, 3 count, 4 a custom fold.
    static func foldCode(_ kind: Aggregator.Kind) -> UInt8 {
        switch kind {
        case .sum: 0
        case .min: 1
        case .max: 2
        case .count: 3
        case .custom: 4
        }
    }

    /// The index of aggregator `name`. First by the two words a `String` value is made of: equal words are the
    /// same string, and a name written as a literal in the job (a short one is stored inside those words) has
    /// the words of the declared name, so the usual lookup is two comparisons per aggregator. Otherwise by
    /// content, skipping names of another length.
    @inlinable @inline(__always) func aggregatorIndex(_ name: String) -> Int {
        let words = unsafeBitCast(name, to: StringWords.self)
        for i in aggregatorNameWords.indices where aggregatorNameWords[i] == words { return i }
        return aggregatorIndexByContent(name)
    }

    /// The index of aggregator `name` by content; for a name the job does not declare, records the task's
    /// failure and returns the index of the slot behind the declared ones.
    @usableFromInline func aggregatorIndexByContent(_ name: String) -> Int {
        let length = name.utf8.count
        for i in aggregatorNames.indices where aggregatorNames[i].utf8.count == length && aggregatorNames[i] == name { return i }
        if failure == nil { failure = .unknownAggregator(named: name, declared: aggregators) }
        return aggregators.count
    }

    @usableFromInline func addCustom(_ amount: Double, to i: Int) {
        partials[i] = aggregators[i].add(amount, to: partials[i])
    }

    /// Number of out-edges.
    /// The vertex's out-edges in the partition's edge arrays (set with `local`).
    @exclusivity(unchecked) @usableFromInline var edgeStart = 0

    /// The target of out-edge `i` (0..<outDegree).
    public func edgeTarget(_ i: Int) -> Int64 { partition.edgeTarget(local, i) }

    /// The value of out-edge `i` (its weight, from the input's third column).
    public func edgeValue(_ i: Int) -> EdgeValue { partition.edgeValue(local, i) }

    /// Sends `message` to vertex `target`, delivered in the next superstep (combined on the way if the job
    /// has a combiner). Sending to a vertex that does not exist is an error of the job.
    public func send(to target: Int64, _ message: Message) { outbox.send(to: target, message) }

    /// Sends `message` along every out-edge.
    @inlinable @inline(__always) public func sendToAllNeighbors(_ message: Message) {
        let (start, end) = edgeRange
        if let broadcasts {
            guard start < end else { return }
            if !broadcasts.holds(local) { broadcastingEdges &+= end - start }
            broadcasts.add(slot: local, message)
            broadcastEdges &+= end - start
        } else if let dense {
            guard start < end else { return }
            edgeSlots.withUnsafeBufferPointer { slots in dense.add(slots: slots.baseAddress!, start, end, message) }
        } else {
            for e in start..<end { sendSlow(toEdge: e, message) }
        }
    }

    /// Sends `message` along out-edge `i` (0..<outDegree): the same as `send(to: edgeTarget(i), message)`,
    /// but with the target resolved in advance.
    public func send(alongEdge i: Int, _ message: Message) {
        let e = edgeRange.0 + i
        if let dense { dense.add(slot: Int(edgeSlots[e]), message) } else { sendSlow(toEdge: e, message) }
    }

    @usableFromInline var edgeRange: (Int, Int) { (edgeStart, edgeStart + storedOutDegree) }

    @usableFromInline func sendSlow(toEdge e: Int, _ message: Message) { outbox.send(to: partition.target(ofEdge: e), message) }

    /// Deactivates the vertex; an incoming message reactivates it.
    @inlinable public func voteToHalt() { halted = true }

    /// Contributes `amount` to aggregator `name` (for a count aggregator, contributes 1). A name the job does
    /// not declare fails the task.
    @inlinable @inline(__always) public func aggregate(_ name: String, _ amount: Double) {
        let i = aggregatorIndex(name)
        let partial = partials[i]
        switch foldCodes[i] {
        case 0: partials[i] = partial + amount
        case 1: partials[i] = Swift.min(partial, amount)
        case 2: partials[i] = Swift.max(partial, amount)
        case 3: partials[i] = partial + 1
        default: addCustom(amount, to: i)
        }
    }

    /// The value of aggregator `name` folded over the previous superstep (its identity in superstep 0). A name
    /// the job does not declare reads NaN and fails the task.
    @inlinable @inline(__always) public func aggregated(_ name: String) -> Double {
        previousAggregates[aggregatorIndex(name)]
    }

    /// A global value set by master compute (nil if never set).
    public func global(_ name: String) -> Double? { globals[name] }
}

/// The two machine words of a `String` value, compared to recognise the same string cheaply.
@usableFromInline struct StringWords: Equatable {
    @usableFromInline var first: UInt64
    @usableFromInline var second: UInt64
}
