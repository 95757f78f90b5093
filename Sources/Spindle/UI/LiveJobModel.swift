import SpindleCore
import SpindlePosix
import Synchronization

/// The model of the running job, shared between the coordinator's thread (which feeds it every event as
/// the event log records it) and the UI server's thread (which reads snapshots of it).
///
/// The lock is held only to apply one event or to copy the model (copy-on-write: O(1) until the next
/// event), never while rendering, so the coordinator never waits on the server for long.
final class LiveJobModel: Sendable {
    private struct State {
        var model = JobModel()
        /// The `t` of the newest event and the monotonic clock when it arrived, to tell "now" in `t` units.
        var lastT = 0.0
        var lastAt: UInt64 = MonotonicClock.nanoseconds()
    }
    private let state = Mutex(State())

    init() {}

    /// Feeds one event; suitable as an ``EventLog/Observer``.
    func observe(_ t: Double, _ name: String, _ fields: [(String, JSONValue)]) {
        let event = JobEvent(t: t, name: name, fields: fields)
        let arrived = MonotonicClock.nanoseconds()
        state.withLock { state in
            state.model.apply(event)
            if t >= state.lastT {
                state.lastT = t
                state.lastAt = arrived
            }
        }
    }

    /// A copy of the model and the current time in the events' clock.
    func snapshot() -> (model: JobModel, now: Double) {
        let (model, lastT, lastAt) = state.withLock { ($0.model, $0.lastT, $0.lastAt) }
        let running = model.endedAt == nil
        let now = running ? lastT + Double(MonotonicClock.nanoseconds() - lastAt) / 1e9 : lastT
        return (model, (now * 1000).rounded() / 1000)
    }
}
