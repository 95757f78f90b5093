extension JobParameter {
    /// What a parameter's value must mean beyond its kind, such as PageRank's damping factor lying strictly
    /// between 0 and 1. Checked before any worker starts; `spindle jobs` and `spindle run JOB --help` show
    /// its description.
    public struct Condition: Sendable {
        /// The rule in a few words, completing "must be ...", e.g. `between 0 and 1, both excluded`.
        public var description: String
        /// Whether the value's text (already a valid value of the parameter's kind) meets the rule.
        public var holds: @Sendable (String) -> Bool

        /// A condition described by `description` that `holds` checks.
        public init(_ description: String, holds: @escaping @Sendable (String) -> Bool) {
            self.description = description
            self.holds = holds
        }

        /// A number strictly between `lower` and `upper` (an open interval).
        public static func between(_ lower: Double, _ upper: Double) -> Condition {
            Condition("between \(format(lower)) and \(format(upper)), both excluded") { text in
                Double(text).map { $0 > lower && $0 < upper } ?? false
            }
        }

        /// A number of at least `lower`.
        public static func atLeast(_ lower: Double) -> Condition {
            Condition("at least \(format(lower))") { text in Double(text).map { $0 >= lower } ?? false }
        }

        /// `1` rather than `1.0` for integral bounds.
        private static func format(_ x: Double) -> String {
            x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : "\(x)"
        }
    }
}
