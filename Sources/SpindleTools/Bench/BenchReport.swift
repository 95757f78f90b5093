/// The results of a benchmark: per worker count the median time, speedup, efficiency, phases and
/// memory, and the comparison with the baseline. Pure: computed from the raw runs alone.
struct BenchReport: Sendable {
    /// What was measured, for headings and the raw-run files.
    struct Context: Sendable {
        /// The job's name.
        var job: String
        /// The `--input` values as given; empty for the job's sample data.
        var inputs: [String]
        /// Runs per worker count (and of the baseline).
        var repeats: Int
        /// The cores this machine offers the benchmark.
        var cores: Int
        /// When the benchmark ran, as shown to people.
        var date: String
        /// The baseline command, if any.
        var baselineCommand: String?
        /// The machine, for the plot's title; nil leaves it at the core count.
        var machine: BenchMachine? = nil
    }

    /// One column of the phase breakdown: a stage name, or a numbered family of stages such as supersteps.
    struct PhaseColumn: Equatable, Sendable {
        /// The stage name with any trailing number removed, e.g. `map` or `superstep`.
        let phase: String
        /// True when a run had several stages of this phase; the column then shows their sum.
        let repeated: Bool
    }

    /// The summary of one worker count.
    struct Row: Sendable {
        /// The `--workers` count.
        let workers: Int
        /// Wall time over the repeats.
        let time: SampleSummary
        /// T(reference) / T(n), with median times.
        let speedup: Double
        /// Speedup from the median reference time and this row's slowest and fastest run.
        let speedupRange: ClosedRange<Double>
        /// Speedup per worker relative to the reference: S(n) × reference / n.
        let efficiency: Double
        /// Median seconds per phase; for a repeated phase also `per <phase>` (its mean stage time).
        let phaseSeconds: [String: Double]
        /// Median bytes shuffled (counter `shuffle.bytes`).
        let shuffleBytes: Int?
        /// Median peaks: coordinator, largest worker, and all processes together.
        let coordinatorPeak: Int?, maxWorkerPeak: Int?, totalPeak: Int?
        /// T(n) / T(baseline), with median times; nil without a baseline.
        let timeRatio: Double?
        /// Peak memory of all processes / the baseline's peak; nil without both.
        let memoryRatio: Double?
    }

    /// The summary of the baseline command.
    struct BaselineRow: Sendable {
        /// Wall time over the repeats.
        let time: SampleSummary
        /// Median peak resident bytes, when measured.
        let peakBytes: Int?
    }

    /// What was measured.
    let context: Context
    /// Every raw run, in the order they ran.
    let runs: [BenchRun]
    /// The worker count speedups are relative to: 1 if measured, else the smallest.
    let referenceWorkers: Int
    /// One row per worker count, ascending.
    let rows: [Row]
    /// The baseline's row, when a baseline ran.
    let baseline: BaselineRow?
    /// The phase breakdown's columns, in the order the stages first ran.
    let phaseColumns: [PhaseColumn]

    /// Summarizes `runs`, which must hold at least one Spindle run.
    init(context: Context, runs: [BenchRun]) {
        self.context = context
        self.runs = runs
        let spindleRuns = runs.filter { $0.kind == .spindle }
        let byWorkers = Dictionary(grouping: spindleRuns, by: { $0.workers ?? 0 })
        let workerCounts = byWorkers.keys.sorted()
        precondition(!workerCounts.isEmpty, "a benchmark report needs at least one Spindle run")
        referenceWorkers = workerCounts.contains(1) ? 1 : workerCounts[0]

        let baselineRuns = runs.filter { $0.kind == .baseline }
        let baselineRow = SampleSummary(baselineRuns.map(\.wallSeconds)).map {
            BaselineRow(time: $0, peakBytes: SampleSummary.median(baselineRuns.compactMap { $0.peakMemory?.total }))
        }
        baseline = baselineRow
        phaseColumns = Self.phaseColumns(spindleRuns)

        let referenceTime = SampleSummary(byWorkers[referenceWorkers]!.map(\.wallSeconds))!.median
        let columns = phaseColumns
        let reference = referenceWorkers
        rows = workerCounts.map { n in
            let group = byWorkers[n]!
            let time = SampleSummary(group.map(\.wallSeconds))!
            let speedup = referenceTime / time.median
            let totalPeak = SampleSummary.median(group.compactMap { $0.peakMemory?.total })
            return Row(
                workers: n, time: time, speedup: speedup,
                speedupRange: (referenceTime / time.max)...(referenceTime / time.min),
                efficiency: speedup * Double(reference) / Double(n),
                phaseSeconds: Self.medianPhaseSeconds(group, columns: columns),
                shuffleBytes: SampleSummary.median(group.compactMap(\.shuffleBytes)),
                coordinatorPeak: SampleSummary.median(group.compactMap { $0.peakMemory?.coordinator }),
                maxWorkerPeak: SampleSummary.median(group.compactMap { $0.peakMemory?.maxWorker }),
                totalPeak: totalPeak,
                timeRatio: baselineRow.map { time.median / $0.time.median },
                memoryRatio: Self.ratio(totalPeak, baselineRow?.peakBytes))
        }
    }

    /// The smallest worker count whose median time is below the baseline's; nil when none is (or no baseline ran).
    var workersToBeatBaseline: Int? {
        rows.first { ($0.timeRatio ?? .infinity) < 1 }?.workers
    }

    /// "Spindle needs N workers to beat the baseline", or that none measured does; nil without a baseline.
    var verdict: String? {
        guard baseline != nil else { return nil }
        guard let n = workersToBeatBaseline else { return "no worker count measured beats the baseline" }
        return "Spindle needs \(n) worker\(n == 1 ? "" : "s") to beat the baseline"
    }

    /// The worker counts above the cores seen, which measure oversubscription rather than scaling.
    var oversubscribedWorkerCounts: [Int] {
        rows.map(\.workers).filter { $0 > context.cores }
    }

    // MARK: - Phases

    /// `name` without a trailing number: `superstep 12` and `superstep-3` give `superstep`; `map` stays `map`.
    static func phase(ofStage name: String) -> String {
        var text = Substring(name)
        while let last = text.last, last.isASCII, last.isNumber { text = text.dropLast() }
        guard text.count < name.count else { return name }
        while let last = text.last, last == " " || last == "-" || last == "_" || last == "#" { text = text.dropLast() }
        return text.isEmpty ? name : String(text)
    }

    /// The phases of `runs` in the order they first appear; repeated when some run had several stages of one phase.
    static func phaseColumns(_ runs: [BenchRun]) -> [PhaseColumn] {
        var order: [String] = []
        var repeated: Set<String> = []
        for run in runs {
            var counts: [String: Int] = [:]
            for stage in run.stages {
                let phase = phase(ofStage: stage.name)
                if !order.contains(phase) { order.append(phase) }
                counts[phase, default: 0] += 1
            }
            for (phase, count) in counts where count > 1 { repeated.insert(phase) }
        }
        return order.map { PhaseColumn(phase: $0, repeated: repeated.contains($0)) }
    }

    /// The key of a column in `Row.phaseSeconds`: the phase, and `per <phase>` for the mean of a repeated one.
    static func phaseKeys(_ column: PhaseColumn) -> [String] {
        column.repeated ? [column.phase, "per \(column.phase)"] : [column.phase]
    }

    /// Median over `runs` of each phase's total seconds, and of its mean stage time for repeated phases.
    static func medianPhaseSeconds(_ runs: [BenchRun], columns: [PhaseColumn]) -> [String: Double] {
        var samples: [String: [Double]] = [:]
        for run in runs {
            var total: [String: Double] = [:]
            var count: [String: Int] = [:]
            for stage in run.stages {
                let phase = phase(ofStage: stage.name)
                total[phase, default: 0] += stage.seconds
                count[phase, default: 0] += 1
            }
            for column in columns {
                guard let seconds = total[column.phase], let n = count[column.phase] else { continue }
                samples[column.phase, default: []].append(seconds)
                if column.repeated { samples["per \(column.phase)", default: []].append(seconds / Double(n)) }
            }
        }
        return samples.compactMapValues { SampleSummary.median($0) }
    }

    /// `a / b` when both are known and `b` is positive.
    static func ratio(_ a: Int?, _ b: Int?) -> Double? {
        guard let a, let b, b > 0 else { return nil }
        return Double(a) / Double(b)
    }
}
