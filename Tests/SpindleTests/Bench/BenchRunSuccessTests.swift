@testable import Spindle
@testable import SpindleTools
import Testing

/// Reading a run's `_SUCCESS` record.
@Suite struct BenchRunSuccessTests {
    @Test func successRecordGivesStagesCountersAndPeakMemory() throws {
        let text = """
            {"job":"wordcount","workers":2,"counters":{"map.input.bytes":1048576,"shuffle.bytes":341414,"output.records":7},
             "seconds":0.5,"stages":[{"name":"map","seconds":0.25},{"name":"reduce","seconds":0.125}],
             "peakResidentBytes":{"coordinator":20000000,"workers":[30000000,31000000]}}
            """
        let run = try BenchRun.spindle(workers: 2, repeatIndex: 3, wallSeconds: 0.75, success: Array(text.utf8))
        #expect(run.kind == .spindle)
        #expect(run.workers == 2 && run.repeatIndex == 3 && run.wallSeconds == 0.75)
        #expect(run.jobSeconds == 0.5)
        #expect(run.stages == [.init(name: "map", seconds: 0.25), .init(name: "reduce", seconds: 0.125)])
        #expect(run.shuffleBytes == 341_414)
        #expect(run.inputBytes == 1_048_576)
        #expect(run.peakMemory == .init(coordinator: 20_000_000, workers: [30_000_000, 31_000_000]))
        #expect(run.peakMemory?.total == 81_000_000)
        #expect(run.peakMemory?.maxWorker == 31_000_000)
    }

    @Test func missingFieldsStayUnknown() throws {
        let run = try BenchRun.spindle(workers: 1, repeatIndex: 1, wallSeconds: 1, success: Array("{\"job\":\"checksum\"}".utf8))
        #expect(run.jobSeconds == nil && run.stages.isEmpty && run.shuffleBytes == nil && run.peakMemory == nil)
    }

    @Test(arguments: ["", "not json", "[1,2]"])
    func unreadableSuccessRecordIsAFailure(text: String) {
        #expect(throws: BenchFailure.self) {
            try BenchRun.spindle(workers: 1, repeatIndex: 1, wallSeconds: 1, success: Array(text.utf8))
        }
    }

    @Test func repeatedStageNamesAreSummed() {
        var run = BenchRun(kind: .spindle, workers: 1, repeatIndex: 1, wallSeconds: 1)
        run.stages = [.init(name: "step", seconds: 1), .init(name: "step", seconds: 2), .init(name: "load", seconds: 4)]
        #expect(run.secondsByStage == ["step": 3, "load": 4])
    }
}
