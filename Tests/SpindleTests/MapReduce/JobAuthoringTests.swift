import Foundation
import SpindleCore
import Testing
@testable import Spindle

/// What a job author writes, run in-process: map-only jobs without a reduce, `write` with numbers and any
/// `OutputField`, and `record.lineNumber` with and without `lineNumbers: true`.
@Suite struct JobAuthoringTests {
    /// Runs `job` in-process with 2 workers on `lines` (one input file in `dir`, in splits of `splitSize`); its
    /// output goes to `dir/out`.
    private func run(
        _ job: Job, lines: [String], _ extra: [String] = [], splitSize: String = "64", in dir: TemporaryDirectory
    ) throws -> (JobOutcome, JobOutput) {
        try (lines.joined(separator: "\n") + "\n").write(toFile: dir.file("in.txt"), atomically: false, encoding: .utf8)
        let outcome = try InProcessCluster.run(
            registry: JobRegistry(jobs: [job]),
            arguments: InProcessRun.adjusted([job.name, "--input", dir.file("in.txt"), "--output", dir.file("out"), "--split-size", splitSize] + extra), workers: 2)
        return (outcome, JobOutput(directory: dir.file("out")))
    }

    private let input = (1...40).map { "line \($0) of the input" }

    @Test func mapOnlyJobsNeedNoReduce() throws {
        let dir = try TemporaryDirectory()
        defer { withExtendedLifetime(dir) {} }
        let dir2 = try TemporaryDirectory()
        defer { withExtendedLifetime(dir2) {} }
        let closures = MapReduceJob<String, Int>(
            name: "lengths", summary: "line lengths",
            map: { record, output in output.emit(record.text, record.bytes.count) })
        let perTask = MapReduceJob<String, String>(
            name: "upper", summary: "upper case",
            makeMap: { _ in { record, output in output.emit(record.text, record.text.uppercased()) } },
            formatValue: { $0 })
        let (lengthOutcome, lengths) = try run(closures.job, lines: input, in: dir)
        #expect(lengthOutcome == .succeeded)
        #expect(try lengths.lines() == input.map { "\($0)\t\($0.utf8.count)" })
        let (upperOutcome, upper) = try run(perTask.job, lines: input, in: dir2)
        #expect(upperOutcome == .succeeded)
        #expect(try upper.lines() == input.map { "\($0)\t\($0.uppercased())" })
        #expect(upper.partFiles.count > 1, "each map task writes its own part file")
    }

    @Test func reduceWritesNumbersBoolsAndTextAsFields() throws {
        let dir = try TemporaryDirectory()
        defer { withExtendedLifetime(dir) {} }
        let job = MapReduceJob<String, Int64>(
            name: "fields", summary: "fields of every kind",
            map: { record, output in output.emit(String(record.text.prefix(6)), 1) },
            combine: { $0 += $1 },
            reduce: { key, counts, output in
                var n: Int64 = 0
                for count in counts { n += count }
                try output.write(key, n, Double(n) / 4, Float(n) / 8, n > 10, key.split(separator: " ")[0], "tab\there", UInt8(7))
            })
        let (outcome, output) = try run(job.job, lines: input, in: dir)
        #expect(outcome == .succeeded)
        let lines = try output.lines().sorted()
        #expect(lines.contains("line 1\t11\t2.75\t1.375\ttrue\tline\ttab\\there\t7"))  // "line 1" and "line 1x" for 10...19
        #expect(lines.contains("line 4\t2\t0.5\t0.25\tfalse\tline\ttab\\there\t7"))  // "line 4" and "line 40"
        #expect(lines.count == 9)
    }

    @Test func doublesWrittenByReduceReadBackBitForBit() throws {
        let dir = try TemporaryDirectory()
        defer { withExtendedLifetime(dir) {} }
        var rng = SplitMix(seed: 99)
        let values = (0..<500).map { _ in Double(bitPattern: rng.next()) }.filter { !$0.isNaN } + [0.1, -0.0, 1e-300, .infinity]
        let job = MapReduceJob<Int, Double>(
            name: "doubles", summary: "write doubles",
            map: { record, output in
                let fields = record.text.split(separator: " ")
                output.emit(Int(fields[0])!, Double(bitPattern: UInt64(fields[1])!))
            },
            reduce: { index, values, output in
                for value in values { try output.write(index, value) }
            })
        let (outcome, output) = try run(
            job.job, lines: values.enumerated().map { "\($0.offset) \($0.element.bitPattern)" }, splitSize: "4KiB", in: dir)
        #expect(outcome == .succeeded)
        var read: [Int: Double] = [:]
        for line in try output.lines() {
            let fields = line.split(separator: "\t")
            read[Int(fields[0])!] = Double(String(fields[1]))
        }
        #expect(read.count == values.count)
        for (index, value) in values.enumerated() {
            #expect(read[index]?.bitPattern == value.bitPattern, "value \(index): \(value) read back as \(String(describing: read[index]))")
        }
    }

    @Test func lineNumbersAreCountedWhenTheJobAsks() throws {
        let dir = try TemporaryDirectory()
        defer { withExtendedLifetime(dir) {} }
        let job = MapReduceJob<String, Int>(
            name: "numbered", summary: "line numbers", lineNumbers: true,
            map: { record, output in output.emit(record.text, try record.lineNumber) })
        let (outcome, output) = try run(job.job, lines: input, in: dir)
        #expect(outcome == .succeeded)
        #expect(try output.lines() == input.enumerated().map { "\($0.element)\t\($0.offset + 1)" })
    }

    @Test func readingLineNumberWithoutLineNumbersFailsTheTaskSayingWhatToSet() throws {
        let dir = try TemporaryDirectory()
        defer { withExtendedLifetime(dir) {} }
        let job = MapReduceJob<String, Int>(
            name: "unnumbered", summary: "line numbers not asked for",
            map: { record, output in output.emit(record.text, try record.lineNumber) })
        let (outcome, output) = try run(job.job, lines: input, ["--max-attempts", "1"], in: dir)
        guard case .failed(let error) = outcome else {
            Issue.record("the job should fail, got \(outcome)")
            return
        }
        #expect(error.message.contains("record.lineNumber was read at"))
        #expect(error.message.contains("`lineNumbers: true`"))
        #expect(!output.succeeded)
    }
}
