import SpindleCore
import SpindlePosix

/// Dispatches the subcommands. Usage errors print one line on stderr and give exit code 2; every command
/// refuses options it does not declare. Usage and error lines name the executable (``programName``).
struct CommandLineInterface {
    let registry: JobRegistry
    /// Subcommands added by other modules of the package.
    var tools: [ToolCommand] = []
    /// How usage and error lines name this executable: `spindle`, or a user's own tool's name.
    var programName = "spindle"

    /// Every command, in the order `spindle --help` lists them.
    var commands: [CommandSpec] { CommandSpecs.listed(adding: tools.map(\.spec)) }

    func run(_ arguments: [String]) -> Int32 {
        guard let command = arguments.first else {
            SystemInfo.writeStandardOutput(Array(overview().utf8))
            return 0
        }
        let rest = Array(arguments.dropFirst())
        do {
            switch command {
            case "-h", "--help": print(overview(), terminator: ""); return 0
            case "--version", "version":
                if try parse(rest, CommandSpecs.version).helpRequested { return 0 }
                print("\(programName) \(Spindle.version)")
                return 0
            case "help": return try help(rest)
            case "jobs":
                let parsed = try parse(rest, CommandSpecs.jobs)
                if parsed.helpRequested { return 0 }
                return try jobs(parsed.positionals.first)
            case "run":
                let parsed = try parse(rest, CommandSpecs.run)
                if parsed.helpRequested {
                    // `run JOB --help`: the job's own parameters follow the options every job takes.
                    if let name = parsed.positionals.first, let job = registry.job(named: name) { print(JobHelp.runSection(job), terminator: "") }
                    return 0
                }
                return try RunCommand(registry: registry, arguments: parsed, programName: programName).execute()
            case "report":
                // `-o` is the report's short spelling of `--output` (the parser has no short options).
                let parsed = try parse(rest.map { $0 == "-o" ? "--output" : $0 }, CommandSpecs.report)
                if parsed.helpRequested { return 0 }
                return try ReportCommand.execute(parsed)
            case "worker":
                let parsed = try parse(rest, CommandSpecs.worker)
                if parsed.helpRequested { return 0 }
                return try WorkerCommand.execute(parsed, registry: registry)
            default:
                if let tool = tools.first(where: { $0.spec.name == command }) {
                    let parsed = try parse(rest, tool.spec)
                    if parsed.helpRequested { return 0 }
                    return try tool.execute(parsed, registry)
                }
                let hint = ArgumentParser.closestMatch(to: Substring(command), in: commands.map(\.name)).map { "; did you mean '\($0)'?" }
                    ?? "; run '\(programName) --help' for the commands"
                throw UsageError("unknown command '\(command)'\(hint)")
            }
        } catch let error as UsageError {
            SystemInfo.writeStandardError("\(programName): \(error)\n")
            return 2
        } catch let error as InputError {
            SystemInfo.writeStandardError("\(programName): \(error)\n")
            return 2
        } catch {
            SystemInfo.writeStandardError("\(programName): \(error)\n")
            return 1
        }
    }

    private func parse(_ arguments: [String], _ spec: CommandSpec) throws(UsageError) -> ParsedArguments {
        let parsed = try ArgumentParser.parse(arguments, for: spec, programName: programName)
        if parsed.helpRequested { print(helpText(spec), terminator: "") }
        return parsed
    }

    private func help(_ arguments: [String]) throws(UsageError) -> Int32 {
        let parsed = try parse(arguments, CommandSpecs.help)
        if parsed.helpRequested { return 0 }
        guard let name = parsed.positionals.first else {
            print(overview(), terminator: "")
            return 0
        }
        guard let spec = commands.first(where: { $0.name == name }) else {
            throw UsageError("unknown command '\(name)'; the commands are \(commands.map(\.name).joined(separator: ", "))")
        }
        print(helpText(spec), terminator: "")
        return 0
    }

    /// `jobs`: every job; `jobs NAME`: that one in full.
    private func jobs(_ name: String?) throws(UsageError) -> Int32 {
        guard let name else {
            print(JobHelp.listing(registry.jobs), terminator: "")
            return 0
        }
        guard let job = registry.job(named: name) else { throw unknownJob(name, registry: registry, programName: programName) }
        print(JobHelp.page(job, programName: programName), terminator: "")
        return 0
    }

    private func helpText(_ spec: CommandSpec) -> String {
        ProgramName.substituted(spec.helpText(programName: programName), name: programName)
    }

    private func overview() -> String {
        let text = CommandSpec.overviewText(
            programName: programName,
            summary: "Spindle \(Spindle.version): parallel batch jobs over worker processes, written with one of three APIs: "
                + "MapReduce (map, combine and reduce over lines of text), Pregel (vertex programs over a graph, superstep by superstep) "
                + "and BSP (bulk synchronous parallel: a program per partition, messages between partitions). "
                + "Run '\(programName) jobs' for the jobs this executable has.",
            commands: commands)
        return ProgramName.substituted(text, name: programName)
    }
}

/// The error for a job name the registry does not know, with the closest name as a hint.
func unknownJob(_ name: String, registry: JobRegistry, programName: String) -> UsageError {
    let hint = ArgumentParser.closestMatch(to: Substring(name), in: registry.jobs.map(\.name)).map { "; did you mean '\($0)'?" } ?? ""
    return UsageError("unknown job '\(name)'\(hint); run '\(programName) jobs' to list them")
}
