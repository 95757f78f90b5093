import SpindleCore

/// What a rollback of a Pregel or BSP job cost: the work thrown away and the time until the replay was
/// back where the job had been.
extension JobModel {
    struct Rollback: Sendable {
        var t: Double
        /// The checkpoint's superstep restored; -1 when there was none (the job restarted from its input).
        var to: Int
        var epoch: Int
        /// The lost worker that caused it.
        var worker: Int?
        /// The highest superstep completed before the rollback (-1 for none).
        var reached: Int
        /// When the state restored had been reached: the checkpoint's time, or the start of the first
        /// superstep stage (`prepare`) when there was no checkpoint; nil when unknown.
        var restoredFrom: Double?
        /// When the replay completed superstep ``reached`` again; nil until it has.
        var recoveredAt: Double?
    }

    /// A rollback at `t` to the checkpoint of superstep `to`, measured against the events so far.
    func rollback(at t: Double, to: Int, epoch: Int, lost: Int?) -> Rollback {
        let reached = supersteps.filter { $0.epoch == epoch - 1 }.map(\.superstep).max() ?? -1
        let restoredFrom: Double?
        if to >= 0 {
            restoredFrom = checkpoints.last { $0.superstep == to && $0.t <= t }?.t
        } else {
            restoredFrom =
                stages.last { $0.name == "prepare" && $0.addedAt <= t }?.addedAt
                ?? stages.first { $0.name.hasPrefix("superstep") }?.addedAt
        }
        return Rollback(
            t: t, to: to, epoch: epoch, worker: lost, reached: reached, restoredFrom: restoredFrom, recoveredAt: reached <= to ? t : nil)
    }

    func rollbacksJSON() -> JSONValue {
        .array(
            rollbacks.map { r in
                .object([
                    ("t", .double(r.t)), ("to_superstep", .int(r.to)), ("epoch", .int(r.epoch)), ("worker", r.worker.map(JSONValue.int) ?? .null),
                    ("reached", .int(r.reached)), ("supersteps_replayed", .int(max(0, r.reached - r.to))),
                    ("work_lost_seconds", r.restoredFrom.map { .double(round3(max(0, r.t - $0))) } ?? .null),
                    ("recovery_seconds", r.recoveredAt.map { .double(round3(max(0, $0 - r.t))) } ?? .null),
                ])
            })
    }
}
