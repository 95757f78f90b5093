import Synchronization
import SpindleCore

/// What a task attempt sees of its worker: the job, parameters, scratch space, cancellation and progress.
final class TaskContext: Sendable {
    let worker: WorkerID
    let attempt: AttemptID
    let task: TaskID
    let descriptor: JobDescriptor
    let parameters: JobParameters
    /// A directory private to this worker process for spill files and map outputs.
    let scratchDirectory: String
    /// The worker's exchange store, where map outputs are registered for fetching.
    let services: WorkerServices
    private let cancelled = Atomic<Bool>(false)
    private let progressBits = Atomic<UInt64>(0)

    init(worker: WorkerID, assignment: TaskAssignment, descriptor: JobDescriptor, parameters: JobParameters, scratchDirectory: String, services: WorkerServices) {
        self.worker = worker
        self.attempt = assignment.attempt
        self.task = assignment.task
        self.descriptor = descriptor
        self.parameters = parameters
        self.scratchDirectory = scratchDirectory
        self.services = services
    }

    /// Where this attempt's scratch files begin: `scratchDirectory/attempt-N`, followed by a suffix of the caller's.
    var scratchPrefix: String { "\(scratchDirectory)/attempt-\(attempt.rawValue)" }

    /// Whether the coordinator asked to abandon this attempt.
    var isCancelled: Bool { cancelled.load(ordering: .relaxed) }
    func cancel() { cancelled.store(true, ordering: .relaxed) }

    /// Throws ``TaskCancelled`` once the attempt was cancelled; long loops call it now and then.
    func checkCancelled() throws {
        if isCancelled { throw TaskCancelled() }
    }

    /// The attempt's progress in 0...1, reported with heartbeats.
    var progress: Double { Double(bitPattern: progressBits.load(ordering: .relaxed)) }
    func setProgress(_ value: Double) {
        progressBits.store(min(1, max(0, value)).bitPattern, ordering: .relaxed)
    }
}

/// The attempt was cancelled because another attempt of its task committed.
struct TaskCancelled: Error, CustomStringConvertible {
    var description: String { "cancelled: another attempt of the task committed" }
}

/// Long-lived facilities of a worker process that tasks use.
final class WorkerServices: Sendable {
    /// Serves this worker's map outputs to reducers.
    let exchange: ExchangeServer
    /// The job's shared secret (for fetching from other workers).
    let secret: [UInt8]

    /// The partitions this worker owns in a superstep job (Pregel or BSP), kept between supersteps.
    let partitions = HeldPartitions()

    init(exchange: ExchangeServer, secret: [UInt8]) {
        self.exchange = exchange
        self.secret = secret
    }
}
