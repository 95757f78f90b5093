/// One measured run of the benchmark: a `spindle run` at some worker count, or the baseline command.
struct BenchRun: Equatable, Sendable {
    /// What was run.
    enum Kind: String, Equatable, Sendable {
        /// `spindle run JOB --workers N`.
        case spindle
        /// The single-threaded reference command (`--baseline`).
        case baseline
    }

    /// The time one stage of a job took, as `_SUCCESS` reports it.
    struct StageTime: Equatable, Sendable {
        /// The stage's name, e.g. `map` or `reduce`.
        let name: String
        /// Seconds from the stage's first task start to its last commit.
        let seconds: Double
    }

    /// Peak resident memory of the processes of one run, in bytes.
    struct PeakMemory: Equatable, Sendable {
        /// The coordinator's peak; nil for the baseline (one process, counted in `total`).
        let coordinator: Int?
        /// Each worker's peak; empty for the baseline.
        let workers: [Int]
        /// The sum over all processes of the run.
        let total: Int

        /// A Spindle run's memory: coordinator plus workers.
        init(coordinator: Int, workers: [Int]) {
            self.coordinator = coordinator
            self.workers = workers
            self.total = coordinator + workers.reduce(0, +)
        }

        /// The baseline's memory: one process tree measured as a whole.
        init(process: Int) {
            self.coordinator = nil
            self.workers = []
            self.total = process
        }

        /// The largest worker peak; nil when there are no workers.
        var maxWorker: Int? { workers.max() }
    }

    /// Spindle run or baseline.
    let kind: Kind
    /// The `--workers` count; nil for the baseline.
    let workers: Int?
    /// Which repetition this is, counting from 1.
    let repeatIndex: Int
    /// Wall time around the whole child process, process start and exit included.
    let wallSeconds: Double
    /// The job's own elapsed time from `_SUCCESS` (`seconds`); nil for the baseline.
    var jobSeconds: Double? = nil
    /// Per-stage times from `_SUCCESS`, in the order the job ran them.
    var stages: [StageTime] = []
    /// Bytes moved from maps to reducers (counter `shuffle.bytes`), when reported.
    var shuffleBytes: Int? = nil
    /// Bytes read by the maps (counter `map.input.bytes`), when reported.
    var inputBytes: Int? = nil
    /// Peak resident memory, when it could be measured.
    var peakMemory: PeakMemory? = nil
    /// The run's event log, kept in the benchmark's scratch directory; nil for the baseline.
    var eventLog: String? = nil

    /// Seconds per stage name, summing stages that share a name (e.g. a repeated superstep name).
    var secondsByStage: [String: Double] {
        var result: [String: Double] = [:]
        for stage in stages { result[stage.name, default: 0] += stage.seconds }
        return result
    }
}
