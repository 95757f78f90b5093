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
        /// Each live worker's silence as the coordinator's heartbeat monitor saw it, and when.
        var silences: [Int: Double] = [:]
        var silencesAt: UInt64 = 0
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

    /// Replaces the heartbeat ages with the coordinator's latest view (workers it no longer watches drop out).
    func observeHeartbeats(_ silences: [(worker: Int, seconds: Double)]) {
        let at = MonotonicClock.nanoseconds()
        let ages = Dictionary(silences.map { ($0.worker, $0.seconds) }, uniquingKeysWith: max)
        state.withLock {
            $0.silences = ages
            $0.silencesAt = at
        }
    }

    /// A copy of the model (with the heartbeat ages while the job runs) and the current time in the events' clock.
    func snapshot() -> (model: JobModel, now: Double) {
        var (model, lastT, lastAt, silences, silencesAt) = state.withLock { ($0.model, $0.lastT, $0.lastAt, $0.silences, $0.silencesAt) }
        let clock = MonotonicClock.nanoseconds()
        let running = model.endedAt == nil
        let now = running ? lastT + Double(clock - lastAt) / 1e9 : lastT
        if running {
            let since = Double(clock - min(clock, silencesAt)) / 1e9
            model.heartbeatAges = silences.mapValues { $0 + since }
        }
        return (model, (now * 1000).rounded() / 1000)
    }
}
