import Foundation
import SpindlePosix
import Testing

/// Bad input fails every attempt the same way, so the job fails at the first one, naming `file:line`, with
/// exit code 2 (as for bad arguments); `--skip-bad-records` still skips and counts.
@Suite struct BadInputFirstAttemptTests {
    private func attemptsFailed(_ dir: TemporaryDirectory) -> [[String: Any]] {
        EventLogReader(path: dir.file("events.jsonl")).events(named: "attempt_failed")
    }

    @Test func aMalformedEdgeLineFailsPageRankAtTheFirstAttempt() throws {
        let dir = try TemporaryDirectory()
        let input = dir.file("g.txt")
        try Data("1 2\n2 3\n3 x\n3 1\n".utf8).write(to: URL(fileURLWithPath: input))
        let result = try SpindleProcess.run(
            [
                "run", "pagerank", "--input", input, "--output", dir.file("out"), "--workers", "2", "--max-attempts", "4",
                "--event-log", dir.file("events.jsonl"),
            ],
            in: dir.path)
        #expect(result.exitCode == 2, "stderr: \(result.stderr)")
        #expect(result.stderr.contains("malformed edge at \(input):3: 'x' is not an integer"), "stderr: \(result.stderr)")
        #expect(attemptsFailed(dir).count == 1, "not retried: \(attemptsFailed(dir))")
        #expect(attemptsFailed(dir).first?["fatal"] as? Bool == true)
        #expect(!FileSystem.exists(dir.file("out/_SUCCESS")))
    }

    @Test func aLineOverMaxRecordFailsWordCountAtTheFirstAttempt() throws {
        let dir = try TemporaryDirectory()
        let input = dir.file("in.txt")
        try Data(("a b\n" + String(repeating: "y", count: 3000) + "\nc\n").utf8).write(to: URL(fileURLWithPath: input))
        let result = try SpindleProcess.run(
            [
                "run", "wordcount", "--input", input, "--output", dir.file("out"), "--workers", "1", "--max-record", "1KiB",
                "--event-log", dir.file("events.jsonl"),
            ],
            in: dir.path)
        #expect(result.exitCode == 2, "stderr: \(result.stderr)")
        #expect(result.stderr.contains("the line at \(input) byte 4 is 3000 bytes, longer than --max-record"), "stderr: \(result.stderr)")
        #expect(attemptsFailed(dir).count == 1, "not retried: \(attemptsFailed(dir))")
    }

    /// A negative weight has no shortest path (a negative cycle once ran 10,000 supersteps to "succeed").
    @Test func aNegativeWeightIsAMalformedRecordForShortestPaths() throws {
        let dir = try TemporaryDirectory()
        let input = dir.file("g.txt")
        try Data("# weighted\n1 2 1.5\n2 3 -3\n3 1 1\n".utf8).write(to: URL(fileURLWithPath: input))
        let result = try SpindleProcess.run(
            [
                "run", "sssp", "--input", input, "--output", dir.file("out"), "--workers", "2", "--param", "source=1",
                "--event-log", dir.file("events.jsonl"),
            ],
            in: dir.path)
        #expect(result.exitCode == 2, "stderr: \(result.stderr)")
        #expect(
            result.stderr.contains(
                "malformed edge at \(input):3: negative weight -3.0 (sssp needs weights of 0 or more); fix the line or pass --skip-bad-records"),
            "stderr: \(result.stderr)")
        #expect(attemptsFailed(dir).count == 1)
        #expect(!FileSystem.exists(dir.file("out/_SUCCESS")))

        let skipped = try SpindleProcess.run(
            ["run", "sssp", "--input", input, "--output", dir.file("out2"), "--workers", "1", "--param", "source=1", "--skip-bad-records"],
            in: dir.path)
        #expect(skipped.exitCode == 0, "stderr: \(skipped.stderr)")
        let output = JobOutput(directory: dir.file("out2"))
        #expect(try output.counters()["input.skipped.records"] == 1)
        #expect(try output.lines().sorted() == ["1\t0", "2\t1.5", "3\tinf"])
    }
}

