@testable import Spindle
@testable import SpindleTools
import Testing

/// Speedup, efficiency, phases, memory and the baseline verdict computed from raw runs.
@Suite struct BenchReportTests {
    static let context = BenchReport.Context(
        job: "wordcount", inputs: ["corpus.txt"], repeats: 3, cores: 4, date: "2026-01-02 03:04 UTC", baselineCommand: "wc corpus.txt")

    static func spindle(
        _ workers: Int, _ seconds: Double, repeatIndex: Int = 1, stages: [(String, Double)] = [],
        shuffle: Int? = nil, coordinator: Int = 100, workerPeak: Int = 1000
    ) -> BenchRun {
        var run = BenchRun(kind: .spindle, workers: workers, repeatIndex: repeatIndex, wallSeconds: seconds)
        run.stages = stages.map { BenchRun.StageTime(name: $0.0, seconds: $0.1) }
        run.shuffleBytes = shuffle
        run.peakMemory = .init(coordinator: coordinator, workers: Array(repeating: workerPeak, count: workers))
        return run
    }

    static func baseline(_ seconds: Double, peak: Int? = 500, repeatIndex: Int = 1) -> BenchRun {
        var run = BenchRun(kind: .baseline, workers: nil, repeatIndex: repeatIndex, wallSeconds: seconds)
        run.peakMemory = peak.map { .init(process: $0) }
        return run
    }

    @Test func speedupAndEfficiencyUseMedianTimesRelativeToOneWorker() throws {
        let runs = [
            Self.spindle(1, 10), Self.spindle(1, 12, repeatIndex: 2), Self.spindle(1, 8, repeatIndex: 3),
            Self.spindle(2, 5), Self.spindle(2, 6, repeatIndex: 2), Self.spindle(2, 4, repeatIndex: 3),
            Self.spindle(4, 4),
        ]
        let report = BenchReport(context: Self.context, runs: runs)
        #expect(report.referenceWorkers == 1)
        #expect(report.rows.map(\.workers) == [1, 2, 4])
        #expect(report.rows.map(\.time.median) == [10, 5, 4])
        #expect(report.rows.map(\.speedup) == [1, 2, 2.5])
        #expect(report.rows.map(\.efficiency) == [1, 1, 0.625])
        #expect(report.rows[1].speedupRange == (10.0 / 6)...(10.0 / 4))
        #expect(report.baseline == nil)
        #expect(report.verdict == nil)
        #expect(report.rows.allSatisfy { $0.timeRatio == nil && $0.memoryRatio == nil })
    }

    @Test func withoutOneWorkerTheSmallestCountIsTheReference() {
        let report = BenchReport(context: Self.context, runs: [Self.spindle(4, 3), Self.spindle(2, 6)])
        #expect(report.referenceWorkers == 2)
        #expect(report.rows.map(\.speedup) == [1, 2])
        #expect(report.rows.map(\.efficiency) == [1, 1])
    }

    @Test func verdictNamesTheSmallestWorkerCountFasterThanTheBaseline() {
        let runs = [Self.baseline(3), Self.spindle(1, 10), Self.spindle(2, 5), Self.spindle(4, 2.9), Self.spindle(8, 1)]
        let report = BenchReport(context: Self.context, runs: runs)
        #expect(report.workersToBeatBaseline == 4)
        #expect(report.verdict == "Spindle needs 4 workers to beat the baseline")
        let expected: [Double?] = [10.0 / 3, 5.0 / 3, 2.9 / 3, 1.0 / 3]
        #expect(report.rows.map(\.timeRatio) == expected)
    }

    @Test func verdictSaysSoWhenNoWorkerCountBeatsTheBaseline() {
        let report = BenchReport(context: Self.context, runs: [Self.baseline(1), Self.spindle(1, 4), Self.spindle(2, 1)])
        #expect(report.workersToBeatBaseline == nil)
        #expect(report.verdict == "no worker count measured beats the baseline")
        #expect(report.text().hasSuffix("no worker count measured beats the baseline\n"))
    }

    @Test func oneWorkerBeatingTheBaselineIsSingular() {
        let report = BenchReport(context: Self.context, runs: [Self.baseline(2), Self.spindle(1, 1)])
        #expect(report.verdict == "Spindle needs 1 worker to beat the baseline")
    }

    @Test func memoryIsCoordinatorPlusWorkersAndComparedWithTheBaseline() throws {
        let runs = [Self.baseline(1, peak: 1000), Self.spindle(2, 1, coordinator: 100, workerPeak: 700)]
        let report = BenchReport(context: Self.context, runs: runs)
        let row = try #require(report.rows.first)
        #expect(row.coordinatorPeak == 100)
        #expect(row.maxWorkerPeak == 700)
        #expect(row.totalPeak == 1500)
        #expect(row.memoryRatio == 1.5)
        #expect(report.baseline?.peakBytes == 1000)
    }

    @Test func phasesAreMedianStageSecondsInTheOrderTheyRan() throws {
        let runs = [
            Self.spindle(1, 10, stages: [("map", 6), ("reduce", 3)], shuffle: 100),
            Self.spindle(1, 11, repeatIndex: 2, stages: [("map", 8), ("reduce", 2)], shuffle: 300),
        ]
        let report = BenchReport(context: Self.context, runs: runs)
        #expect(report.phaseColumns == [.init(phase: "map", repeated: false), .init(phase: "reduce", repeated: false)])
        let row = try #require(report.rows.first)
        #expect(row.phaseSeconds == ["map": 7, "reduce": 2.5])
        #expect(row.shuffleBytes == 200)
    }

    @Test func numberedStagesFormOnePhaseWithItsSumAndMeanPerStage() throws {
        let stages = [("load", 2.0), ("superstep 1", 1.0), ("superstep 2", 2.0), ("superstep 3", 3.0)]
        let report = BenchReport(context: Self.context, runs: [Self.spindle(2, 9, stages: stages)])
        #expect(report.phaseColumns == [.init(phase: "load", repeated: false), .init(phase: "superstep", repeated: true)])
        let row = try #require(report.rows.first)
        #expect(row.phaseSeconds == ["load": 2, "superstep": 6, "per superstep": 2])
        let text = report.text()
        #expect(text.contains("superstep (all)"))
        #expect(text.contains("per superstep"))
    }

    @Test(arguments: [
        ("superstep 12", "superstep"), ("superstep-3", "superstep"), ("map", "map"), ("round#7", "round"), ("42", "42"), ("pass 2b", "pass 2b"),
    ])
    func phaseOfAStageDropsATrailingNumber(stage: String, phase: String) {
        #expect(BenchReport.phase(ofStage: stage) == phase)
    }

    @Test func tableShowsEveryWorkerCountTheBaselineAndTheOversubscriptionNote() {
        let runs = [Self.baseline(2), Self.spindle(1, 10, stages: [("map", 6)]), Self.spindle(2, 5), Self.spindle(8, 1.5)]
        let text = BenchReport(context: Self.context, runs: runs).text()
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.first == "spindle bench wordcount: 3 runs per worker count, 4 cores, 2026-01-02 03:04 UTC")
        #expect(lines.contains("baseline: wc corpus.txt"))
        #expect(lines.contains { $0.hasPrefix("  1 ") && $0.contains("10.000") && $0.contains("1.00") && $0.hasSuffix("5.00") })
        #expect(lines.contains { $0.hasPrefix("  baseline ") && $0.contains("2.000") })
        #expect(lines.contains("note: this machine has 4 cores; numbers above 4 workers measure oversubscription, not scaling"))
        #expect(lines.last == "Spindle needs 8 workers to beat the baseline")
    }

    @Test func theFastestRunOfEachWorkerCountIsTheOneReported() {
        func run(_ workers: Int, _ seconds: Double, _ log: String?) -> BenchRun {
            var r = Self.spindle(workers, seconds)
            r.eventLog = log
            return r
        }
        let runs = [run(1, 10, "a"), run(2, 6, "b"), run(1, 9, "c"), run(2, 7, "d"), run(4, 3, nil), Self.baseline(2)]
        #expect(BenchCommand.fastestRuns(runs).map(\.eventLog) == ["c", "b"])
        #expect(BenchCommand.reportName(workers: 1) == "report-1-worker.html")
        #expect(BenchCommand.reportName(workers: 4) == "report-4-workers.html")
    }
}
