import SpindleCore

/// The command-line surface of `spindle`, as tables the argument parser reads.
enum CommandSpecs {
    static let run = CommandSpec(
        name: "run", summary: "Run a job as the coordinator, with local worker processes or remote ones",
        discussion: """
            With --workers N the coordinator starts N worker processes of this executable on this machine. \
            With --listen HOST:PORT --expect-workers N it waits for N remote workers (`spindle worker`) and uses every worker that joins. \
            Exit codes: 0 success, 1 the job failed, 2 bad usage or input (also bad input met by a task), \
            130 / 143 stopped by SIGINT / SIGTERM (workers stopped, temporary files removed).
            """,
        options: [
            .repeatable("input", placeholder: "PATH", help: "input file, directory or glob; default: the job's sample data"),
            .value("output", placeholder: "DIR", default: "out/JOB", help: "output directory; refused if it exists unless --overwrite"),
            .flag("overwrite", help: "replace an existing output directory"),
            .flag("resume", help: "continue the interrupted run whose journal is in --output (same job, inputs and parameters)"),
            .value("workers", placeholder: "N", default: "the cores; 0 with --listen", help: "local worker processes to start"),
            .repeatable("param", placeholder: "K=V", help: "job parameter; see `spindle run JOB --help`"),
            .value("listen", placeholder: "HOST:PORT", default: "127.0.0.1:0", help: "address for workers to connect to"),
            .flag("ship-input", help: "every worker reads its input through the coordinator (default: only workers that cannot read it)"),
            .flag("ship-output", help: "every worker sends its part files to the coordinator (default: only workers that cannot see the output)"),
            .value("ship-port", placeholder: "PORT", default: "0 (any free port)", help: "port of the coordinator's shipping server, on the --listen address"),
            .value("expect-workers", placeholder: "N", default: "--workers", help: "workers that must join before the job starts"),
            .value("secret-file", placeholder: "PATH", default: nil, help: "shared secret for remote workers (or set SPINDLE_SECRET)"),
            .value("heartbeat-interval", placeholder: "DURATION", default: "200ms", help: "how often workers and coordinator signal life"),
            .value("heartbeat-timeout", placeholder: "DURATION", default: "2s", help: "silence after which a worker is dead"),
            .value("join-timeout", placeholder: "DURATION", default: "30s", help: "how long to wait for workers to join (and to rejoin if all are lost)"),
            .value("max-attempts", placeholder: "N", default: "4", help: "failed attempts after which a task fails the job"),
            .value("exclude-after", placeholder: "N", default: "2", help: "exclude a worker once N distinct tasks failed on it and succeeded elsewhere (0: never)"),
            .value("tasks-per-worker", placeholder: "N", default: "1", help: "tasks a worker holds at once (it runs one, queues the rest: hides the round trip of tiny tasks)"),
            .flag("no-speculation", help: "never launch backup attempts for straggling tasks"),
            .value("speculation-after", placeholder: "DURATION", default: "1s", help: "minimum run time before a straggler gets a backup"),
            .value("memory", placeholder: "SIZE", default: "512MiB", help: "memory budget per worker for shuffle buffers"),
            .value("reducers", placeholder: "N", default: "2 x workers", help: "reduce partitions, one part file each"),
            .value("partitions", placeholder: "N", default: "4 x workers", help: "partitions of a Pregel or BSP job"),
            .value("checkpoint-every", placeholder: "K", default: "10", help: "supersteps between checkpoints of a Pregel or BSP job (0: none)"),
            .value(
                "recovery", placeholder: "confined|full", default: "confined with checkpoints",
                help: "after a lost worker, roll back only its partitions (confined) or every partition (full)"),
            .value(
                "message-log-memory", placeholder: "SIZE", default: "256MiB",
                help: "memory per local worker for the messages kept for confined recovery; beyond it they go to scratch disk (0: all)"),
            .value(
                "checkpoint-store", placeholder: "auto|output|workers", default: "auto",
                help: "keep checkpoints under the output directory, or on the workers that wrote them with a copy on one other worker; "
                    + "auto: under the output when every worker sees it"),
            .value("max-supersteps", placeholder: "N", default: "10000", help: "stop a Pregel or BSP job after N supersteps"),
            .value("split-size", placeholder: "SIZE", default: "auto", help: "bytes of input per map task"),
            .value("max-record", placeholder: "SIZE", default: "64MiB", help: "longest input line accepted (at least 1 byte)"),
            .flag("skip-bad-records", help: "skip and count bad records instead of failing; the count is printed at the end"),
            .value("event-log", placeholder: "PATH", default: nil, help: "write the job's events as JSON lines to PATH"),
            .flag("quiet", help: "print nothing but errors"),
            .value("ui", placeholder: "HOST:PORT|off", default: "127.0.0.1, first free port from 4040", help: "serve the live web UI here (port 0: any free port), or 'off'"),
            .value("ui-linger", placeholder: "DURATION", default: "0s", help: "keep serving the UI this long after the job ends"),
        ],
        positionals: [PositionalSpec("JOB", help: "the job to run (see `spindle jobs`); with --help, its parameters are shown too")])

    static let report = CommandSpec(
        name: "report", summary: "Write an HTML report (the UI's pages in one self-contained file) from a job's event log",
        discussion: """
            Every run keeps its event log in OUTPUT/_logs/events.jsonl. Example: spindle report out/wordcount/_logs/events.jsonl -o report.html; \
            with two logs the report compares the runs side by side. Exit codes: 0 written, 2 bad usage or a bad event log line (named FILE:LINE).
            """,
        options: [
            .value("output", placeholder: "FILE", default: "report.html", help: "the HTML file to write (also -o)"),
            .flag("overwrite", help: "replace FILE if it exists"),
        ],
        positionals: [PositionalSpec("EVENTLOG", help: "a job's event log"), PositionalSpec("EVENTLOG2", help: "a second run to compare with", isOptional: true)])

    static let worker = CommandSpec(
        name: "worker", summary: "Join a coordinator as a worker and run its tasks until the job ends",
        discussion: "The secret comes from --secret-file or SPINDLE_SECRET and must match the coordinator's. Exit codes: 0 the job succeeded, 1 it failed or was stopped, 3 the coordinator cannot be reached or is lost, 130 / 143 stopped by SIGINT / SIGTERM (scratch removed).",
        options: [
            .value("coordinator", placeholder: "HOST:PORT", default: nil, help: "the coordinator's --listen address (required)"),
            .value("secret-file", placeholder: "PATH", default: nil, help: "file holding the shared secret"),
            .value("connect-timeout", placeholder: "DURATION", default: "10s", help: "how long to retry reaching the coordinator"),
            .value("coordinator-grace", placeholder: "DURATION", default: "30s", help: "how long to keep retrying a vanished coordinator and rejoin it (0: exit at once)"),
            .value("bind", placeholder: "HOST", default: nil, help: "address the fetch server listens on; default: the --advertise host, else 127.0.0.1 when the coordinator is reached on loopback, else 0.0.0.0"),
            .value("advertise", placeholder: "HOST", default: nil, help: "address other workers fetch from; default: the address the coordinator sees this worker connect from"),
            .value("fetch-port", placeholder: "PORT", default: "0 (any free port)", help: "port the fetch server listens on"),
            .value(
                "message-log-memory", placeholder: "SIZE", default: "256MiB",
                help: "memory for the messages kept for confined recovery; beyond it they go to scratch disk (0: all)"),
        ],
        positionals: [])

    static let jobs = CommandSpec(
        name: "jobs", summary: "List the registered jobs with their parameters and defaults, or show one job", discussion: nil, options: [],
        positionals: [PositionalSpec("JOB", help: "show only this job, with its parameters' types, conditions and defaults", isOptional: true)])

    static let version = CommandSpec(name: "version", summary: "Print the version", discussion: nil, options: [], positionals: [])

    static let help = CommandSpec(
        name: "help", summary: "Show help for a command", discussion: nil, options: [],
        positionals: [PositionalSpec("COMMAND", help: "the command to explain", isOptional: true)])

    /// The commands of every executable: `run`, `worker`, `jobs`, `report`, `version`, `help`.
    static let all: [CommandSpec] = [run, worker, jobs, report, version, help]

    /// ``all`` with `tools` (the package's own extra commands) listed after `jobs`.
    static func listed(adding tools: [CommandSpec]) -> [CommandSpec] {
        [run, worker, jobs] + tools + [report, version, help]
    }
}
