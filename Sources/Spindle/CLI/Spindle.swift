import SpindleCore
import SpindlePosix

/// The entry point of the `spindle` executable and of a user's own executable with its own jobs.
///
/// ```swift
/// // Sources/mytool/main.swift
/// import Spindle
/// Spindle.main(jobs: [myJob])
/// ```
public enum Spindle {
    /// The version printed by `spindle version`.
    public static let version = "0.1.0"

    /// Runs the command line (`run`, `worker`, `jobs`, `version`, `help`) with `jobs` registered, then exits.
    /// Exit codes: 0 success, 1 the job failed, 2 bad usage or input, 3 a worker lost its coordinator,
    /// 130 / 143 stopped by SIGINT / SIGTERM.
    /// - Parameters:
    ///   - jobs: the jobs `spindle run NAME` can start; names must be unique.
    ///   - arguments: the process arguments, program name first: usage and error lines name the program by
    ///     its last path component (`myjobs`, not `spindle`).
    public static func main(jobs: [Job], arguments: [String] = CommandLine.arguments) -> Never {
        main(jobs: jobs, tools: [], arguments: arguments)
    }

    /// ``main(jobs:arguments:)`` with more subcommands, listed after `jobs` (the `spindle` executable adds
    /// `generate` and `bench` from SpindleTools).
    package static func main(jobs: [Job], tools: [ToolCommand], arguments: [String] = CommandLine.arguments) -> Never {
        SystemInfo.ignoreBrokenPipe()
        // Coordinator and workers alike: take every descriptor allowed (soft limit up to the hard one).
        _ = try? ResourceLimits.raiseOpenFilesToHardLimit()
        let registry = JobRegistry(jobs: jobs)
        let programName = ProgramName.name(fromArgument0: arguments.first ?? "")
        let code = CommandLineInterface(registry: registry, tools: tools, programName: programName).run(Array(arguments.dropFirst()))
        SystemInfo.exit(code)
    }
}

