import Foundation
@testable import Spindle
import SpindleCore
import SpindlePosix
import Testing

/// A job stopped by `--max-supersteps` says so on the console and in `_SUCCESS`; one that converged says that.
@Suite struct MaxSuperstepsTests {
    private func success(_ dir: TemporaryDirectory) throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: dir.file("out/_SUCCESS")))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    private func runPageRank(_ extra: [String], in dir: TemporaryDirectory) throws -> ProcessResult {
        _ = try GraphFixtures.write(GraphFixtures.handMadeText, to: dir.file("g/hand.txt"))
        let result = try SpindleProcess.run(
            ["run", "pagerank", "--input", dir.file("g"), "--output", dir.file("out"), "--workers", "2", "--partitions", "3"] + extra, in: dir.path)
        #expect(result.exitCode == 0, "stderr: \(result.stderr)")
        return result
    }

    @Test func aJobCutShortByMaxSuperstepsSaysSoOnTheConsoleAndInSuccess() throws {
        let dir = try TemporaryDirectory()
        let result = try runPageRank(["--max-supersteps", "3", "--param", "iterations=20"], in: dir)
        #expect(result.stderr.contains("stopped by --max-supersteps after superstep 2 (3 supersteps)"), "stderr: \(result.stderr)")
        let record = try success(dir)
        #expect(record["stoppedBy"] as? String == "max-supersteps")
        #expect(record["lastSuperstep"] as? Int == 2)
    }

    @Test func aJobThatHaltsOnItsOwnSaysItHalted() throws {
        let dir = try TemporaryDirectory()
        let result = try runPageRank(["--param", "iterations=4"], in: dir)
        #expect(!result.stderr.contains("--max-supersteps"), "stderr: \(result.stderr)")
        let record = try success(dir)
        #expect(record["stoppedBy"] as? String == "halted")
        #expect(record["lastSuperstep"] as? Int == 4)
    }

    @Test func convergenceAndMasterHaltTakePrecedenceOverTheLimit() {
        #expect(StopReason(active: 0, messages: 0, masterHalted: true, superstep: 9, maxSupersteps: 10) == .halted)
        #expect(StopReason(active: 3, messages: 0, masterHalted: true, superstep: 9, maxSupersteps: 10) == .master)
        #expect(StopReason(active: 0, messages: 1, masterHalted: false, superstep: 9, maxSupersteps: 10) == .maxSupersteps)
        #expect(StopReason(active: 5, messages: 7, masterHalted: false, superstep: 8, maxSupersteps: 10) == nil)
        #expect(StopReason(active: 5, messages: 7, masterHalted: false, superstep: 0, maxSupersteps: 1) == .maxSupersteps)
    }
}
