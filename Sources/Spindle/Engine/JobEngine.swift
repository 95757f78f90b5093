import SpindleCore

/// The two halves of an engine: a driver that plans and commits on the coordinator, and the task
/// body that runs on workers. MapReduce and the demo checksum job are engines.
package protocol JobEngine: Sendable {
    /// Creates the coordinator-side driver of one run.
    func makeDriver(_ setup: DriverSetup) throws -> any JobDriver
    /// Runs one attempt of a task on a worker and returns its result.
    func runTask(_ assignment: TaskAssignment, context: TaskContext) throws -> TaskOutcome
}

/// The result of a task attempt on a worker.
package struct TaskOutcome: Sendable {
    package var payload: [UInt8]
    package var statistics: AttemptStatistics

    package init(payload: [UInt8], statistics: AttemptStatistics) {
        self.payload = payload
        self.statistics = statistics
    }
}

/// What a driver gets to plan a run.
package struct DriverSetup: Sendable {
    package var job: Job
    package var parameters: JobParameters
    package var inputs: [InputFile]
    package var output: OutputCommitter
    package var workerCount: Int
    package var splitSize: Int?
    package var memoryBudget: Int
    package var maxRecord: Int
    package var skipBadRecords: Bool
    /// Reduce partitions requested with `--reducers` (nil: the engine decides).
    package var reducers: Int?
    /// Graph partitions requested with `--partitions` (nil: 4 per worker).
    package var partitions: Int?
    /// Supersteps between checkpoints (`--checkpoint-every`; 0: none).
    package var checkpointEvery: Int
    /// Superstep limit (`--max-supersteps`).
    package var maxSupersteps: Int
    /// How a superstep job recovers from a lost worker (`--recovery`).
    package var recovery: RecoveryMode = .full
    /// Where a superstep job keeps its checkpoints (`--checkpoint-store`; `auto`: decided at its start).
    package var checkpointStore: CheckpointStoreSetting = .auto
    var events: EventLog
    var console: ConsoleReporter
    /// Where the driver journals its decisions (``CoordinatorJournal``); nil: not journaled.
    package var journal: CoordinatorJournal? = nil
    /// What an interrupted run of the same job committed, when this run resumes it (`--resume`).
    package var resume: ResumePlan? = nil
}

/// How a driver adds work; handed to it by the coordinator.
package protocol DriverControl: AnyObject {
    /// Adds a stage of tasks; see ``TaskScheduler/addStage(taskCount:locationBound:placement:)``.
    func addStage(taskCount: Int, locationBound: Bool, name: String, placement: [WorkerID]?) -> Int
    /// Abandons a stage (cancels its attempts; its results are rejected).
    func abandonStage(_ stage: Int)
    /// The workers alive now, in id order.
    var liveWorkers: [WorkerID] { get }
    /// The workers alive now and not excluded (``TaskScheduler/healthyWorkers``), in id order.
    var healthyWorkers: [WorkerID] { get }
    /// What `worker` reported it shares of the job's files, or nil when it has not reported yet (or is gone).
    func storage(of worker: WorkerID) -> WorkerStorage?
    /// Tells `worker` to release what it holds of `partitions` (moved away from it; see
    /// ``BarrierDirective/releasePartitions(_:worker:)``).
    func releasePartitions(_ partitions: [Int], on worker: WorkerID)
    /// Declares the outputs of a stage no longer needed.
    func releaseStage(_ stage: Int)
    /// Counts a task as committed without running it (its output survives from a resumed run); see
    /// ``TaskScheduler/restoreCommitted(_:attempt:worker:)``.
    func restoreCommitted(_ task: TaskID, attempt: AttemptID, worker: WorkerID)
    /// Ends the job successfully once the current event has been handled.
    func finish()
    /// Where a worker's exchange server listens.
    func exchangeAddress(of worker: WorkerID) -> HostPort?
}

/// The coordinator side of an engine for one run.
package protocol JobDriver: AnyObject {
    /// Engine settings sent to every worker (in ``JobDescriptor/engineSettings``).
    var engineSettings: [UInt8] { get }
    /// Whether the job may start only once every worker reported its storage (``DriverControl/storage(of:)``), and a
    /// worker that does not report it within the handshake timeout is lost. False by default.
    var awaitsWorkerStorage: Bool { get }
    /// Adds the first stages.
    func start(_ control: any DriverControl) throws
    /// The payload of an assignment of `task` (called for every attempt).
    func payload(for task: TaskID) -> [UInt8]
    /// Describes a task for errors and logs, e.g. "map task 3 (input a.txt bytes 0-1048576)".
    func describe(_ task: TaskID) -> String
    /// Checks a result of `task` from a worker before the scheduler sees it: the payload decodes, and every count,
    /// size and index in it is in range for this job. A rejected result disconnects its worker (it never traps
    /// later in ``committed(_:attempt:worker:result:control:)`` or when planning the next stage).
    func validate(_ result: AttemptResult, of task: TaskID) -> ReportCheck
    /// The one attempt of `task` that commits: its output becomes part of the job's.
    func committed(_ task: TaskID, attempt: AttemptID, worker: WorkerID, result: AttemptResult, control: any DriverControl) throws
    /// A stage's tasks have all committed.
    func stageCompleted(_ stage: Int, control: any DriverControl) throws
    /// A worker died (after the scheduler re-queued its work). Engines with worker-held state react here.
    func workerLost(_ worker: WorkerID, control: any DriverControl) throws
    /// A worker joined the running job, or reported its storage (``DriverControl/storage(of:)``).
    func workerJoined(_ worker: WorkerID, control: any DriverControl) throws
    /// A worker joined a resumed run before its first stage was added, still serving `served` (checked with
    /// ``ServedOutput/problem(with:)``) from the run it resumes; the driver may reuse what its journal committed.
    func workerRejoined(_ worker: WorkerID, serving served: [ServedOutput], control: any DriverControl)
    /// The scheduler excluded a live worker for the rest of the job. Engines with worker-held state move it away.
    func workerExcluded(_ worker: WorkerID, control: any DriverControl) throws
    /// Commits the job's output (the part files are in place) and writes `_SUCCESS`; returns the job's
    /// counters (summed over committed attempts) for the event log.
    func finalize(summary: JobSummary) throws -> [(String, Int)]
}

extension JobDriver {
    package var awaitsWorkerStorage: Bool { false }
    package func workerLost(_ worker: WorkerID, control: any DriverControl) throws {}
    package func workerJoined(_ worker: WorkerID, control: any DriverControl) throws {}
    package func workerRejoined(_ worker: WorkerID, serving served: [ServedOutput], control: any DriverControl) {}
    package func workerExcluded(_ worker: WorkerID, control: any DriverControl) throws {}
}

extension DriverControl {
    package func addStage(taskCount: Int, locationBound: Bool, name: String) -> Int {
        addStage(taskCount: taskCount, locationBound: locationBound, name: name, placement: nil)
    }
}

/// Facts about a finished run for `_SUCCESS` and the final report.
package struct JobSummary: Sendable {
    package var attempts: Int
    package var failedAttempts: Int
    package var workersLost: Int
    package var elapsedSeconds: Double
    package var stageSeconds: [(name: String, seconds: Double)]
    /// Peak resident bytes of each worker process (as last reported) and of the coordinator.
    package var workerPeakResidentBytes: [Int]
    package var coordinatorPeakResidentBytes: Int
}
