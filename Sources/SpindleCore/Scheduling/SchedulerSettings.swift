/// Tunables of the ``TaskScheduler``.
package struct SchedulerSettings: Sendable, Equatable {
    /// Consecutive failed attempts after which a task fails the job. Default 4.
    package var maxAttempts: Int = 4
    /// Whether backup attempts are launched for stragglers near the end of a stage. Default true.
    package var speculation: Bool = true
    /// Cap on backup attempts per stage, as a share of its tasks (at least one is always allowed). Default 0.1.
    package var speculativeFraction: Double = 0.1
    /// A running attempt is a straggler once it has run this many times the median duration of the
    /// stage's finished tasks. Default 1.5.
    package var speculationSlowdown: Double = 1.5
    /// A running attempt younger than this is never backed up. Default 1 s.
    package var speculationMinimumAge: Duration = .seconds(1)
    /// A worker is excluded from the rest of the job (given no new attempts, as Spark's excludeOnFailure)
    /// once this many distinct tasks failed on it and then committed on another worker; 0 never excludes.
    /// Default 2.
    package var excludeAfterFailedTasks: Int = 2
    /// Attempts a worker holds at once: it runs one and queues the others, which hides the round trip to the
    /// coordinator when tasks take less time than it (`--tasks-per-worker`). Default 1.
    package var tasksPerWorker: Int = 1

    package init() {}

    /// Checks every field, naming the first invalid one.
    package func validate() throws(SettingsError) {
        guard maxAttempts >= 1 else { throw SettingsError(field: "maxAttempts", message: "must be at least 1, got \(maxAttempts)") }
        guard speculativeFraction >= 0, speculativeFraction <= 1 else {
            throw SettingsError(field: "speculativeFraction", message: "must be within 0...1, got \(speculativeFraction)")
        }
        guard excludeAfterFailedTasks >= 0 else {
            throw SettingsError(field: "excludeAfterFailedTasks", message: "must not be negative, got \(excludeAfterFailedTasks)")
        }
        guard tasksPerWorker >= 1 else { throw SettingsError(field: "tasksPerWorker", message: "must be at least 1, got \(tasksPerWorker)") }
        guard speculationSlowdown >= 0 else {
            throw SettingsError(field: "speculationSlowdown", message: "must not be negative, got \(speculationSlowdown)")
        }
    }
}

/// A settings field holds a value it cannot take.
package struct SettingsError: Error, Equatable, CustomStringConvertible {
    package var field: String
    package var message: String
    package init(field: String, message: String) {
        self.field = field
        self.message = message
    }
    package var description: String { "invalid setting \(field): \(message)" }
}
