import SpindleCore

/// The `_SUCCESS` record shared by all engines: job, parameters, counters, timings.
package func successRecord(setup: DriverSetup, summary: JobSummary, counters: [(String, Int)]) -> JSONValue {
    .object([
        ("job", .string(setup.job.name)),
        ("parameters", .object(setup.parameters.pairs.map { ($0.first, .string($0.second)) })),
        ("inputs", .array(setup.inputs.map { .string($0.path) })),
        ("workers", .int(setup.workerCount)),
        ("counters", .object(counters.map { ($0.0, .int($0.1)) })),
        ("attempts", .int(summary.attempts)),
        ("failedAttempts", .int(summary.failedAttempts)),
        ("workersLost", .int(summary.workersLost)),
        ("seconds", .double(summary.elapsedSeconds)),
        ("stages", .array(summary.stageSeconds.map { .object([("name", .string($0.name)), ("seconds", .double($0.seconds))]) })),
        ("peakResidentBytes", .object([
            ("coordinator", .int(summary.coordinatorPeakResidentBytes)),
            ("workers", .array(summary.workerPeakResidentBytes.map { .int($0) })),
        ])),
    ])
}
