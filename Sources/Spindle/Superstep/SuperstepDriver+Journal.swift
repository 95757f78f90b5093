import SpindleCore

extension SuperstepDriver {
    /// What master compute after `superstep` decides in a run that resumes a journal holding that superstep's
    /// completion (``ResumePlan/masters``): the journaled aggregates and globals, so that the resumed run, and any
    /// confined recovery in it, sees exactly the values of the interrupted run (a master or aggregation that is not
    /// deterministic would otherwise give the supersteps computed again other values). `computed` decides whether
    /// to halt; a difference from the journal is reported (event `master_differs`). Without a journaled value,
    /// `computed` as it is.
    func journaled(_ computed: MasterResult, after superstep: Int) -> MasterResult {
        guard let recorded = setup.resume?.masters[superstep], recorded.aggregates.count == computed.aggregates.count else { return computed }
        let globals = Dictionary(recorded.globals.map { ($0.first, $0.second) }, uniquingKeysWith: { _, last in last })
        let same =
            recorded.aggregates.map(\.bitPattern) == computed.aggregates.map(\.bitPattern)
            && globals.mapValues(\.bitPattern) == computed.globals.mapValues(\.bitPattern)
        if !same {
            setup.events.record("master_differs", [("superstep", .int(superstep))])
            setup.console.log(
                "master compute after superstep \(superstep) gave other aggregates or globals than the interrupted run; "
                    + "the resumed run keeps the journaled ones (are compute and master compute deterministic?)")
        }
        return MasterResult(aggregates: recorded.aggregates, globals: globals, halt: computed.halt)
    }
}
