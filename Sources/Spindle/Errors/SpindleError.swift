/// Why a job run, or one attempt of one of its tasks, failed: a ``Code`` to switch on and one sentence
/// (``message``) that names what failed, where, and what to do.
///
/// `spindle run` prints the message after `spindle: job NAME failed:`, exits with the code's
/// ``Code/exitCode``, and records both in the event log's `job_failed` event (`error`, `code`).
public struct SpindleError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What kind of failure this is. New codes may be added; switch with a `default`.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }

        /// One attempt of a task failed on its own (the job's code threw, it used an aggregator or a
        /// partition the job does not declare, a fetched segment was corrupt...). The task is retried.
        public static let taskError = Code("task_error")
        /// A task failed `--max-attempts` times; the message names the task, its input and the last cause.
        public static let taskFailed = Code("task_failed")
        /// Bad input met by a task: a malformed record at `FILE:LINE`, a line over `--max-record`, or an
        /// input file that changed or vanished while the job ran. Exit code 2, as for bad arguments.
        public static let badInput = Code("bad_input")
        /// Planning or committing the job's output failed (a sample of the input could not be read, the
        /// output could not be written).
        public static let outputFailed = Code("output_failed")
        /// The job lost its workers: every local worker died and none could be restarted, or too few
        /// registered in time.
        public static let workersLost = Code("workers_lost")
        /// Anything else, such as a coordinator-side error of the job's engine; the message says what.
        public static let other = Code("other")
        /// SIGINT or SIGTERM stopped the job; its workers were stopped and its temporary files removed.
        public static let stopped = Code("stopped")

        /// The code's name as the event log writes it, such as `task_failed`.
        public var description: String { name }

        /// The exit code of `spindle run` for a job that failed with this code: 2 for bad input, 1 otherwise
        /// (a stopped job exits with 128 + the signal number instead).
        public var exitCode: Int32 { self == .badInput ? 2 : 1 }
    }

    /// What kind of failure this is.
    public let code: Code
    /// One sentence for the user: what failed, where, and what to do. Tests may match on it.
    public let message: String

    /// An error with `code` and `message`.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The ``message``.
    public var description: String { message }
}
