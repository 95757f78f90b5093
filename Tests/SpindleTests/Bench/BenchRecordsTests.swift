import Foundation
@testable import Spindle
@testable import SpindleTools
import Testing

/// `runs.csv` and `runs.json`: every raw run, readable by other tools.
@Suite struct BenchRecordsTests {
    static let runs = [
        BenchReportTests.baseline(2.5, peak: 4096),
        BenchReportTests.spindle(2, 5.25, stages: [("map", 3), ("reduce, final", 1.5)], shuffle: 1234, coordinator: 10, workerPeak: 20),
    ]

    @Test(arguments: [
        ("plain", "plain"), ("a,b", "\"a,b\""), ("say \"hi\"", "\"say \"\"hi\"\"\""), ("two\nlines", "\"two\nlines\""), ("cr\r", "\"cr\r\""),
        ("", ""),
    ])
    func csvFieldsAreQuotedOnlyWhenNeeded(field: String, expected: String) {
        #expect(BenchRecords.csvField(field) == expected)
    }

    @Test func csvHasAHeaderAndOneLinePerRunWithStageColumns() {
        let lines = BenchRecords.csv(Self.runs).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.count == 4)  // header, two runs, and the empty string after the final newline
        #expect(
            lines[0] == "kind,workers,repeat,wall_seconds,job_seconds,map_seconds,\"reduce, final_seconds\",shuffle_bytes,input_bytes,"
                + "peak_coordinator_bytes,peak_max_worker_bytes,peak_total_bytes,peak_worker_bytes")
        #expect(lines[1] == "baseline,,1,2.5,,,,,,,,4096,")
        #expect(lines[2] == "spindle,2,1,5.25,,3.0,1.5,1234,,10,20,50,20;20")
        #expect(lines[3].isEmpty)
    }

    @Test func jsonParsesAndHoldsEveryRun() throws {
        let context = BenchReportTests.context
        let text = BenchRecords.json(Self.runs, context: context)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(object["job"] as? String == "wordcount")
        #expect(object["baseline"] as? String == "wc corpus.txt")
        let runs = try #require(object["runs"] as? [[String: Any]])
        #expect(runs.count == 2)
        #expect(runs[0]["kind"] as? String == "baseline")
        #expect(runs[0]["workers"] is NSNull)
        #expect((runs[1]["workers"] as? NSNumber)?.intValue == 2)
        #expect((runs[1]["wallSeconds"] as? NSNumber)?.doubleValue == 5.25)
        let peak = try #require(runs[1]["peakResidentBytes"] as? [String: Any])
        #expect((peak["total"] as? NSNumber)?.intValue == 50)
        let stages = try #require(runs[1]["stages"] as? [[String: Any]])
        #expect(stages.map { $0["name"] as? String } == ["map", "reduce, final"])
    }
}
