import Foundation
import SpindlePosix
import Testing

/// Hosts without a shared file system: the coordinator and three workers in network namespaces (``NetBed``),
/// each worker in a mount namespace of its own where the input directory and the output's parent are empty
/// tmpfs mounts (w1 finds decoy files of the inputs' names, w3 a decoy `OUTPUT/_temporary`). Every worker must
/// find out by checking that it shares nothing, read its splits from the coordinator and ship its part files
/// back: the output equals the sequential reference, `_SUCCESS` is on the coordinator's view, and no worker
/// wrote a file in its own view of the output directory (the bed's check).
@Suite(.serialized, .enabled(if: NetBed.available, "\(NetBed.unavailableReason ?? "")")) struct SharedNothingClusterTests {
    @Test func wordCountOnHostsThatShareNoFilesIsExact() throws {
        let dir = try TemporaryDirectory()
        let input = try NetBed.writeText(into: dir.file("in"), files: 3, lines: 6_000, seed: 23)
        let outcome = try NetBed.run(
            in: dir, privateFiles: [dir.file("in")], binary: SpindleProcess.executable,
            job: ["wordcount", "--input", dir.file("in"), "--split-size", "128KiB", "--reducers", "6"])
        #expect(outcome.exitCode == 0, "\(outcome.raw)")
        #expect(outcome.problems == [], "\(outcome.raw)")
        let expected = try MapReduceOracle.wordCount(input, lowercase: false).sorted()
        #expect(try JobOutput(directory: outcome.output).lines().sorted() == expected)
        #expect(FileManager.default.fileExists(atPath: outcome.output + "/_SUCCESS"))
        // Every worker ran tasks (so every one of them shipped).
        let committers = Set(outcome.events.events(named: "attempt_committed").compactMap { $0["worker"] as? Int })
        #expect(committers.count == 3, "\(committers)")
    }

    @Test func pageRankOnHostsThatShareNoFilesIsExact() throws {
        let dir = try TemporaryDirectory()
        let text = GraphFixtures.snapText(GraphFixtures.rmat(scale: 9, edgeFactor: 8, seed: 31), title: "shared nothing")
        let path = try GraphFixtures.write(text, to: dir.file("g/g.txt"))
        let outcome = try NetBed.run(
            in: dir, privateFiles: [dir.file("g")], binary: SpindleProcess.executable,
            job: ["pagerank", "--input", dir.file("g"), "--split-size", "32KiB", "--partitions", "6", "--checkpoint-every", "0"])
        #expect(outcome.exitCode == 0, "\(outcome.raw)")
        #expect(outcome.problems == [], "\(outcome.raw)")
        let actual = try PregelOutput.numbers(JobOutput(directory: outcome.output).lines())
        #expect(PregelOutput.rankMismatches(expected: PregelOracle.pagerank(try OracleGraph(contentsOf: path)), actual: actual) == [])
        #expect(FileManager.default.fileExists(atPath: outcome.output + "/_SUCCESS"))
    }
}
