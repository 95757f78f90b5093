import Foundation
@testable import Spindle
import SpindlePosix
import Testing

/// With stderr not a terminal (a pipe, a file), progress is a line every few seconds, not a line per stage:
/// a job of many supersteps prints a number of lines that depends on its running time, not its supersteps.
@Suite struct ConsoleProgressTests {
    @Test func manySuperstepsPrintFewLines() throws {
        let dir = try TemporaryDirectory()
        try Data("1\t2\n2\t3\n3\t1\n".utf8).write(to: URL(fileURLWithPath: dir.file("g.txt")))
        let supersteps = 400
        let result = try SpindleProcess.run(
            ["run", "pagerank", "--input", dir.file("g.txt"), "--output", dir.file("out"), "--workers", "2", "--ui", "off",
             "--checkpoint-every", "0", "--param", "iterations=\(supersteps - 1)"],
            in: dir.path, timeout: .seconds(300))
        #expect(result.exitCode == 0, "stderr: \(result.stderr)")
        #expect(try JobOutput(directory: dir.file("out")).counters()["pregel.supersteps"] == supersteps)
        let lines = result.stderr.split(separator: "\n")
        // A line per 5 s of supersteps, and one when they end; before, one line per superstep.
        #expect(lines.count < 40, "\(result.stderr)")
        #expect(lines.last { $0.contains("supersteps ") }?.contains(" to \(supersteps - 1) done: ") == true, "\(result.stderr)")
        #expect(lines.contains { $0.hasPrefix("spindle: output done") })
    }

    @Test func numberedStagesAreRecognised() {
        #expect(ConsoleReporter.numbered("superstep 12")?.kind == "superstep")
        #expect(ConsoleReporter.numbered("superstep 12")?.number == 12)
        #expect(ConsoleReporter.numbered("map") == nil)
        #expect(ConsoleReporter.numbered("count lines") == nil)
    }

    @Test func skippedRecordsLineSaysHowManyAndWarnsWhenAllWere() {
        #expect(ConsoleReporter.skippedRecordsLine(counters: [("input.skipped.records", 0), ("map.input.records", 5)], skipBadRecords: false) == nil)
        #expect(ConsoleReporter.skippedRecordsLine(counters: [("input.skipped.records", 0), ("map.input.records", 5)], skipBadRecords: true)
            == "skipped 0 bad records (--skip-bad-records); 5 good records read")
        #expect(ConsoleReporter.skippedRecordsLine(counters: [("input.skipped.records", 3), ("graph.edges", 0)], skipBadRecords: true)
            == "warning: every input record was bad and skipped (3 bad records), so the output is empty; check the input's format")
    }
}
