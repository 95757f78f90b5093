import Foundation
import SpindlePosix
import Testing

/// A partition's message outputs older than the previous superstep are released: unregistered and their scratch
/// files deleted, so a long run does not fill the worker's scratch directory.
@Suite struct MessageScratchReleaseTests {
    /// The most `*-messages.out` files seen at once in the workers' scratch directories under `root` while
    /// `process` runs.
    private func mostMessageFiles(under root: String, while process: SpindleProcess) throws -> (Int, ProcessResult) {
        var most = 0
        while !processIsGone(process.process.pid) {
            let workers = (try? FileSystem.listDirectory(root))?.filter { $0.hasPrefix("spindle-worker-") } ?? []
            let files = workers.reduce(0) { count, worker in
                count + ((try? FileSystem.listDirectory("\(root)/\(worker)"))?.filter { $0.hasSuffix("-messages.out") }.count ?? 0)
            }
            most = max(most, files)
            Thread.sleep(forTimeInterval: 0.02)
        }
        return (most, try process.finish())
    }

    /// Runs `slowpagerank-keyed` (10 supersteps, 2 partitions, 1 worker) with `options`.
    /// - Returns: the most message files seen at once, and the supersteps run.
    private func run(_ options: [String]) throws -> (most: Int, supersteps: Int) {
        let dir = try TemporaryDirectory()
        try FileSystem.createDirectory(dir.file("tmp"), intermediate: true)
        let graph = (0..<40).map { "\($0) \(($0 * 7 + 1) % 40)\n\($0) \(($0 + 1) % 40)\n" }.joined()
        try graph.write(toFile: dir.file("g.txt"), atomically: true, encoding: .utf8)
        let process = try TestJobsBinary.start(
            [
                "run", "slowpagerank-keyed", "--input", dir.file("g.txt"), "--output", dir.file("out"), "--workers", "1", "--partitions", "2",
                "--param", "delay=150ms", "--param", "iterations=10",
            ] + options,
            environment: ["TMPDIR": dir.file("tmp")], in: dir.path, name: "run")
        let (most, result) = try mostMessageFiles(under: dir.file("tmp"), while: process)
        #expect(result.exitCode == 0, "stderr: \(result.stderr)")
        let supersteps = try JobOutput(directory: dir.file("out")).counters()["pregel.supersteps"] ?? 0
        #expect(supersteps >= 10, "the run needs several supersteps to show accumulation")
        #expect(most > 0, "the job must write its messages to scratch files")
        return (most, supersteps)
    }

    /// A Pregel job without a combiner writes its messages to a scratch file per superstep task (BSP jobs
    /// always do, through the same host).
    @Test func oldMessageScratchFilesAreDeleted() throws {
        let (most, supersteps) = try run(["--recovery", "full"])
        // Per partition: the messages of s - 1 (still read), of s (just written), and of s - 2 until released.
        #expect(most <= 3 * 2, "\(most) message files at once after \(supersteps) supersteps")
    }

    /// With confined recovery, the outputs since the newest checkpoint stay as the message log, and older ones
    /// are deleted: the scratch files never exceed a checkpoint interval's worth.
    @Test func messageLogsOlderThanTheNewestCheckpointAreDeleted() throws {
        // Checkpoints after supersteps 5 and 11: superstep 4 holds the most (0 to 4; 5's messages go to the checkpoint).
        let (most, supersteps) = try run(["--recovery", "confined", "--checkpoint-every", "6"])
        #expect(most <= (6 + 1) * 2, "\(most) message files at once after \(supersteps) supersteps")
        #expect(most > 3 * 2, "the log must keep outputs beyond the two supersteps a run without failures reads")
    }
}
