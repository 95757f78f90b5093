import SpindleCore

/// Everything the UI shows about one job, built from its events alone (``apply(_:)``), so that the live
/// pages (fed as the coordinator records) and a report (fed from an event log file) are the same.
///
/// Pure: no clock, no I/O. Events it does not know are ignored; a field missing from a known event
/// leaves the value it feeds unknown rather than failing.
struct JobModel: Sendable {
    enum State: String, Sendable { case starting, running, succeeded, failed, stopped }

    struct Stage: Sendable {
        var index: Int
        var name: String
        var tasks: Int
        var addedAt: Double
        var completedAt: Double?
        var seconds: Double?
        var abandoned = false
    }

    enum Outcome: String, Sendable { case running, committed, failed, cancelled, rejected, lost }

    struct Attempt: Sendable {
        var id: Int
        var stage: Int
        var index: Int
        var task: String
        var worker: Int
        var speculative: Bool
        var start: Double
        var end: Double?
        var outcome: Outcome = .running
        var recordsIn = 0, bytesIn = 0, recordsOut = 0, bytesOut = 0
        /// Runs its output buffer spilled to disk (0 in logs written before spill counts were reported).
        var spills = 0
        var cause: String?
    }

    struct Worker: Sendable {
        var id: Int
        var pid: Int
        var host: String
        var peer: String
        var joinedAt: Double
        var lostAt: Double?
        var cause: String?
        var lastSeen: Double
        var peakResident = 0
    }

    struct Superstep: Sendable {
        var superstep: Int
        var t: Double
        var seconds: Double
        var active: Int
        var messages: Int
        var epoch: Int
        var aggregates: [(String, Double)]
    }

    /// A moment worth marking on the timeline: a lost worker, a rollback, a checkpoint, a stop.
    struct Marker: Sendable {
        var t: Double
        var kind: String
        var text: String
        var worker: Int?
    }

    var job = ""
    var listen = ""
    var parameters: [(String, String)] = []
    var inputs: [(path: String, bytes: Int)] = []
    var expectedWorkers: Int?
    var state = State.starting
    var error: String?
    var startedAt: Double?
    var endedAt: Double?
    /// The time of the newest event.
    var lastEventAt: Double = 0
    var counters: [(String, Int)] = []
    var stages: [Stage] = []
    var attempts: [Attempt] = []
    var workers: [Worker] = []
    var supersteps: [Superstep] = []
    var markers: [Marker] = []
    var rollbacks: [Rollback] = []
    /// The superstep and time of each committed checkpoint.
    var checkpoints: [(superstep: Int, t: Double)] = []
    /// Seconds since the coordinator last heard from each live worker (set on live snapshots only; a report
    /// has no heartbeats and shows when each worker was last seen instead).
    var heartbeatAges: [Int: Double] = [:]
    /// Position of each attempt id in ``attempts``.
    private var attemptIndex: [Int: Int] = [:]
    private var workerIndex: [Int: Int] = [:]
    private var lastSuperstepAt: Double?

    /// Feeds one event.
    mutating func apply(_ e: JobEvent) {
        lastEventAt = max(lastEventAt, e.t)
        switch e.name {
        case "job_started":
            job = e.string("job") ?? job
            listen = e.string("listen") ?? ""
            if case .object(let pairs) = e.fields["parameters"] {
                parameters = pairs.map { ($0.0, { if case .string(let s) = $0 { s } else { $0.serialized() } }($0.1)) }
            }
            if case .array(let items) = e.fields["inputs"] {
                inputs = items.compactMap { item in
                    guard case .object(let fields) = item else { return nil }
                    let f = JobEvent(t: 0, name: "", fields: fields)
                    return f.string("path").map { ($0, f.int("bytes") ?? 0) }
                }
            }
            expectedWorkers = e.int("workers")
            startedAt = e.t
        case "worker_joined":
            guard let id = e.int("worker") else { return }
            workerIndex[id] = workers.count
            workers.append(
                Worker(id: id, pid: e.int("pid") ?? 0, host: e.string("host") ?? "", peer: e.string("peer") ?? "", joinedAt: e.t, lastSeen: e.t))
        case "worker_lost":
            guard let id = e.int("worker") else { return }
            updateWorker(id) {
                $0.lostAt = e.t
                $0.cause = e.string("cause")
            }
            for i in attempts.indices where attempts[i].worker == id && attempts[i].outcome == .running {
                attempts[i].outcome = .lost
                attempts[i].end = e.t
                attempts[i].cause = "the worker was lost"
            }
            markers.append(Marker(t: e.t, kind: "worker_lost", text: "worker \(id) lost: \(e.string("cause") ?? "")", worker: id))
        case "stage_added":
            if state == .starting { state = .running }
            stages.append(Stage(index: stages.count, name: e.string("stage") ?? "stage \(stages.count)", tasks: e.int("tasks") ?? 0, addedAt: e.t))
        case "stage_completed":
            guard let i = stages.lastIndex(where: { $0.name == e.string("stage") && $0.completedAt == nil }) else { return }
            stages[i].completedAt = e.t
            stages[i].seconds = e.double("seconds")
        case "stage_abandoned":
            guard let i = stages.lastIndex(where: { $0.name == e.string("stage") && $0.completedAt == nil }) else { return }
            stages[i].abandoned = true
            stages[i].completedAt = e.t
        case "attempt_started":
            guard let id = e.int("attempt"), let stage = e.int("stage"), let worker = e.int("worker") else { return }
            if state == .starting { state = .running }
            attemptIndex[id] = attempts.count
            attempts.append(
                Attempt(
                    id: id, stage: stage, index: e.int("index") ?? 0, task: e.string("task") ?? "", worker: worker,
                    speculative: e.bool("speculative") ?? false, start: e.t))
            updateWorker(worker) { $0.lastSeen = e.t }
        case "attempt_committed":
            guard let id = e.int("attempt") else { return }
            finish(id, .committed, at: e.t) {
                $0.recordsIn = e.int("records_in") ?? 0
                $0.bytesIn = e.int("bytes_in") ?? 0
                $0.recordsOut = e.int("records_out") ?? 0
                $0.bytesOut = e.int("bytes_out") ?? 0
                $0.spills = e.int("spills") ?? 0
            }
            if let worker = e.int("worker") {
                updateWorker(worker) {
                    $0.lastSeen = e.t
                    $0.peakResident = max($0.peakResident, e.int("peak_resident") ?? 0)
                }
            }
        case "attempt_failed":
            guard let id = e.int("attempt") else { return }
            finish(id, .failed, at: e.t) { $0.cause = e.string("cause") }
            if let worker = e.int("worker") { updateWorker(worker) { $0.lastSeen = e.t } }
        case "attempt_cancelled":
            guard let id = e.int("attempt") else { return }
            finish(id, .cancelled, at: e.t) { $0.cause = "cancelled: another attempt of the task committed" }
        case "attempt_rejected":
            guard let id = e.int("attempt") else { return }
            finish(id, .rejected, at: e.t) { $0.cause = e.string("reason") }
        case "counters":
            counters = e.fields.keys.sorted().compactMap { key in e.int(key).map { (key, $0) } }
        case "superstep":
            guard let s = e.int("superstep") else { return }
            let since = lastSuperstepAt ?? stages.last(where: { $0.name.hasPrefix("superstep") || $0.name.hasPrefix("prepare") })?.addedAt ?? e.t
            let aggregates = e.fields.keys.filter { $0.hasPrefix("aggregate.") }.sorted()
                .compactMap { key in e.double(key).map { (String(key.dropFirst("aggregate.".count)), $0) } }
            supersteps.append(
                Superstep(
                    superstep: s, t: e.t, seconds: max(0, e.t - since), active: e.int("active") ?? 0, messages: e.int("messages") ?? 0,
                    epoch: e.int("epoch") ?? 0, aggregates: aggregates))
            lastSuperstepAt = e.t
            for i in rollbacks.indices where rollbacks[i].recoveredAt == nil && rollbacks[i].epoch == e.int("epoch") && s >= rollbacks[i].reached {
                rollbacks[i].recoveredAt = e.t
            }
        case "checkpoint":
            checkpoints.append((e.int("superstep") ?? -1, e.t))
            markers.append(Marker(t: e.t, kind: "checkpoint", text: "checkpoint of superstep \(e.int("superstep") ?? -1)"))
        case "checkpoint_corrupt":
            markers.append(
                Marker(t: e.t, kind: "checkpoint_corrupt", text: "checkpoint \(e.int("superstep") ?? -1) damaged: \(e.string("cause") ?? "")"))
        case "rollback":
            let to = e.int("to_superstep") ?? -1
            let target = to < 0 ? "superstep 0 (no checkpoint)" : "the checkpoint of superstep \(to)"
            markers.append(Marker(t: e.t, kind: "rollback", text: "rollback to \(target), epoch \(e.int("epoch") ?? 0)", worker: e.int("lost")))
            lastSuperstepAt = e.t
            rollbacks.append(rollback(at: e.t, to: to, epoch: e.int("epoch") ?? 0, lost: e.int("lost")))
        case "stopped":
            markers.append(Marker(t: e.t, kind: "stopped", text: "stopped by \(e.string("by") ?? "?") after superstep \(e.int("superstep") ?? -1)"))
        case "workers_replaced":
            markers.append(Marker(t: e.t, kind: "workers_replaced", text: "\(e.int("count") ?? 0) worker(s) replaced: \(e.string("cause") ?? "")"))
        case "job_failed":
            let message = e.string("error") ?? "the job failed"
            state = message.contains("was stopped by") ? .stopped : .failed
            error = message
            endedAt = e.t
            closeRunning(at: e.t)
        case "job_succeeded":
            state = .succeeded
            endedAt = e.t
            closeRunning(at: e.t)
        default:
            break
        }
    }

    private mutating func updateWorker(_ id: Int, _ change: (inout Worker) -> Void) {
        guard let i = workerIndex[id] else { return }
        change(&workers[i])
    }

    private mutating func finish(_ id: Int, _ outcome: Outcome, at t: Double, _ change: (inout Attempt) -> Void = { _ in }) {
        guard let i = attemptIndex[id] else { return }
        // A cancel or a reject may follow a loss or a failure; the first ending stands, a commit always wins.
        guard attempts[i].outcome == .running || outcome == .committed else { return }
        attempts[i].outcome = outcome
        attempts[i].end = attempts[i].end ?? t
        change(&attempts[i])
    }

    /// At the end of the job, attempts still open were stopped with it.
    private mutating func closeRunning(at t: Double) {
        for i in attempts.indices where attempts[i].outcome == .running {
            attempts[i].outcome = .cancelled
            attempts[i].end = t
            attempts[i].cause = "the job ended"
        }
    }
}
