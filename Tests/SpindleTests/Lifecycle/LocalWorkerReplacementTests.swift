import Foundation
import SpindleCore
import SpindlePosix
import Testing

/// When every local worker dies the coordinator starts replacements instead of waiting out the join
/// timeout, and fails at once, naming the cause, when the replacements die too.
@Suite(.serialized) struct LocalWorkerReplacementTests {
    @Test func killingEveryLocalWorkerMidJobStillGivesTheExactOutput() throws {
        let job = try SlowJob.start(delay: "1s")
        let workers = job.waitUntilRunning(workers: 2)
        try #require(workers.count == 2, "the workers did not start")
        for pid in workers { sendSignal(Signal.kill, to: pid) }
        let result = try job.process.finish()
        #expect(result.exitCode == 0, "stderr: \(result.stderr)")
        #expect(result.stderr.contains("starting 2 replacement(s)"), "stderr: \(result.stderr)")
        #expect(try ChecksumOracle.problems(output: job.output, input: job.dir.file("in.txt")) == [])
        #expect(ScratchRoot.spindleEntries(job.tmp) == [], "the killed workers' scratch was left behind")
    }

    @Test func workersThatAlwaysDieFailTheJobNamingTheCause() throws {
        let dir = try TemporaryDirectory()
        try ChecksumOracle.writeInput(dir.file("in.txt"), lines: 5_000, seed: 9)
        // Every map task ends its worker with exit(1) within its first 40 records.
        let result = try TestJobsBinary.start(
            ["run", "crashtest", "--input", dir.file("in.txt"), "--output", dir.file("out"), "--workers", "2", "--split-size", "32KiB",
             "--param", "crash-rate=1", "--param", "stall-rate=0"],
            environment: ["TMPDIR": dir.path], in: dir.path, name: "crashing"
        ).finish()
        #expect(result.exitCode == 1, "stderr: \(result.stderr)")
        #expect(result.stderr.contains("job crashtest failed"), "stderr: \(result.stderr)")
        #expect(result.stderr.contains("exited with code 1"), "the failure does not name the cause: \(result.stderr)")
        #expect(!result.stderr.contains("no live worker was left"), "it waited out the join timeout: \(result.stderr)")
        #expect(!FileSystem.exists(dir.file("out/_SUCCESS")))
    }
}
