import Foundation
import SpindleCore
import SpindlePosix
import Testing

/// SIGINT and SIGTERM stop a job cleanly, SIGTERM to a worker removes its scratch, and a new run removes the
/// scratch directories that processes gone for good left behind.
@Suite(.serialized) struct SignalStopTests {
    @Test(arguments: [Signal.interrupt, Signal.terminate])
    func signalToTheCoordinatorStopsWorkersRemovesTemporaryFilesAndExits128PlusSignal(signal: Int32) throws {
        let job = try SlowJob.start(delay: "60s")
        let workers = job.waitUntilRunning(workers: 2)
        try #require(workers.count == 2, "the workers did not start")
        #expect(FileSystem.exists(job.output + "/_temporary"))
        sendSignal(signal, to: job.process.process.pid)
        let result = try job.process.finish(timeout: .seconds(60))
        #expect(result.exitCode == 128 + signal, "status \(result.status), stderr: \(result.stderr)")
        #expect(result.stderr.contains("was stopped by \(signal == Signal.interrupt ? "SIGINT" : "SIGTERM")"), "stderr: \(result.stderr)")
        #expect(!FileSystem.exists(job.output + "/_temporary"))
        #expect(!FileSystem.exists(job.output + "/_SUCCESS"))
        #expect(ScratchRoot.spindleEntries(job.tmp) == [], "scratch or log directories were left behind")
        for pid in workers { #expect(eventually(within: .seconds(10)) { processIsGone(pid) }, "worker \(pid) outlived the coordinator") }
    }

    @Test func stoppingTheCoordinatorEndsAHungWorkerAndRemovesItsScratch() throws {
        let job = try SlowJob.start(delay: "60s")
        let workers = job.waitUntilRunning(workers: 2)
        try #require(workers.count == 2, "the workers did not start")
        sendSignal(Signal.stop, to: workers[0])  // It can neither read the shutdown message nor handle SIGTERM.
        sendSignal(Signal.terminate, to: job.process.process.pid)
        let result = try job.process.finish(timeout: .seconds(60))
        #expect(result.exitCode == 143, "status \(result.status), stderr: \(result.stderr)")
        for pid in workers { #expect(eventually(within: .seconds(10)) { processIsGone(pid) }, "worker \(pid) outlived the coordinator") }
        #expect(ScratchRoot.spindleEntries(job.tmp) == [], "scratch or log directories were left behind")
        #expect(!FileSystem.exists(job.output + "/_temporary"))
    }

    @Test func sigtermToAWorkerRemovesItsScratchAndTheJobFinishes() throws {
        let job = try SlowJob.start(delay: "2s")
        let workers = job.waitUntilRunning(workers: 2)
        try #require(workers.count == 2, "the workers did not start")
        sendSignal(Signal.terminate, to: workers[0])
        #expect(eventually(within: .seconds(10)) { !ScratchRoot.workerPIDs(job.tmp).contains(workers[0]) }, "the worker's scratch was left behind")
        #expect(eventually(within: .seconds(10)) { processIsGone(workers[0]) })
        let result = try job.process.finish()
        #expect(result.exitCode == 0, "stderr: \(result.stderr)")
        #expect(result.stderr.contains("exited with code 143"), "stderr: \(result.stderr)")
        #expect(try ChecksumOracle.problems(output: job.output, input: job.dir.file("in.txt")) == [])
        #expect(ScratchRoot.spindleEntries(job.tmp) == [])
    }

    /// The kernel sends a local worker its parent-death SIGTERM once per thread of the dying coordinator it is
    /// handed through: a repeat must not end it (SIGTERM's default action) before it removes its scratch.
    @Test func repeatedSigtermsToALocalWorkerAreOneStopThatRemovesItsScratch() throws {
        let job = try SlowJob.start(delay: "2s")
        let workers = job.waitUntilRunning(workers: 2)
        try #require(workers.count == 2, "the workers did not start")
        let stamp = try #require(ProcessLiveness.stamp(of: workers[0]))
        // Every millisecond until it has exited (the stamp guards against a reused pid), at most 10 s.
        let deadline = MonotonicClock.nanoseconds() + 10_000_000_000
        while MonotonicClock.nanoseconds() < deadline && ProcessLiveness.isRunning(stamp) && !processIsGone(workers[0]) {
            sendSignal(Signal.terminate, to: workers[0])
            MonotonicClock.sleep(.milliseconds(1))
        }
        #expect(processIsGone(workers[0]), "the worker outlived 10 s of SIGTERMs")
        #expect(!ScratchRoot.workerPIDs(job.tmp).contains(workers[0]), "the worker's scratch was left behind")
        let result = try job.process.finish()
        #expect(result.exitCode == 0, "stderr: \(result.stderr)")
        #expect(result.stderr.contains("exited with code 143"), "stderr: \(result.stderr)")
        #expect(ScratchRoot.spindleEntries(job.tmp) == [])
    }

    @Test func staleScratchOfGoneProcessesIsRemovedAtStartAndEverythingElseIsKept() throws {
        let dir = try TemporaryDirectory()
        let tmp = dir.file("tmp")
        try FileSystem.createDirectory(tmp, intermediate: false)
        let me = try #require(ProcessLiveness.currentStamp())
        let exited = try ChildProcess.spawn(executable: "true", arguments: [])
        _ = try exited.wait(timeout: .seconds(10))
        var reused = me
        reused.startTime += 1  // Our pid, another start time: the pid was reused, the owner is gone.
        var rebooted = me
        rebooted.bootID = "00000000-0000-0000-0000-000000000000"
        try ScratchRoot.plant(tmp, "spindle-worker-exited", record: ProcessStamp(bootID: me.bootID, pid: exited.pid, startTime: 1).text)
        try ScratchRoot.plant(tmp, "spindle-worker-reused", record: reused.text)
        try ScratchRoot.plant(tmp, "spindle-workers-reboot", record: rebooted.text)
        try ScratchRoot.plant(tmp, "spindle-worker-alive", record: me.text)
        try ScratchRoot.plant(tmp, "spindle-worker-norecord", record: nil)
        try ScratchRoot.plant(tmp, "spindle-worker-garbage", record: "pid \(exited.pid)\n")
        try ScratchRoot.plant(tmp, "someone-elses", record: ProcessStamp(bootID: me.bootID, pid: exited.pid, startTime: 1).text)

        try ChecksumOracle.writeInput(dir.file("in.txt"), lines: 200, seed: 1)
        let result = try SpindleProcess.run(
            ["run", "checksum", "--input", dir.file("in.txt"), "--output", dir.file("out"), "--workers", "1"], environment: ["TMPDIR": tmp], in: dir.path)
        #expect(result.exitCode == 0, "stderr: \(result.stderr)")
        #expect(result.stderr.contains("removed 3 stale scratch directories of exited workers from \(tmp)"), "stderr: \(result.stderr)")
        #expect(try FileSystem.listDirectory(tmp) == ["someone-elses", "spindle-worker-alive", "spindle-worker-garbage", "spindle-worker-norecord"])
        #expect(FileSystem.exists("\(tmp)/spindle-worker-alive/spill-0"))
    }
}

/// A coordinator killed with SIGKILL cannot clean up: its workers still remove their own scratch, and the
/// next run removes the log directory it left.
@Suite(.serialized) struct CoordinatorKilledTests {
    @Test func workersOfAKilledCoordinatorRemoveTheirScratchAndTheNextRunRemovesItsLogDirectory() throws {
        let job = try SlowJob.start(delay: "60s")
        let workers = job.waitUntilRunning(workers: 2)
        try #require(workers.count == 2, "the workers did not start")
        sendSignal(Signal.kill, to: job.process.process.pid)
        _ = try job.process.finish(timeout: .seconds(10))
        for pid in workers { #expect(eventually(within: .seconds(10)) { processIsGone(pid) }, "worker \(pid) outlived its coordinator") }
        #expect(ScratchRoot.workerPIDs(job.tmp) == [], "the workers' scratch was left behind")
        #expect(ScratchRoot.spindleEntries(job.tmp).count == 1, "the launcher's log directory: \(ScratchRoot.spindleEntries(job.tmp))")

        let next = try SpindleProcess.run(
            ["run", "checksum", "--input", job.dir.file("in.txt"), "--output", job.dir.file("out2"), "--workers", "1"],
            environment: ["TMPDIR": job.tmp], in: job.dir.path)
        #expect(next.exitCode == 0, "stderr: \(next.stderr)")
        #expect(next.stderr.contains("removed 1 stale scratch directory of exited workers"), "stderr: \(next.stderr)")
        #expect(ScratchRoot.spindleEntries(job.tmp) == [])
    }
}
