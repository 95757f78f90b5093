import Synchronization
import SpindleCore

/// What a task attempt sees of its worker: the job, parameters, scratch space, cancellation and progress.
package final class TaskContext: Sendable {
    package let worker: WorkerID
    package let attempt: AttemptID
    package let task: TaskID
    package let descriptor: JobDescriptor
    package let parameters: JobParameters
    /// A directory private to this worker process for spill files and map outputs.
    package let scratchDirectory: String
    /// The worker's exchange store, where map outputs are registered for fetching.
    package let services: WorkerServices
    private let cancelled = Atomic<Bool>(false)
    /// What to run on cancellation (waking blocked waits), by token; nil once cancelled.
    private let cancelHandlers = Mutex<(next: Int, handlers: [Int: @Sendable () -> Void]?)>((0, [:]))
    private let progressBits = Atomic<UInt64>(0)

    package init(worker: WorkerID, assignment: TaskAssignment, descriptor: JobDescriptor, parameters: JobParameters, scratchDirectory: String, services: WorkerServices) {
        self.worker = worker
        self.attempt = assignment.attempt
        self.task = assignment.task
        self.descriptor = descriptor
        self.parameters = parameters
        self.scratchDirectory = scratchDirectory
        self.services = services
    }

    /// Where this attempt's scratch files begin: `scratchDirectory/attempt-N`, followed by a suffix of the caller's.
    package var scratchPrefix: String { "\(scratchDirectory)/attempt-\(attempt.rawValue)" }

    /// Whether the coordinator asked to abandon this attempt.
    package var isCancelled: Bool { cancelled.load(ordering: .relaxed) }
    package func cancel() {
        cancelled.store(true, ordering: .relaxed)
        let handlers = cancelHandlers.withLock { state in
            defer { state.handlers = nil }
            return state.handlers ?? [:]
        }
        for handler in handlers.values { handler() }
    }

    /// Runs `handler` when the attempt is cancelled (at once when it already is), so that a blocking wait can be
    /// woken (a fetch's socket shut down). Returns a token for ``removeCancelHandler(_:)``; nil when it ran at once.
    /// The handler MUST be quick and MUST NOT call back into this context.
    func onCancel(_ handler: @escaping @Sendable () -> Void) -> Int? {
        let token: Int? = cancelHandlers.withLock { state in
            guard state.handlers != nil else { return nil }
            state.next += 1
            state.handlers![state.next] = handler
            return state.next
        }
        if token == nil { handler() }
        return token
    }

    /// Forgets a handler from ``onCancel(_:)``.
    func removeCancelHandler(_ token: Int?) {
        guard let token else { return }
        cancelHandlers.withLock { _ = $0.handlers?.removeValue(forKey: token) }
    }

    /// Throws ``TaskCancelled`` once the attempt was cancelled; long loops call it now and then.
    package func checkCancelled() throws {
        if isCancelled { throw TaskCancelled() }
    }

    /// The attempt's progress in 0...1, reported with heartbeats.
    package var progress: Double { Double(bitPattern: progressBits.load(ordering: .relaxed)) }
    package func setProgress(_ value: Double) {
        progressBits.store(min(1, max(0, value)).bitPattern, ordering: .relaxed)
    }
}

/// The attempt was cancelled because another attempt of its task committed.
package struct TaskCancelled: Error, CustomStringConvertible {
    package var description: String { "cancelled: another attempt of the task committed" }
}

/// Long-lived facilities of a worker process that tasks use.
package final class WorkerServices: Sendable {
    /// Serves this worker's map outputs to reducers.
    let exchange: ExchangeServer
    /// The job's shared secret (for fetching from other workers).
    package let secret: [UInt8]

    /// The partitions this worker owns in a superstep job (Pregel or BSP), kept between supersteps.
    let partitions = HeldPartitions()
    /// The memory the message logs of those partitions may keep (`--message-log-memory`).
    let messageLog: MessageLogBudget
    /// Writes the graph images of the partitions this worker prepares, in the background.
    let graphImages = GraphImageWriter()

    /// What this worker shares of the coordinator's files in the current session, and how it ships the rest.
    let shipping = WorkerShipping()

    init(exchange: ExchangeServer, secret: [UInt8], messageLog: MessageLogBudget = MessageLogBudget()) {
        self.exchange = exchange
        self.secret = secret
        self.messageLog = messageLog
    }
}
