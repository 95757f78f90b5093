import Spindle
import SpindleCore

/// What `spindle bench` measures, read and checked from its command line before anything runs.
struct BenchSettings: Equatable, Sendable {
    /// The job to run (unknown names are reported by the first `spindle run`).
    var job: String
    /// `--input` values passed to every run; empty for the job's sample data.
    var inputs: [String] = []
    /// The worker counts to measure, ascending and distinct. Default: 1, 2, 4, ... up to the cores, and the cores.
    var workerCounts: [Int]
    /// Runs per worker count (and of the baseline). Default 3.
    var repeats: Int = 3
    /// `--param K=V` values passed to every run, as `K=V`.
    var parameters: [String] = []
    /// Where `runs.csv`, `runs.json`, `speedup.svg`, `summary.txt` and the reports `report-N-workers.html` go; nil writes no files.
    var outputDirectory: String? = nil
    /// The baseline command run with `/bin/sh -c`; nil for none.
    var baselineCommand: String? = nil
    /// Extra arguments appended to every `spindle run` (`--run-arg=ARG`).
    var extraRunArguments: [String] = []

    /// The most workers one benchmark run may start, as for `spindle run`.
    static let maxWorkers = 1024

    /// Reads `arguments` (parsed against `ToolCommandSpecs.bench`).
    /// - Throws: `UsageError` for a missing job, a bad `--workers` list, `--repeat` below 1, a malformed
    ///   `--param`, an empty `--baseline`, or no `--input` for a job of `registry` that has no default input.
    static func parse(_ arguments: ParsedArguments, registry: JobRegistry, cores: Int) throws(UsageError) -> BenchSettings {
        guard let job = arguments.positionals.first else { throw UsageError("missing argument JOB for 'spindle bench'") }
        let inputs = arguments.values("input")
        if inputs.isEmpty, let known = registry.job(named: job), known.defaultInput == nil {
            throw UsageError("job '\(job)' needs --input PATH (a file, directory or glob)")
        }
        let counts = try arguments.intList("workers", default: defaultWorkerCounts(cores: cores))
        var seen = Set<Int>()
        for n in counts {
            guard (1...maxWorkers).contains(n) else {
                throw UsageError("invalid value '\(n)' in '--workers': worker counts must be in 1...\(maxWorkers)")
            }
            guard seen.insert(n).inserted else { throw UsageError("worker count \(n) is listed twice in '--workers'") }
        }
        var settings = BenchSettings(job: job, workerCounts: counts.sorted())
        settings.inputs = inputs
        settings.repeats = try arguments.int("repeat", default: 3, range: 1...1000)
        settings.parameters = try arguments.keyValues("param").map { "\($0.key)=\($0.value)" }
        settings.outputDirectory = arguments.value("output-dir")
        if let command = arguments.value("baseline") {
            guard command.contains(where: { !$0.isWhitespace }) else { throw UsageError("'--baseline' needs a command") }
            settings.baselineCommand = command
        }
        settings.extraRunArguments = arguments.values("run-arg")
        return settings
    }

    /// 1, 2, 4, ... below `cores`, then `cores` itself: `[1, 2]` for 2 cores, `[1, 2, 4, 6]` for 6.
    static func defaultWorkerCounts(cores: Int) -> [Int] {
        var counts: [Int] = []
        var n = 1
        while n < cores {
            counts.append(n)
            n *= 2
        }
        counts.append(max(1, cores))
        return counts
    }

    /// The arguments of one `spindle run` (after the executable) at `workers`, writing to `output`.
    func spindleRunArguments(workers: Int, output: String, eventLog: String) -> [String] {
        var arguments = ["run", job]
        for input in inputs { arguments += ["--input", input] }
        arguments += ["--workers", String(workers), "--output", output, "--overwrite", "--quiet", "--event-log", eventLog]
        for parameter in parameters { arguments += ["--param", parameter] }
        return arguments + extraRunArguments
    }
}
