import SpindleCore

extension SuperstepVocabulary {
    /// The counters of a ``BSPJob`` run (each partition is one member; records are input records).
    static let bsp = SuperstepVocabulary(
        members: "partitions",
        counters: [
            (.records, "input.records"), (.skippedRecords, "input.skipped.records"), (.partitions, "bsp.partitions"),
            (.supersteps, "bsp.supersteps"), (.rollbacks, "bsp.rollbacks"), (.messages, "bsp.messages"),
            (.checkpoints, "bsp.checkpoints"),
        ])
}
