import SpindleCore
import SpindlePosix

extension Coordinator {
    /// Records what `worker` reported it shares of the job's files (event `worker_storage`).
    func storageChecked(_ storage: WorkerStorage, by worker: WorkerID, peer: Peer) {
        peer.storage = storage
        events.record(
            "worker_storage",
            [("worker", .int(Int(worker.rawValue))), ("reads_inputs", .bool(storage.readsInputs)), ("sees_output", .bool(storage.seesOutput))])
        tellDriverJoined(worker)
    }

    /// Lets a running job's driver use a worker that joined or reported its storage.
    func tellDriverJoined(_ worker: WorkerID) {
        guard started, failure == nil, !finishRequested else { return }
        do { try driver.workerJoined(worker, control: self) } catch { fail(error) }
    }

    /// Whether the job may start as far as storage goes: every worker reported it, or the driver does not need it.
    var storageReported: Bool {
        !driver.awaitsWorkerStorage || workers.values.allSatisfy { $0.storage != nil }
    }

    /// Loses the workers whose storage report the driver awaits and that did not send it within the handshake
    /// timeout of their registration (a bounded wait: the job starts without them).
    func loseWorkersWithoutStorageReport(now: Timestamp) {
        guard driver.awaitsWorkerStorage else { return }
        for (worker, peer) in workers where peer.storage == nil {
            guard let since = peer.registeredAt, now.duration(since: since) > options.handshakeTimeout else { continue }
            let limit = DurationText.format(options.handshakeTimeout)
            lose(worker, peer: peer, cause: "it did not report what it sees of the job's files within \(limit)")
        }
    }
}
