/// Decides a worker's ``WorkerStorage`` from what it observed (pure: the worker's shell does the `stat`s and
/// the read of the token file and passes their results in).
package enum StorageCheck {
    /// What the worker saw of one planned input.
    package enum InputObservation: Equatable, Sendable {
        /// `stat` gave this identity.
        case found(FileIdentity)
        /// `stat` failed (the file is not there, or cannot be reached).
        case missing
    }

    /// The decision for a worker.
    /// - Parameters:
    ///   - plan: what the coordinator recorded.
    ///   - inputs: one observation per `plan.inputs` entry, in order.
    ///   - token: the bytes of the token file read at `plan.tokenPath`, or nil when it could not be read.
    /// - Returns: `readsInputs` only when the plan does not force shipping and every input was found with its
    ///   recorded identity; `seesOutput` only when it does not force shipping and the token file held exactly
    ///   the coordinator's token (a local directory of the same name on another machine holds none, or another).
    package static func decide(plan: StoragePlan, inputs: [InputObservation], token: [UInt8]?) -> WorkerStorage {
        var readsInputs = !plan.shipInput && inputs.count == plan.inputs.count
        if readsInputs {
            for (planned, seen) in zip(plan.inputs, inputs) {
                guard case .found(let identity) = seen, identity.changes(since: planned.identity) == nil else {
                    readsInputs = false
                    break
                }
            }
        }
        let seesOutput = !plan.shipOutput && token != nil && !plan.token.isEmpty && token! == plan.token
        return WorkerStorage(readsInputs: readsInputs, seesOutput: seesOutput)
    }
}
