import SpindleCore

/// How `jobs`, `jobs NAME` and `run JOB --help` describe a job: its parameters with their types, conditions
/// and defaults, and where its input comes from.
enum JobHelp {
    /// Every job with its summary and its parameters, as `spindle jobs` prints it.
    static func listing(_ jobs: [Job]) -> String {
        var lines: [String] = []
        for job in jobs {
            lines.append("\(job.name)  \(job.summary)")
            for p in job.parameters {
                lines.append("    --param \(synopsis(p))  \(description(p))")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// One job in full, as `spindle jobs NAME` prints it.
    static func page(_ job: Job, programName: String) -> String {
        var lines = ["\(job.name): \(job.summary)", "", "Usage: \(programName) run \(job.name) [options]\(job.parameters.isEmpty ? "" : " [--param NAME=VALUE ...]")"]
        lines.append(inputLine(job))
        return lines.joined(separator: "\n") + "\n" + parametersSection(job) + "\nRun '\(programName) run --help' for the options of every job.\n"
    }

    /// The job's part of `spindle run JOB --help`: its summary, input and parameters.
    static func runSection(_ job: Job) -> String {
        "\nJob \(job.name): \(job.summary)\n\(inputLine(job))\n" + parametersSection(job)
    }

    /// `Parameters:` and a table of `--param name=<type>` rows, or a line saying the job takes none.
    static func parametersSection(_ job: Job) -> String {
        guard !job.parameters.isEmpty else { return "\nParameters: none\n" }
        let rows = job.parameters.map { ("--param \(synopsis($0))", description($0)) }
        return (["", "Parameters:"] + CommandSpec.table(rows)).joined(separator: "\n") + "\n"
    }

    /// `name=<type>`, e.g. `iterations=<integer>`.
    static func synopsis(_ parameter: JobParameter) -> String {
        "\(parameter.name)=<\(parameter.kind.name)>"
    }

    /// The help, then the range or condition a value must meet, then the default (or `required`).
    static func description(_ parameter: JobParameter) -> String {
        var text = parameter.help
        var rules: [String] = []
        if case .int(let range) = parameter.kind, range != Int.min...Int.max { rules.append("\(range.lowerBound)...\(range.upperBound)") }
        if let condition = parameter.condition { rules.append(condition.description) }
        if !rules.isEmpty { text += "; " + rules.joined(separator: ", ") }
        return text + (parameter.defaultValue.map { " (default: \($0.isEmpty ? "empty" : $0))" } ?? " (required)")
    }

    private static func inputLine(_ job: Job) -> String {
        job.defaultInput == nil ? "Input: --input PATH (required)" : "Input: --input PATH, or the job's sample data when none is given"
    }
}
