import Foundation
@testable import Spindle
import SpindleCore
import SpindleJobs
import SpindlePosix
import Testing

/// Parameters are checked by what they mean, before any worker starts (exit 2, one line), and a parameter
/// the input cannot satisfy fails the job with a sentence naming it.
@Suite struct ParameterValidationTests {
    static func expectRefused(_ arguments: [String], _ message: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let dir = try TemporaryDirectory()
        try Data("1\t2\n".utf8).write(to: URL(fileURLWithPath: dir.file("g.txt")))
        let result = try SpindleProcess.run(
            arguments + ["--input", dir.file("g.txt"), "--output", dir.file("out"), "--workers", "1", "--ui", "off"], in: dir.path, timeout: .seconds(60))
        #expect(result.exitCode == 2, "stderr: \(result.stderr)", sourceLocation: sourceLocation)
        #expect(result.stderr.contains(message), "stderr: \(result.stderr)", sourceLocation: sourceLocation)
        #expect(result.stderr.split(separator: "\n").count == 1, "no worker started: \(result.stderr)", sourceLocation: sourceLocation)
        #expect(!FileSystem.exists(dir.file("out")), sourceLocation: sourceLocation)
    }

    @Test(arguments: ["0", "1", "1.5", "-0.2"])
    func dampingOutsideTheOpenUnitIntervalIsRefused(damping: String) throws {
        try Self.expectRefused(
            ["run", "pagerank", "--param", "damping=\(damping)"],
            "parameter 'damping' of job 'pagerank' must be between 0 and 1, both excluded, got \(damping)")
    }

    @Test func negativeToleranceIsRefused() throws {
        try Self.expectRefused(["run", "pagerank", "--param", "tolerance=-1"], "parameter 'tolerance' of job 'pagerank' must be at least 0, got -1")
    }

    @Test func repeatedParameterIsRefused() throws {
        try Self.expectRefused(
            ["run", "pagerank", "--param", "iterations=3", "--param", "iterations=5"],
            "parameter 'iterations' of job 'pagerank' is given twice ('iterations=3' and 'iterations=5'); give it once")
    }

    @Test func zeroMaxRecordIsRefused() throws {
        try Self.expectRefused(["run", "wordcount", "--max-record", "0"], "--max-record must be at least 1 byte")
    }

    @Test func conditionsAcceptWhatTheyDescribe() throws {
        let damping = JobParameter("damping", .double, default: "0.85", help: "", condition: .between(0, 1))
        let resolved = try JobParameters.resolve([damping], given: [("damping", "0.5")], job: "j")
        #expect(resolved.double("damping") == 0.5)
        #expect(try JobParameters.resolve([damping], given: [], job: "j").double("damping") == 0.85)
        for bad in ["0", "1", "1e9"] {
            #expect(throws: UsageError.self) { try JobParameters.resolve([damping], given: [("damping", bad)], job: "j") }
        }
        #expect(JobParameter.Condition.atLeast(0).holds("0") && !JobParameter.Condition.atLeast(0).holds("-0.001"))
    }

    @Test func ssspSourceNotInTheGraphFailsNamingIt() throws {
        let dir = try TemporaryDirectory()
        try Data("1\t2\n2\t3\n".utf8).write(to: URL(fileURLWithPath: dir.file("g.txt")))
        let result = try SpindleProcess.run(
            ["run", "sssp", "--input", dir.file("g.txt"), "--output", dir.file("out"), "--workers", "2", "--ui", "off", "--param", "source=7"],
            in: dir.path)
        #expect(result.exitCode == 2, "stderr: \(result.stderr)")
        #expect(result.stderr.contains("the source vertex 7 is not in the graph (3 vertices); pass --param source=ID"), "\(result.stderr)")
        #expect(!FileSystem.exists(dir.file("out/_SUCCESS")))
        let found = try SpindleProcess.run(
            ["run", "sssp", "--input", dir.file("g.txt"), "--output", dir.file("out2"), "--workers", "2", "--ui", "off", "--param", "source=2"],
            in: dir.path)
        #expect(found.exitCode == 0, "stderr: \(found.stderr)")
        #expect(Set(try JobOutput(directory: dir.file("out2")).lines()) == ["1\tinf", "2\t0", "3\t1"])
    }

    /// The default source is a vertex of the bundled sample graph with edges out of it.
    @Test func ssspDefaultSourceIsInTheSampleGraph() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let text = try String(contentsOf: root.appendingPathComponent("Datasets/sample-graph.txt"), encoding: .utf8)
        let sources = text.split(separator: "\n").filter { !$0.hasPrefix("#") }.compactMap { $0.split(whereSeparator: { $0 == "\t" || $0 == " " }).first }
        let source = try #require(ShortestPaths.job.parameters.first { $0.name == "source" }?.defaultValue)
        #expect(source == String(ShortestPaths.sampleSource))
        #expect(sources.filter { $0 == source }.count > 100)
    }

    @Test func generateGraphNeedsNoRmatFlag() throws {
        let dir = try TemporaryDirectory()
        let result = try SpindleProcess.run(["generate", "graph", "--scale", "4", "--edge-factor", "2", dir.file("g.txt")], in: dir.path)
        #expect(result.exitCode == 0, "stderr: \(result.stderr)")
        let withFlag = try SpindleProcess.run(["generate", "graph", "--rmat", "--scale", "4", "--edge-factor", "2", dir.file("h.txt")], in: dir.path)
        #expect(withFlag.exitCode == 0)
        #expect(try FileSystem.readFile(dir.file("g.txt")) == FileSystem.readFile(dir.file("h.txt")))
        let mixed = try SpindleProcess.run(["generate", "text", "--scale", "4", dir.file("t.txt")], in: dir.path)
        #expect(mixed.exitCode == 2)
        #expect(mixed.stderr.contains("option '--scale' is for graphs, not text"), "\(mixed.stderr)")
    }

    @Test func moreWorkersThanCoresWarns() throws {
        let dir = try TemporaryDirectory()
        try Data("hello\n".utf8).write(to: URL(fileURLWithPath: dir.file("in.txt")))
        let workers = SystemInfo.cpuCount() + 1
        let result = try SpindleProcess.run(
            ["run", "wordcount", "--input", dir.file("in.txt"), "--output", dir.file("out"), "--workers", "\(workers)", "--ui", "off"], in: dir.path)
        #expect(result.exitCode == 0, "stderr: \(result.stderr)")
        #expect(result.stderr.contains("warning: --workers \(workers) is more than the \(workers - 1) core"), "\(result.stderr)")
        let fitting = try SpindleProcess.run(
            ["run", "wordcount", "--input", dir.file("in.txt"), "--output", dir.file("out2"), "--workers", "1", "--ui", "off"], in: dir.path)
        #expect(!fitting.stderr.contains("warning"), "\(fitting.stderr)")
    }
}
