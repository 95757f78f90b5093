extension ResumePlan {
    /// The journaled map outputs that a worker rejoining the resumed coordinator still serves, by map index:
    /// those whose attempt the journal committed (a ``JournalRecord/taskCommitted(_:)`` of the same attempt after
    /// its ``JournalRecord/mapOutput(_:)``), served at the address the journal placed them at, with exactly the
    /// journaled partition sizes. Anything else the worker lists (outputs of attempts whose commit never reached
    /// the journal, of another job, from another address, with other sizes) is not reused: those maps run again.
    /// Pure: which of the returned outputs are taken (an index claimed twice) is the caller's choice.
    /// - Parameters:
    ///   - served: what the worker reported (checked with ``ServedOutput/problem(with:)`` first).
    ///   - address: where the rejoined worker's exchange server is reached now.
    package func reusableMapOutputs(served: [ServedOutput], at address: HostPort) -> [Int: MapOutputRecord] {
        guard plan.reducers > 0, !mapOutputs.isEmpty else { return [:] }
        var byAttempt: [AttemptID: MapOutputRecord] = [:]
        for (index, output) in mapOutputs where committedMaps[index]?.attempt == output.attempt {
            byAttempt[output.attempt] = output
        }
        var reusable: [Int: MapOutputRecord] = [:]
        for output in served {
            guard let journaled = byAttempt[output.attempt], journaled.sizes == output.sizes, journaled.host == address.host,
                journaled.port == address.port
            else { continue }
            reusable[journaled.index] = journaled
        }
        return reusable
    }
}
