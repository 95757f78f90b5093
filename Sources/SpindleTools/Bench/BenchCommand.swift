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
            date: BenchFormat.utcDate(unixMilliseconds: WallClock.unixMilliseconds()), baselineCommand: settings.baselineCommand)
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
            SystemInfo.writeStandardError("spindle bench: wrote \(files.map(\.0).joined(separator: ", ")) to \(directory)\n")
        }
        return 0
    }

    /// Every run in order: per repeat the baseline (if any), then each worker count ascending, so that
    /// both see the same state of the machine (caches, temperature, other load).
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
