import SpindleCore
import SpindlePosix

extension Coordinator: DriverControl {
    /// Carries out scheduler directives. `result` is the attempt result that produced them, if any.
    func apply(_ directives: [SchedulerDirective], result: AttemptResult? = nil) {
        // Assignments go out together, one write per worker (several when it holds more than one task).
        var assignments: [WorkerID: [Frame]] = [:]
        defer { send(assignments) }
        for directive in directives {
            guard failure == nil else { return }
            switch directive {
            case .assign(let attempt, let task, let worker, let speculative):
                guard workers[worker] != nil else { continue }
                attemptCount += 1
                if stageStarted[task.stage] == nil { stageStarted[task.stage] = MonotonicClock.now() }
                events.record(
                    "attempt_started",
                    [("attempt", .int(Int(attempt.rawValue))), ("task", .string(driver.describe(task))), ("stage", .int(task.stage)),
                     ("index", .int(task.index)), ("worker", .int(Int(worker.rawValue))), ("speculative", .bool(speculative))])
                let message = ControlMessage.assign(TaskAssignment(attempt: attempt, task: task, payload: driver.payload(for: task)))
                assignments[worker, default: []].append(message.frame())
            case .cancel(let attempt, let worker):
                events.record("attempt_cancelled", [("attempt", .int(Int(attempt.rawValue))), ("worker", .int(Int(worker.rawValue)))])
                try? workers[worker]?.connection.send(.cancel(attempt))
            case .commit(let attempt, let task, let worker):
                guard let result, result.attempt == attempt else { continue }
                events.record(
                    "attempt_committed",
                    [("attempt", .int(Int(attempt.rawValue))), ("task", .string(driver.describe(task))), ("worker", .int(Int(worker.rawValue))),
                     ("records_in", .int(result.statistics.recordsIn)), ("bytes_in", .int(result.statistics.bytesIn)),
                     ("records_out", .int(result.statistics.recordsOut)), ("bytes_out", .int(result.statistics.bytesOut)),
                     ("peak_resident", .int(result.statistics.peakResidentBytes)), ("spills", .int(result.statistics.spills))])
                do {
                    try driver.committed(task, attempt: attempt, worker: worker, result: result, control: self)
                } catch {
                    fail(.outputFailed, "committing \(driver.describe(task)) failed: \(error)")
                }
            case .reject(let attempt, let reason):
                events.record("attempt_rejected", [("attempt", .int(Int(attempt.rawValue))), ("reason", .string(reason))])
            case .outputLost(let task, let worker):
                events.record("output_lost", [("task", .string(driver.describe(task))), ("worker", .int(Int(worker.rawValue)))])
            case .stageCompleted(let stage):
                let seconds = MonotonicClock.now().duration(since: stageStarted[stage] ?? MonotonicClock.now()).seconds
                stageSeconds.append((stageNames[stage], seconds))
                events.record("stage_completed", [("stage", .string(stageNames[stage])), ("seconds", .double(seconds))])
                console.stageCompleted(stageNames[stage], tasks: scheduler.taskCount(stage: stage), seconds: seconds)
                do { try driver.stageCompleted(stage, control: self) } catch { fail(error) }
            case .jobFailed(let task, let attempts, let cause):
                fail(.taskFailed, "\(driver.describe(task)) failed \(attempts) times; last cause: \(cause)")
            case .inputRejected(_, let cause):
                fail(.badInput, cause)
            case .workerExcluded(let worker, let tasks):
                let names = tasks.map(driver.describe).joined(separator: ", ")
                events.record(
                    "worker_excluded",
                    [("worker", .int(Int(worker.rawValue))), ("failed_tasks", .array(tasks.map { .string(driver.describe($0)) }))])
                console.log("excluded \(worker) for the rest of the job: \(names) failed on it and succeeded on other workers")
                do { try driver.workerExcluded(worker, control: self) } catch { fail(error) }
            case .noHealthyWorker(_, let cause):
                fail(.taskFailed, cause)
            }
        }
    }

    /// Sends each worker its batch of assignments; a worker the sending fails for is lost.
    private func send(_ assignments: [WorkerID: [Frame]]) {
        for (worker, frames) in assignments.sorted(by: { $0.key < $1.key }) {
            guard let peer = workers[worker] else { continue }
            do { try peer.connection.send(frames) } catch { lose(worker, peer: peer, cause: "sending it a task failed: \(error)") }
        }
    }

    func addStage(taskCount: Int, locationBound: Bool, name: String, placement: [WorkerID]?) -> Int {
        let stage = scheduler.addStage(taskCount: taskCount, locationBound: locationBound, placement: placement)
        stageNames.append(name)
        stageStarted.append(nil)
        events.record("stage_added", [("stage", .string(name)), ("tasks", .int(taskCount))])
        return stage
    }

    func releaseStage(_ stage: Int) { scheduler.releaseStage(stage) }

    func restoreCommitted(_ task: TaskID, attempt: AttemptID, worker: WorkerID) {
        scheduler.restoreCommitted(task, attempt: attempt, worker: worker)
        events.record("task_restored", [("task", .string(driver.describe(task))), ("attempt", .int(Int(attempt.rawValue)))])
    }

    func abandonStage(_ stage: Int) {
        events.record("stage_abandoned", [("stage", .string(stageNames[stage]))])
        apply(scheduler.abandonStage(stage))
    }

    var liveWorkers: [WorkerID] { scheduler.liveWorkers }

    var healthyWorkers: [WorkerID] { scheduler.healthyWorkers }

    func storage(of worker: WorkerID) -> WorkerStorage? { workers[worker]?.storage }

    func releasePartitions(_ partitions: [Int], on worker: WorkerID) {
        // Best effort: a worker that cannot be told is lost soon anyway, and its process exits at the job's end.
        try? workers[worker]?.connection.send(.releasePartitions(partitions))
    }

    func finish() { finishRequested = true }

    /// The worker's exchange server: at the host it advertised (`--advertise`), else at the address the
    /// coordinator sees the worker connect from.
    func exchangeAddress(of worker: WorkerID) -> HostPort? {
        guard let peer = workers[worker], let info = peer.info else { return nil }
        if !info.advertisedHost.isEmpty { return HostPort(host: info.advertisedHost, port: info.exchangePort) }
        let host = HostPort.parse(peer.connection.peer)?.host ?? info.host
        return HostPort(host: host, port: info.exchangePort)
    }
}

package func formatSeconds(_ s: Double) -> String {
    s < 10 ? "\(Double(Int(s * 1000)) / 1000) s" : "\(Double(Int(s * 10)) / 10) s"
}
