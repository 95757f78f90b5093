/// Defaults shared by the coordinator, the workers and the CLI.
enum RuntimeDefaults {
    static let maxFrameSize = 64 << 20
    static let heartbeatInterval: Duration = .milliseconds(200)
    static let heartbeatTimeout: Duration = .seconds(2)
    static let handshakeTimeout: Duration = .seconds(5)
    /// Unauthenticated connections each listener keeps at most; beyond it the oldest is dropped (OpenSSH's MaxStartups).
    static let maxUnauthenticatedConnections = 64
    /// The shortest shared secret accepted, in bytes.
    static let minimumSecretLength = 16
    static let connectTimeout: Duration = .seconds(10)
    static let registrationTimeout: Duration = .seconds(30)
    static let maxAttempts = 4
    static let memoryBudget = 512 << 20
    static let maxRecord = 64 << 20
    /// How long a worker declared dead may still deliver results that get logged as rejected.
    static let condemnedGrace: Duration = .seconds(30)
    static let secretEnvironment = "SPINDLE_SECRET"
}
