extension TaskFailure {
    /// The failure of a task whose job used aggregator `name`, which it does not declare (`declared`).
    static func unknownAggregator(named name: String, declared: [Aggregator]) -> TaskFailure {
        TaskFailure(
            "the job used aggregator '\(name)', which it does not declare (\(declaredList(declared))); "
                + "add it to the job's aggregators or fix the name")
    }

    /// The failure of a task whose job used the aggregator at `index`, which it does not declare (`declared`).
    static func unknownAggregator(index: Int, declared: [Aggregator]) -> TaskFailure {
        TaskFailure(
            "the job used aggregator number \(index), but \(declaredList(declared)); "
                + "use an index in 0..<\(declared.count) or declare the aggregator")
    }

    private static func declaredList(_ declared: [Aggregator]) -> String {
        declared.isEmpty ? "it declares none" : "it declares " + declared.map { "'\($0.name)'" }.joined(separator: ", ")
    }
}
