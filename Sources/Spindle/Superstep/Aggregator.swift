/// A global value folded over every contribution of a superstep (by vertices in a ``PregelJob``, by
/// partitions in a ``BSPJob``); the result is visible to every vertex or partition in the next superstep and
/// to master compute. Values are `Double`s; the fold must be associative and commutative.
public struct Aggregator: Sendable {
    /// The name vertices and partitions aggregate under and read back with `aggregated(_:)`; unique within a job.
    public var name: String
    /// The value of an aggregator nobody contributed to.
    public var identity: Double
    /// Folds a contribution, or another partial fold, into a partial fold.
    public var fold: @Sendable (Double, Double) -> Double {
        didSet { kind = .custom }
    }
    /// What a contribution of `amount` adds (the amount itself, or 1 for a count).
    var contribution: @Sendable (Double) -> Double = { $0 }
    /// The built-in folds run as plain arithmetic, without closure calls.
    enum Kind: Sendable {
        case sum, min, max, count, custom

        /// A contribution of `amount` folded into `partial` by a built-in kind; nil for `.custom`.
        @inline(__always) func add(_ amount: Double, to partial: Double) -> Double? {
            switch self {
            case .sum: partial + amount
            case .min: Swift.min(partial, amount)
            case .max: Swift.max(partial, amount)
            case .count: partial + 1
            case .custom: nil
            }
        }
    }
    private(set) var kind = Kind.custom

    /// A custom aggregator: contributions and partial folds are combined with `fold`, starting from `identity`.
    /// - Parameters:
    ///   - name: the name to aggregate under.
    ///   - identity: the value of a fold of no contributions (`fold(identity, x) == x`).
    ///   - fold: associative and commutative; it runs on workers and on the coordinator in any grouping.
    public init(_ name: String, identity: Double, fold: @escaping @Sendable (Double, Double) -> Double) {
        self.name = name
        self.identity = identity
        self.fold = fold
    }

    /// Folds a contribution of `amount` into the partial fold `partial`.
    @inline(__always) func add(_ amount: Double, to partial: Double) -> Double {
        kind.add(amount, to: partial) ?? fold(partial, contribution(amount))
    }

    private init(_ name: String, identity: Double, kind: Kind, fold: @escaping @Sendable (Double, Double) -> Double) {
        self.init(name, identity: identity, fold: fold)
        self.kind = kind
    }

    /// Sum of the contributions.
    public static func sum(_ name: String) -> Aggregator { Aggregator(name, identity: 0, kind: .sum, fold: +) }
    /// Smallest contribution (`+infinity` when none).
    public static func min(_ name: String) -> Aggregator { Aggregator(name, identity: .infinity, kind: .min, fold: { Swift.min($0, $1) }) }
    /// Largest contribution (`-infinity` when none).
    public static func max(_ name: String) -> Aggregator { Aggregator(name, identity: -.infinity, kind: .max, fold: { Swift.max($0, $1) }) }
    /// Number of contributions (each contribution counts 1, whatever its value).
    public static func count(_ name: String) -> Aggregator {
        var count = Aggregator(name, identity: 0, kind: .count, fold: +)
        count.contribution = { _ in 1 }
        return count
    }
}

/// The aggregators' values: the partial fold of one partition, or the global fold of a superstep.
struct AggregatorValues: Sendable, Equatable {
    var values: [Double]

    init(_ aggregators: [Aggregator]) { values = aggregators.map(\.identity) }
    init(values: [Double]) { self.values = values }

    mutating func fold(_ other: AggregatorValues, with aggregators: [Aggregator]) {
        for i in values.indices { values[i] = aggregators[i].fold(values[i], other.values[i]) }
    }
}
