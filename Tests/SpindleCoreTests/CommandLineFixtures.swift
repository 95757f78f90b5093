@testable import SpindleCore

/// Command specs mirroring the real `spindle` CLI, shared by the command-line tests.
enum CommandLineFixtures {
    static let run = CommandSpec(
        name: "run",
        summary: "Run a job locally or on a cluster.",
        discussion: "Inputs are split into chunks of --split-size bytes.",
        options: [
            .repeatable("input", placeholder: "PATH", help: "Input file or directory"),
            .value("output", placeholder: "DIR", default: "./out", help: "Output directory"),
            .value("workers", placeholder: "N", default: "cores", help: "Worker processes to start"),
            .repeatable("param", placeholder: "K=V", help: "Job parameter"),
            .value("listen", placeholder: "HOST:PORT", help: "Accept remote workers here"),
            .value("expect-workers", placeholder: "N", default: "0", help: "Remote workers to wait for"),
            .value("heartbeat-interval", placeholder: "DURATION", default: "200ms", help: "Heartbeat period"),
            .value("heartbeat-timeout", placeholder: "DURATION", default: "2s", help: "Declare a worker dead after this"),
            .value("max-attempts", placeholder: "N", default: "4", help: "Attempts per task"),
            .value("memory", placeholder: "SIZE", default: "512MiB", help: "Memory budget per worker"),
            .value("split-size", placeholder: "SIZE", default: "64MiB", help: "Input split size"),
            .value("event-log", placeholder: "PATH", help: "Write an event log"),
            .value("ratio", placeholder: "X", help: "A test-only number"),
            .value("x", placeholder: "N", help: "A test-only short name"),
            .repeatable("fanouts", placeholder: "LIST", help: "A test-only integer list"),
            .flag("overwrite", help: "Replace an existing output directory"),
            .flag("no-speculation", help: "Disable speculative execution"),
        ],
        positionals: [PositionalSpec("JOB", help: "The job to run")]
    )

    static let worker = CommandSpec(
        name: "worker",
        summary: "Serve tasks for a coordinator.",
        options: [
            .value("coordinator", placeholder: "HOST:PORT", help: "Coordinator address"),
            .value("secret-file", placeholder: "PATH", help: "Shared secret"),
            .value("connect-timeout", placeholder: "DURATION", default: "10s", help: "Give up connecting after this"),
        ]
    )

    static let jobs = CommandSpec(name: "jobs", summary: "List the built-in jobs.")

    static let help = CommandSpec(
        name: "help", summary: "Show help for a command.",
        positionals: [PositionalSpec("COMMAND", help: "The command to describe", isOptional: true)]
    )

    static let copy = CommandSpec(
        name: "copy", summary: "Copy files.",
        positionals: [PositionalSpec("DEST", help: "Destination"), PositionalSpec("SOURCE", help: "Sources", isVariadic: true)]
    )
}
