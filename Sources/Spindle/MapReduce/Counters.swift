import SpindleCore

/// Named counters of one task attempt: the framework's own and those the job's closures increment.
/// The coordinator sums them over committed attempts only and reports them in `_SUCCESS`.
public final class Counters {
    @usableFromInline var values: [String: Int] = [:]

    init() {}

    /// Adds `amount` to counter `name`. Counting per record is fine; the lookup is a small dictionary.
    @inlinable public func increment(_ name: String, by amount: Int = 1) { values[name, default: 0] += amount }

    /// The current value of counter `name`.
    public subscript(name: String) -> Int { values[name] ?? 0 }

    var pairs: [Pair<String, Int>] { values.sorted { $0.key < $1.key }.map { Pair($0.key, $0.value) } }
}

/// Framework counter names.
enum CounterName {
    static let mapInputRecords = "map.input.records"
    static let mapInputBytes = "map.input.bytes"
    static let mapOutputRecords = "map.output.records"
    static let spilledRecords = "map.spilled.records"
    static let spills = "map.spills"
    static let skippedRecords = "input.skipped.records"
    static let shuffleBytes = "shuffle.bytes"
    static let reduceInputGroups = "reduce.input.groups"
    static let reduceInputRecords = "reduce.input.records"
    static let outputRecords = "output.records"
    static let outputBytes = "output.bytes"
}
