import SpindleCore

extension SuperstepVocabulary {
    /// The counters of a ``PregelJob`` run (members are vertices, records edges).
    static let pregel = SuperstepVocabulary(
        members: "vertices",
        counters: [
            (.members, "graph.vertices"), (.records, "graph.edges"), (.skippedRecords, "input.skipped.records"),
            (.supersteps, "pregel.supersteps"), (.rollbacks, "pregel.rollbacks"), (.messages, "pregel.messages"),
            (.checkpoints, "pregel.checkpoints"),
        ])
}
