import SpindleCore

/// What a ``WorkerFleet`` saw: joins, tasks, heartbeats and errors. Times are ``MonotonicClock`` nanoseconds.
package struct FleetReport: Sendable {
    /// Workers that registered.
    package var joined = 0
    /// Connections tried again after the coordinator refused or dropped them before registration.
    package var retries = 0
    /// Workers the coordinator shut down at the end of the job.
    package var shutdowns = 0
    /// Tasks finished (each assignment is finished as it arrives).
    package var tasks = 0
    /// Tasks each worker finished, one entry per worker that ended.
    package var tasksPerWorker: [Int] = []
    /// Why workers ended otherwise than by a shutdown of a successful job, one sentence each.
    package var errors: [String] = []
    package var started: UInt64 = 0
    package var lastJoined: UInt64 = 0
    package var firstTask: UInt64 = 0
    package var lastTask: UInt64 = 0
    package var finished: UInt64 = 0
    /// Silences between two heartbeats of the coordinator, as workers saw them (its loop's lateness).
    package var coordinatorBeatGaps = DurationHistogram()
    /// How late the fleet sent its own heartbeats against their schedule (its own loops' lateness).
    package var heartbeatLateness = DurationHistogram()

    package init() {}

    /// Seconds from the start until the last worker registered.
    package var joinSeconds: Double { lastJoined > started ? Double(lastJoined - started) / 1e9 : 0 }
    /// Tasks per second from the first task to the last.
    package var tasksPerSecond: Double { lastTask > firstTask ? Double(tasks) / (Double(lastTask - firstTask) / 1e9) : 0 }

    /// Both reports together (loops of one fleet).
    func merged(with other: FleetReport) -> FleetReport {
        var m = self
        m.joined += other.joined
        m.retries += other.retries
        m.shutdowns += other.shutdowns
        m.tasks += other.tasks
        m.tasksPerWorker += other.tasksPerWorker
        m.errors += other.errors
        m.started = [started, other.started].filter { $0 > 0 }.min() ?? 0
        m.lastJoined = max(lastJoined, other.lastJoined)
        m.firstTask = [firstTask, other.firstTask].filter { $0 > 0 }.min() ?? 0
        m.lastTask = max(lastTask, other.lastTask)
        m.finished = max(finished, other.finished)
        m.coordinatorBeatGaps.merge(other.coordinatorBeatGaps)
        m.heartbeatLateness.merge(other.heartbeatLateness)
        return m
    }
}
