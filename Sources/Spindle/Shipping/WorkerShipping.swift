import Synchronization
import SpindleCore
import SpindlePosix

/// A worker's storage decision for its current session with a coordinator (``WorkerStorage``) and the client
/// that ships what it cannot share. Decided at each registration (``configure(plan:coordinatorHost:secret:)``).
final class WorkerShipping: Sendable {
    private let state = Mutex<(storage: WorkerStorage, client: ShipClient?)>((.shared, nil))

    /// What this worker shares with the coordinator (everything until a plan says otherwise).
    var storage: WorkerStorage { state.withLock { $0.storage } }
    /// The client to read inputs through, when this worker does not read them itself.
    var inputClient: ShipClient? { state.withLock { $0.storage.readsInputs ? nil : $0.client } }
    /// The client to send part files through, when this worker does not see the output directory.
    var outputClient: ShipClient? { state.withLock { $0.storage.seesOutput ? nil : $0.client } }

    /// Decides the storage for a session whose coordinator sent `plan` (nil: everything is shared), by checking
    /// the inputs and the token (``StorageProbe``), and returns it.
    @discardableResult
    func configure(plan: StoragePlan?, coordinatorHost: String, secret: [UInt8]) -> WorkerStorage {
        let storage = plan.map { StorageProbe.check($0) } ?? .shared
        let client = plan.map { ShipClient(host: coordinatorHost, port: $0.port, secret: secret) }
        let old = state.withLock { s in
            defer { s = (storage, client) }
            return s.client
        }
        old?.close()
        return storage
    }

    /// Closes the client's idle connections.
    func close() {
        state.withLock { $0.client }?.close()
    }
}

/// The worker's checks behind ``WorkerStorage``: `stat` of each planned input and a read of the coordinator's
/// token file, decided by ``StorageCheck``.
///
/// Tests make a worker blind with `SPINDLE_TEST_STORAGE` (`no-input`, `no-output` or both, comma-separated):
/// it then observes its inputs missing and the token absent, as a host without the shared file system does.
enum StorageProbe {
    static func check(_ plan: StoragePlan) -> WorkerStorage {
        let hidden = Set((SystemInfo.environment("SPINDLE_TEST_STORAGE") ?? "").split(separator: ",").map(String.init))
        let inputs: [StorageCheck.InputObservation] = plan.inputs.map { input in
            guard !hidden.contains("no-input"), let identity = try? FileIdentity.of(path: input.path) else { return .missing }
            return .found(identity)
        }
        var token: [UInt8]?
        if !hidden.contains("no-output"), (try? FileSystem.fileSize(plan.tokenPath)) == StoragePlan.tokenLength {
            token = try? FileSystem.readFile(plan.tokenPath)
        }
        return StorageCheck.decide(plan: plan, inputs: inputs, token: token)
    }
}
