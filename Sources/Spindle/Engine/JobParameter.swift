import SpindleCore

/// A parameter a job declares: `--param name=value` on the command line, typed and validated before
/// the job starts, listed with its default by `spindle jobs`.
public struct JobParameter: Sendable {
    /// The value types a parameter can have, each read back with the `JobParameters` getter of the same
    /// name (`parameters.int("k")`, `.double`, `.bool`, `.string`, `.size`, `.duration`).
    ///
    /// Numbers take an optional closed range: `.int(1...100)`, `.double(0...1)`; `.int` and `.double`
    /// alone accept any value of the type (any finite number for `.double`).
    public enum Kind: Sendable, Equatable {
        /// A decimal integer within the range, such as `4` or `-1`.
        case int(ClosedRange<Int>)
        /// A finite decimal number within the range, such as `0.85` or `1e-6`.
        case double(ClosedRange<Double>)
        /// `true` or `false`.
        case bool
        /// Any text, the empty text included.
        case string
        /// A byte size such as `4MiB`.
        case size
        /// A duration such as `500ms`.
        case duration

        /// Any integer.
        public static var int: Kind { .int(Int.min...Int.max) }
        /// Any finite number.
        public static var double: Kind { .double(-Double.greatestFiniteMagnitude...Double.greatestFiniteMagnitude) }

        var name: String {
            switch self {
            case .int: "integer"
            case .double: "number"
            case .bool: "true|false"
            case .string: "text"
            case .size: "size"
            case .duration: "duration"
            }
        }
    }

    /// The key of `--param name=value`.
    public var name: String
    /// The value's type, checked before the job starts.
    public var kind: Kind
    /// The default as it would be written on the command line; nil makes the parameter required.
    public var defaultValue: String?
    /// What the parameter does, shown by `spindle jobs`.
    public var help: String
    /// What the value must mean beyond its kind (nil: any value of the kind).
    public var condition: Condition?

    /// A parameter; `default` is written as on the command line (`"0.85"`, `"4MiB"`), nil makes it required;
    /// `condition` is checked before any worker starts.
    public init(_ name: String, _ kind: Kind, default defaultValue: String?, help: String, condition: Condition? = nil) {
        self.name = name
        self.kind = kind
        self.defaultValue = defaultValue
        self.help = help
        self.condition = condition
    }

    /// Checks that `text` is a valid value; returns an explanation when it is not.
    func problem(with text: String) -> String? {
        switch kind {
        case .int(let range):
            guard let v = Int(text) else { return "expects an integer, got '\(text)'" }
            return range.contains(v) ? nil : "must be within \(range.lowerBound)...\(range.upperBound), got \(v)"
        case .double(let range):
            guard let v = Double(text), v.isFinite else { return "expects a number, got '\(text)'" }
            return range.contains(v) ? nil : "must be within \(range.lowerBound)...\(range.upperBound), got \(text)"
        case .bool: return ["true", "false"].contains(text) ? nil : "expects true or false, got '\(text)'"
        case .string: return nil
        case .size: return ByteSize.parse(text) == nil ? "expects a size such as 4MiB, got '\(text)'" : nil
        case .duration: return DurationText.parse(text) == nil ? "expects a duration such as 500ms, got '\(text)'" : nil
        }
    }
}

/// The validated parameter values of one run: every declared parameter has a value (given or default).
public struct JobParameters: Sendable, Equatable {
    /// Name-value pairs in declaration order.
    public let pairs: [Pair<String, String>]

    /// Resolves given `name=value` pairs against the declaration.
    /// - Throws: ``UsageError`` for an unknown parameter, a bad value, or a missing required one.
    package static func resolve(_ declared: [JobParameter], given: [(key: String, value: String)], job: String) throws(UsageError) -> JobParameters {
        var values: [String: String] = [:]
        for (key, value) in given {
            guard let parameter = declared.first(where: { $0.name == key }) else {
                let known = declared.map(\.name).joined(separator: ", ")
                throw UsageError("job '\(job)' has no parameter '\(key)'" + (known.isEmpty ? " (it takes none)" : "; it takes: \(known)"))
            }
            if let earlier = values[key] {
                throw UsageError("parameter '\(key)' of job '\(job)' is given twice ('\(key)=\(earlier)' and '\(key)=\(value)'); give it once")
            }
            if let problem = parameter.problem(with: value) {
                throw UsageError("parameter '\(key)' of job '\(job)' \(problem)")
            }
            if let condition = parameter.condition, !condition.holds(value) {
                throw UsageError("parameter '\(key)' of job '\(job)' must be \(condition.description), got \(value)")
            }
            values[key] = value
        }
        var pairs: [Pair<String, String>] = []
        for parameter in declared {
            guard let value = values[parameter.name] ?? parameter.defaultValue else {
                throw UsageError("job '\(job)' needs --param \(parameter.name)=<\(parameter.kind.name)>: \(parameter.help)")
            }
            pairs.append(Pair(parameter.name, value))
        }
        return JobParameters(pairs: pairs)
    }

    init(pairs: [Pair<String, String>]) { self.pairs = pairs }

    /// The raw text of a parameter.
    public func string(_ name: String) -> String {
        guard let pair = pairs.first(where: { $0.first == name }) else {
            preconditionFailure("parameter '\(name)' is not declared by the job")
        }
        return pair.second
    }
    /// The value of an `.int` parameter. Like all these accessors, it traps for a name the job does not declare.
    public func int(_ name: String) -> Int { Int(string(name))! }
    /// The value of a `.double` parameter.
    public func double(_ name: String) -> Double { Double(string(name))! }
    /// The value of a `.bool` parameter.
    public func bool(_ name: String) -> Bool { string(name) == "true" }
    /// The value of a `.size` parameter, in bytes.
    public func size(_ name: String) -> Int { ByteSize.parse(string(name))! }
    /// The value of a `.duration` parameter.
    public func duration(_ name: String) -> Duration { DurationText.parse(string(name))! }
}
