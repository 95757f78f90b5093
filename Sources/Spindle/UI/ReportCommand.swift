import SpindleCore
import SpindlePosix

/// `spindle report EVENTLOG [EVENTLOG2] [--output FILE]`: writes one self-contained HTML file with the
/// UI's pages for a finished, failed or running job, or a side-by-side comparison of two runs.
/// Returns 0 when written; usage errors (a bad log line, named `FILE:LINE`) throw.
enum ReportCommand {
    static func execute(_ arguments: ParsedArguments) throws -> Int32 {
        let logs = arguments.positionals
        guard !logs.isEmpty else { throw UsageError("missing argument EVENTLOG for '\(ProgramName.current) report'") }
        guard logs.count <= 2 else { throw UsageError("'\(ProgramName.current) report' takes one event log, or two to compare; got \(logs.count)") }
        let output = arguments.value("output") ?? "report.html"
        let resolvedOutput = FileSystem.absolutePath(output)
        if logs.contains(where: { FileSystem.absolutePath($0) == resolvedOutput }) {
            throw UsageError("--output '\(output)' is one of the event logs, which the report would overwrite; choose another file")
        }
        if FileSystem.exists(output) && !arguments.flag("overwrite") {
            throw UsageError("'\(output)' already exists; remove it, choose another --output or pass --overwrite")
        }
        if FileSystem.isDirectory(output) { throw UsageError("--output '\(output)' is a directory; give the path of a file to write") }
        let models = try JobReport.models(eventLogs: logs)
        let html = JobReport.html(models)
        try FileSystem.writeFileAtomically(output, Array(html.utf8))
        SystemInfo.writeStandardError(
            "\(ProgramName.current): wrote \(output) (\(models.count == 2 ? "a comparison of two runs" : "job \(models[0].job), \(models[0].state.rawValue)"))\n")
        return 0
    }
}
