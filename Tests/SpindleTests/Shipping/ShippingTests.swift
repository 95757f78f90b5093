import Foundation
import SpindlePosix
import Testing

/// Workers that do not share the coordinator's files (told so with `SPINDLE_TEST_STORAGE`, or forced with
/// `--ship-input` / `--ship-output`) read their input through the coordinator and send their part files back;
/// the output equals the sequential reference, and only the coordinator writes in the output directory.
/// (`SharedNothingClusterTests` runs the same without the hook, on hosts whose files really differ.)
@Suite(.serialized) struct ShippingTests {
    private let secret = ["SPINDLE_SECRET": "correct horse battery staple"]

    private func writeText(_ dir: TemporaryDirectory) throws -> [String] {
        try FileManager.default.createDirectory(atPath: dir.file("in"), withIntermediateDirectories: true)
        var paths: [String] = []
        for f in 0..<3 {
            var text = ""
            for i in 0..<(4_000 + 1_000 * f) { text += "w\(i % 997) x\(i % 13) Word\(i % 101) \(f)\n" }
            let path = dir.file("in/doc-\(f).txt")
            try text.write(toFile: path, atomically: false, encoding: .utf8)
            paths.append(path)
        }
        return paths
    }

    private func expectWordCount(_ dir: TemporaryDirectory, input: [String]) throws {
        let expected = try MapReduceOracle.wordCount(input, lowercase: false).sorted()
        #expect(try JobOutput(directory: dir.file("out")).lines().sorted() == expected)
        #expect(FileManager.default.fileExists(atPath: dir.file("out/_SUCCESS")))
        #expect(!FileManager.default.fileExists(atPath: dir.file("out/_temporary")))
    }

    @Test func blindLocalWorkersShipTheirInputAndOutputAndWordCountIsExact() throws {
        let dir = try TemporaryDirectory()
        let input = try writeText(dir)
        let result = try SpindleProcess.run(
            [
                "run", "wordcount", "--input", dir.file("in"), "--output", dir.file("out"), "--workers", "2", "--split-size", "16KiB", "--reducers",
                "4",
                "--event-log", dir.file("events.jsonl"), "--ui", "off",
            ],
            environment: ["SPINDLE_TEST_STORAGE": "no-input,no-output"], in: dir.path)
        #expect(result.exitCode == 0, "stderr: \(result.stderr)")
        try expectWordCount(dir, input: input)
        let shipped = try #require(EventLogReader(path: dir.file("events.jsonl")).events(named: "shipping_done").first)
        #expect((shipped["input_bytes"] as? Int ?? 0) >= input.reduce(0) { $0 + ((try? FileSystem.fileSize($1)) ?? 0) }, "\(shipped)")
        #expect((shipped["files_received"] as? Int ?? 0) >= 4, "\(shipped)")
    }

    @Test func aBlindAndASightedRemoteWorkerShareOneJob() throws {
        let dir = try TemporaryDirectory()
        let input = try writeText(dir)
        let coordinator = try SpindleProcess.start(
            [
                "run", "wordcount", "--input", dir.file("in"), "--output", dir.file("out"), "--listen", "127.0.0.1:0", "--expect-workers", "2",
                "--split-size", "8KiB", "--reducers", "5", "--event-log", dir.file("events.jsonl"), "--ui", "off",
            ],
            environment: secret, in: dir.path, name: "coordinator")
        let log = EventLogReader(path: dir.file("events.jsonl"))
        #expect(eventually(within: .seconds(20)) { log.listenAddress() != nil })
        let address = try #require(log.listenAddress())
        let blind = try SpindleProcess.start(
            ["worker", "--coordinator", address], environment: secret.merging(["SPINDLE_TEST_STORAGE": "no-input,no-output"]) { $1 }, in: dir.path,
            name: "blind")
        let sighted = try SpindleProcess.start(["worker", "--coordinator", address], environment: secret, in: dir.path, name: "sighted")
        let result = try coordinator.finish()
        #expect(result.exitCode == 0, "stderr: \(result.stderr)")
        try expectWordCount(dir, input: input)
        let blindResult = try blind.finish(timeout: .seconds(10))
        let sightedResult = try sighted.finish(timeout: .seconds(10))
        #expect(blindResult.exitCode == 0 && sightedResult.exitCode == 0)
        #expect(blindResult.stderr.contains("shipped inputs, shipped output"), "stderr: \(blindResult.stderr)")
        #expect(!sightedResult.stderr.contains("shipped"), "stderr: \(sightedResult.stderr)")
        // Both took part: the blind worker's attempts committed too (their part files came over the wire).
        let committers = Set(log.events(named: "attempt_committed").compactMap { $0["worker"] as? Int })
        #expect(committers.count == 2, "\(committers)")
        #expect(log.events(named: "shipping_done").count == 1)
    }

    @Test func forcedShippingRunsPageRankExactly() throws {
        let dir = try TemporaryDirectory()
        let edges = GraphFixtures.rmat(scale: 8, edgeFactor: 8, seed: 21, extremeIds: true)
        let a = try GraphFixtures.write(GraphFixtures.snapText(Array(edges[..<(edges.count / 2)]), title: "a"), to: dir.file("g/a.txt"))
        let b = try GraphFixtures.write(GraphFixtures.snapText(Array(edges[(edges.count / 2)...]), title: "b"), to: dir.file("g/b.txt"))
        let result = try SpindleProcess.run(
            [
                "run", "pagerank", "--input", dir.file("g"), "--output", dir.file("out"), "--workers", "2", "--split-size", "16KiB", "--partitions",
                "5",
                "--ship-input", "--ship-output", "--event-log", dir.file("events.jsonl"), "--ui", "off",
            ],
            in: dir.path)
        #expect(result.exitCode == 0, "stderr: \(result.stderr)")
        // Every input byte went through the coordinator, and every part file came back through it.
        let shipped = try #require(EventLogReader(path: dir.file("events.jsonl")).events(named: "shipping_done").first)
        let inputBytes = try [a, b].reduce(0) { $0 + (try FileSystem.fileSize($1)) }
        #expect((shipped["input_bytes"] as? Int ?? 0) >= inputBytes, "\(shipped)")
        #expect((shipped["files_received"] as? Int ?? 0) >= 5, "\(shipped)")
        let expected = PregelOracle.pagerank(try OracleGraph(contentsOf: [a, b]))
        let actual = try PregelOutput.numbers(try JobOutput(directory: dir.file("out")).lines())
        #expect(PregelOutput.rankMismatches(expected: expected, actual: actual) == [])
    }

    @Test func anInputThatChangesBeforeItIsShippedFailsTheJobAsBadInput() throws {
        let dir = try TemporaryDirectory()
        _ = try writeText(dir)
        let log = EventLogReader(path: dir.file("events.jsonl"))
        let coordinator = try SpindleProcess.start(
            [
                "run", "checksum", "--input", dir.file("in"), "--output", dir.file("out"), "--workers", "1", "--split-size", "8KiB",
                "--param", "delay=300ms", "--ship-input", "--event-log", dir.file("events.jsonl"), "--ui", "off",
            ],
            in: dir.path)
        #expect(eventually(within: .seconds(20)) { !log.events(named: "attempt_started").isEmpty })
        try "changed\n".write(toFile: dir.file("in/doc-2.txt"), atomically: false, encoding: .utf8)
        let result = try coordinator.finish()
        #expect(result.exitCode == 2, "stderr: \(result.stderr)")
        #expect(result.stderr.contains("changed while the job ran"), "stderr: \(result.stderr)")
    }
}
