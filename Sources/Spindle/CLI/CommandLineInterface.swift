import SpindleCore
import SpindlePosix

/// Dispatches the subcommands. Usage errors print one line on stderr and give exit code 2.
struct CommandLineInterface {
    let registry: JobRegistry
    /// Subcommands added by other modules of the package.
    var tools: [ToolCommand] = []

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
            case "-h", "--help": print(overview()); return 0
            case "--version", "version": print("spindle \(Spindle.version)"); return 0
            case "help": return try help(rest)
            case "jobs": _ = try parse(rest, CommandSpecs.jobs); print(jobsListing()); return 0
            case "run":
                let parsed = try parse(rest, CommandSpecs.run)
                if parsed.helpRequested { return 0 }
                return try RunCommand(registry: registry, arguments: parsed).execute()
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
                let hint = ArgumentParser.closestMatch(to: Substring(command), in: commands.map(\.name)).map { "; did you mean '\($0)'?" } ?? "; run 'spindle --help' for the commands"
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
        guard let spec = commands.first(where: { $0.name == name }) else {
            throw UsageError("unknown command '\(name)'; the commands are \(commands.map(\.name).joined(separator: ", "))")
        }
        print(spec.helpText(programName: "spindle"), terminator: "")
        return 0
    }

    private func overview() -> String {
        CommandSpec.overviewText(
            programName: "spindle", summary: "Spindle \(Spindle.version): parallel batch jobs (MapReduce) over worker processes.",
            commands: commands)
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
