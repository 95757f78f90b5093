import SpindleCore

/// Everything `spindle run` decided before the coordinator starts.
struct CoordinatorOptions: Sendable {
    var job: Job
    var parameters: JobParameters
    var inputs: [InputFile]
    var output: OutputCommitter
    /// Local worker processes to spawn (0 when only remote workers are used).
    var localWorkers: Int
    /// Where to listen; 127.0.0.1 with an ephemeral port unless `--listen` says otherwise.
    var listen: HostPort
    /// Workers that must have joined before the job starts.
    var expectWorkers: Int
    var heartbeatInterval: Duration = RuntimeDefaults.heartbeatInterval
    var heartbeatTimeout: Duration = RuntimeDefaults.heartbeatTimeout
    var handshakeTimeout: Duration = RuntimeDefaults.handshakeTimeout
    /// How long to wait for the expected workers (and, later, for any live worker) before failing.
    var registrationTimeout: Duration = RuntimeDefaults.registrationTimeout
    var scheduler = SchedulerSettings()
    var memoryBudget = RuntimeDefaults.memoryBudget
    var splitSize: Int?
    var maxRecord = RuntimeDefaults.maxRecord
    var skipBadRecords = false
    var reducers: Int?
    var partitions: Int?
    var checkpointEvery = 10
    /// How a superstep job recovers from a lost worker (`--recovery`); nil: confined when it checkpoints.
    var recovery: RecoveryMode?
    /// `--message-log-memory`: what each local worker's message logs may keep in memory (see ``MessageLogBudget``).
    var messageLogMemory = MessageLogBudget.defaultLimit
    /// Where a superstep job keeps its checkpoints (`--checkpoint-store`; `auto`: decided when the job starts).
    var checkpointStore = CheckpointStoreSetting.auto
    var maxSupersteps = 10_000
    var eventLogPath: String?
    /// Sees every event as it is recorded (the live UI's model); nil when the UI is off.
    var eventObserver: EventLog.Observer?
    /// Sees, every heartbeat interval, each live worker's silence in seconds (the live UI's heartbeat age).
    var heartbeatObserver: (@Sendable ([(worker: Int, seconds: Double)]) -> Void)?
    var secret: [UInt8]
    var quiet = false
    /// Workers are threads of this process that connect through this network (``InProcessCluster``), not
    /// processes over TCP; `listen` and `localWorkers` are then unused.
    var inProcess: InProcessNetwork?
    /// `--resume`: the journal of the interrupted run this one continues (``JournalSetup/loadResume(_:)``).
    var resume: ResumePlan?
    /// `--ship-input`, `--ship-output`, `--ship-port` (see ``ShipServer``).
    var shipping = ShippingOptions()
}

/// How a run ended.
enum JobOutcome: Equatable {
    case succeeded
    /// The job failed; bad input (``SpindleError/Code/badInput``) exits with 2, anything else with 1.
    case failed(SpindleError)
    /// Stopped by SIGINT or SIGTERM (`signal`); the error says so.
    case stopped(signal: Int32, SpindleError)
}
