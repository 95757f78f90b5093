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

    /// Runs the command line (`run`, `worker`, `jobs`, `generate`, `bench`, `version`, `help`) with `jobs`
    /// registered, then exits.
    /// Exit codes: 0 success, 1 the job failed, 2 bad usage or input, 3 a worker lost its coordinator,
    /// 130 / 143 stopped by SIGINT / SIGTERM.
    public static func main(jobs: [Job], arguments: [String] = CommandLineArguments.current()) -> Never {
        SystemInfo.ignoreBrokenPipe()
        // Coordinator and workers alike: take every descriptor allowed (soft limit up to the hard one).
        _ = try? ResourceLimits.raiseOpenFilesToHardLimit()
        let registry = JobRegistry(jobs: jobs)
        let code = CommandLineInterface(registry: registry).run(Array(arguments.dropFirst()))
        SystemInfo.exit(code)
    }
}

/// Reads the process arguments.
public enum CommandLineArguments {
    public static func current() -> [String] { CommandLine.arguments }
}

/// Dispatches the subcommands. Usage errors print one line on stderr and give exit code 2.
struct CommandLineInterface {
    let registry: JobRegistry

    func run(_ arguments: [String]) -> Int32 {
        guard let command = arguments.first else {
            SystemInfo.writeStandardOutput(Array(overview().utf8))
            return 0
        }
        let rest = Array(arguments.dropFirst())
        do {
            switch command {
            case "-h", "--help": print(overview()); return 0
            case "--version", "version": print("spindle \(Spindle.version)"); return 0
            case "help": return try help(rest)
            case "jobs": _ = try parse(rest, CommandSpecs.jobs); print(jobsListing()); return 0
            case "run":
                let parsed = try parse(rest, CommandSpecs.run)
                if parsed.helpRequested { return 0 }
                return try RunCommand(registry: registry, arguments: parsed).execute()
            case "generate":
                let parsed = try parse(rest, CommandSpecs.generate)
                if parsed.helpRequested { return 0 }
                return try GenerateCommand.execute(parsed)
            case "bench":
                let parsed = try parse(rest, CommandSpecs.bench)
                if parsed.helpRequested { return 0 }
                return try BenchCommand(registry: registry, arguments: parsed).execute()
            case "report":
                let parsed = try parse(rest.map { $0 == "-o" ? "--output" : $0 }, CommandSpecs.report)
                if parsed.helpRequested { return 0 }
                return try ReportCommand.execute(parsed)
            case "worker":
                let parsed = try parse(rest, CommandSpecs.worker)
                if parsed.helpRequested { return 0 }
                return try WorkerCommand.execute(parsed, registry: registry)
            default:
                let hint = ArgumentParser.closestMatch(to: Substring(command), in: CommandSpecs.all.map(\.name)).map { "; did you mean '\($0)'?" } ?? "; run 'spindle --help' for the commands"
                throw UsageError("unknown command '\(command)'\(hint)")
            }
        } catch let error as UsageError {
            SystemInfo.writeStandardError("spindle: \(error)\n")
            return 2
        } catch let error as InputError {
            SystemInfo.writeStandardError("spindle: \(error)\n")
            return 2
        } catch {
            SystemInfo.writeStandardError("spindle: \(error)\n")
            return 1
        }
    }

    private func parse(_ arguments: [String], _ spec: CommandSpec) throws(UsageError) -> ParsedArguments {
        let parsed = try ArgumentParser.parse(arguments, for: spec)
        if parsed.helpRequested { print(spec.helpText(programName: "spindle"), terminator: "") }
        return parsed
    }

    private func help(_ arguments: [String]) throws(UsageError) -> Int32 {
        let parsed = try ArgumentParser.parse(arguments, for: CommandSpecs.help)
        guard let name = parsed.positionals.first else {
            print(overview(), terminator: "")
            return 0
        }
        guard let spec = CommandSpecs.all.first(where: { $0.name == name }) else {
            throw UsageError("unknown command '\(name)'; the commands are \(CommandSpecs.all.map(\.name).joined(separator: ", "))")
        }
        print(spec.helpText(programName: "spindle"), terminator: "")
        return 0
    }

    private func overview() -> String {
        CommandSpec.overviewText(
            programName: "spindle", summary: "Spindle \(Spindle.version): parallel batch jobs (MapReduce) over worker processes.",
            commands: CommandSpecs.all)
    }

    func jobsListing() -> String {
        var lines: [String] = []
        for job in registry.jobs {
            lines.append("\(job.name)  \(job.summary)")
            for p in job.parameters {
                let def = p.defaultValue.map { "default \($0)" } ?? "required"
                lines.append("    --param \(p.name)=<\(p.kind.name)>  \(p.help) (\(def))")
            }
        }
        return lines.joined(separator: "\n")
    }
}
