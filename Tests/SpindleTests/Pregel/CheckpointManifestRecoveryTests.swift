import Foundation
import SpindlePosix
import Testing

/// A damaged checkpoint manifest is never trusted: recovery falls back to the checkpoint before it and the job
/// still ends with the result of a failure-free run. (In ``PregelRecoveryTests`` so that it runs serialized
/// with the other kills.)
extension PregelRecoveryTests {
    /// The case: one bit of the newest checkpoint's `dangling` aggregate (which every vertex reads in the
    /// next superstep) is flipped after the manifest was written, then a worker is killed.
    @Test func aFlippedAggregateBitInTheNewestManifestFallsBackToTheCheckpointBefore() throws {
        let run = try runAndKill(
            checkpointEvery: 2,
            beforeKill: { dir, log in
                // Flip the highest mantissa bit of the aggregate in place, keeping the file's size.
                let dangling = try #require(
                    log.events(named: "superstep").first { $0["superstep"] as? Int == 3 }?["aggregate.dangling"] as? Double)
                #expect(dangling != 0, "the fixture needs dangling vertices")
                let path = dir.file("out/_temporary/checkpoints/superstep-3/MANIFEST")
                var bytes = try FileSystem.readFile(path)
                let pattern = withUnsafeBytes(of: dangling.bitPattern.littleEndian) { Array($0) }
                let at = try #require(
                    bytes.indices.dropLast(pattern.count - 1).first { Array(bytes[$0..<$0 + pattern.count]) == pattern },
                    "the manifest does not hold the aggregate's bits")
                bytes[at + 6] ^= 0x08
                try Data(bytes).write(to: URL(fileURLWithPath: path))
            },
            when: { log in log.events(named: "checkpoint").contains { $0["superstep"] as? Int == 3 } && started(4)(log) })
        try expectFailureFreePageRank(run)
        #expect(run.log.events(named: "checkpoint_corrupt").first?["superstep"] as? Int == 3)
        #expect(rollbackTarget(run) == 1)
        #expect(run.result.stderr.contains("the checkpoint of superstep 3 is damaged"), "stderr: \(run.result.stderr)")
    }
}
