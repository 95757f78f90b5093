import Spindle
import SpindleCore
import SpindlePosix

/// `spindle bench JOB ...`: runs the job at each worker count `--repeat` times (alternating with the
/// baseline, if any), prints the speedup table and optionally writes the raw runs and a plot.
///
/// Returns 0 when every run succeeded; usage errors throw `UsageError`, a failed run `BenchFailure`.
struct BenchCommand {
    /// The jobs of this executable, to check that a job without sample data gets `--input`.
    let registry: JobRegistry
    /// The command line, parsed against `ToolCommandSpecs.bench`.
    let arguments: ParsedArguments

    /// Runs the benchmark.
    func execute() throws -> Int32 {
        let cores = SystemInfo.cpuCount()
        let settings = try BenchSettings.parse(arguments, registry: registry, cores: cores)
        if let directory = settings.outputDirectory {
            do {
                try FileSystem.createDirectory(directory, intermediate: true)
            } catch {
                throw UsageError("cannot create --output-dir '\(directory)': \(error)")
            }
        }
        let context = BenchReport.Context(
            job: settings.job, inputs: settings.inputs, repeats: settings.repeats, cores: cores,
            date: BenchFormat.utcDate(unixMilliseconds: WallClock.unixMilliseconds()), baselineCommand: settings.baselineCommand,
            machine: BenchMachine.current(cores: cores))
        if let top = settings.workerCounts.last, top > cores {
            SystemInfo.writeStandardError(
                "spindle bench: warning: \(cores) core\(cores == 1 ? "" : "s") seen; numbers above \(cores) workers measure oversubscription, not scaling\n"
            )
        }

        let scratch = try FileSystem.makeTemporaryDirectory(prefix: "spindle-bench-")
        defer { try? FileSystem.removeTree(scratch) }
        let runner = BenchRunner(
            settings: settings, executable: SystemInfo.currentExecutablePath(), scratch: scratch, timeProgram: BenchRunner.findTimeProgram())
        let runs = try measure(settings, runner: runner)

        let report = BenchReport(context: context, runs: runs)
        let summary = report.text()
        SystemInfo.writeStandardOutput(Array(summary.utf8))
        if let directory = settings.outputDirectory {
            let files: [(String, String)] = [
                ("runs.csv", BenchRecords.csv(runs)),
                ("runs.json", BenchRecords.json(runs, context: context)),
                ("speedup.svg", SpeedupPlot(report: report).svg()),
                ("summary.txt", summary),
            ]
            for (name, text) in files { try FileSystem.writeFileAtomically("\(directory)/\(name)", Array(text.utf8)) }
            let reports = try writeReports(of: runs, to: directory)
            SystemInfo.writeStandardError("spindle bench: wrote \((files.map(\.0) + reports).joined(separator: ", ")) to \(directory)\n")
        }
        return 0
    }

    /// The name of the report of the fastest run with `workers` workers.
    static func reportName(workers: Int) -> String { "report-\(workers)-worker\(workers == 1 ? "" : "s").html" }

    /// The fastest run (least wall time) of each worker count that kept its event log, ascending by workers.
    static func fastestRuns(_ runs: [BenchRun]) -> [BenchRun] {
        var fastest: [Int: BenchRun] = [:]
        for run in runs where run.kind == .spindle && run.eventLog != nil {
            guard let workers = run.workers else { continue }
            if let best = fastest[workers], best.wallSeconds <= run.wallSeconds { continue }
            fastest[workers] = run
        }
        return fastest.keys.sorted().map { fastest[$0]! }
    }

    /// Writes the HTML report (as `spindle report` writes it) of the fastest run of each worker count into
    /// `directory`; returns the names written.
    /// - Throws: `BenchFailure` when a kept event log cannot be read as one.
    private func writeReports(of runs: [BenchRun], to directory: String) throws -> [String] {
        try Self.fastestRuns(runs).map { run in
            let name = Self.reportName(workers: run.workers ?? 0)
            let html: String
            do {
                html = try JobReport.html(eventLogs: [run.eventLog!])
            } catch {
                throw BenchFailure("bench: the event log of \(run.workers ?? 0) workers, run \(run.repeatIndex), gave no report: \(error)")
            }
            try FileSystem.writeFileAtomically("\(directory)/\(name)", Array(html.utf8))
            return name
        }
    }

    /// Every run in order: per repeat the baseline (if any), then each worker count ascending, so that
    /// both see the same state of the machine (caches, temperature, other load). Only the event logs of the
    /// fastest run per worker count so far are kept in the scratch directory.
    private func measure(_ settings: BenchSettings, runner: BenchRunner) throws -> [BenchRun] {
        var runs: [BenchRun] = []
        let perRepeat = settings.workerCounts.count + (settings.baselineCommand == nil ? 0 : 1)
        let total = settings.repeats * perRepeat
        for index in 1...settings.repeats {
            if settings.baselineCommand != nil {
                runs.append(try runner.runBaseline(repeatIndex: index))
                progress(runs.last!, done: runs.count, of: total)
            }
            for workers in settings.workerCounts {
                runs.append(try runner.runSpindle(workers: workers, repeatIndex: index))
                progress(runs.last!, done: runs.count, of: total)
                let kept = Set(Self.fastestRuns(runs).compactMap(\.eventLog))
                for i in runs.indices where runs[i].workers == workers && runs[i].eventLog.map({ !kept.contains($0) }) == true {
                    try? FileSystem.unlink(runs[i].eventLog!)
                    runs[i].eventLog = nil
                }
            }
        }
        return runs
    }

    private func progress(_ run: BenchRun, done: Int, of total: Int) {
        let what = run.workers.map { "\($0) worker\($0 == 1 ? "" : "s")" } ?? "baseline"
        SystemInfo.writeStandardError(
            "spindle bench: [\(done)/\(total)] \(what), run \(run.repeatIndex): \(BenchFormat.seconds(run.wallSeconds)) s\n")
    }
}
