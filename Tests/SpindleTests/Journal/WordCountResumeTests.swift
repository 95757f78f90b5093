import Foundation
import SpindleCore
import SpindlePosix
import Testing

/// A word count whose coordinator is SIGKILLed at chosen moments, then resumed with `--resume`: the output is
/// exact, and the reduce tasks the killed run committed are not run again.
@Suite(.serialized) struct WordCountResumeTests {
    private func mapCommits(_ log: EventLogReader) -> Int { log.committedTasks(prefix: "map task").count }
    private func reduceCommits(_ log: EventLogReader) -> Int { log.committedTasks(prefix: "reduce task").count }

    /// Resumes `run` and checks the output, and that no reduce task the killed run journaled starts again. The
    /// coordinator logs `attempt_committed` just before it renames the part file and journals the commit, so the
    /// newest commit event may not have reached the journal when the kill came; every earlier one has (one
    /// thread does both, in order).
    private func resumeAndCheck(_ run: KilledWordCount) throws {
        let committedInOrder = run.killedLog.events(named: "attempt_committed").compactMap { $0["task"] as? String }.filter { $0.hasPrefix("reduce task") }
        let (result, log) = try run.resume()
        #expect(result.exitCode == 0, "stderr: \(result.stderr)")
        try run.expectExactOutput()
        let restored = Set(log.events(named: "task_restored").compactMap { $0["task"] as? String })
        #expect(Set(committedInOrder.dropLast()).isSubset(of: restored), "a reduce task committed before the kill was not kept")
        #expect(restored.isSubset(of: Set(committedInOrder)))
        #expect(log.startedTasks(prefix: "reduce task").isDisjoint(with: restored), "a kept reduce task ran again")
        #expect(log.events(named: "job_resumed").first?["epoch"] as? Int == 1)
        // Attempt ids of the resumed epoch never collide with the killed run's.
        let attempts = log.events(named: "attempt_started").compactMap { $0["attempt"] as? Int }
        #expect(attempts.allSatisfy { $0 > 1_000_000_000 })
    }

    @Test func killedDuringTheMapsResumes() throws {
        let run = try KilledWordCount(seed: 11) { mapCommits($0) >= 3 }
        #expect(!run.finishedBeforeKill)
        try resumeAndCheck(run)
    }

    @Test func killedBetweenMapsAndReducesResumes() throws {
        let run = try KilledWordCount(seed: 12) { $0.events(named: "stage_completed").contains { $0["stage"] as? String == "map" } }
        #expect(!run.finishedBeforeKill)
        try resumeAndCheck(run)
    }

    @Test func killedDuringTheReducesDoesNotRunCommittedReducesAgain() throws {
        let run = try KilledWordCount(seed: 13) { reduceCommits($0) >= 2 }
        // At least the first of them was journaled (see resumeAndCheck), so the resume keeps at least one.
        #expect(!run.finishedBeforeKill)
        #expect(reduceCommits(run.killedLog) >= 2 && reduceCommits(run.killedLog) < 4)
        try resumeAndCheck(run)
    }

    /// The reduce stage completed, so every commit is journaled: the coordinator is committing the job
    /// (`_SUCCESS`, then removing `_temporary`, the journal last). Wherever the kill lands, either the job had
    /// finished or the resume finishes it without running any task. (The kill moment is `stage_completed`, not the
    /// last `attempt_committed`, which is logged before its commit reaches the journal.)
    @Test func killedWhileCommittingTheJobResumesWithoutRunningTasks() throws {
        let run = try KilledWordCount(seed: 14) { $0.events(named: "stage_completed").contains { $0["stage"] as? String == "reduce" } }
        let temporary = run.dir.file("out/_temporary")
        if run.finishedBeforeKill || !FileSystem.exists(temporary + "/journal") {
            // A kill between the journal's removal and its directory's leaves that directory, empty.
            if FileSystem.exists(temporary) {
                #expect(try FileSystem.listDirectory(temporary) == [], "the journal went before the rest of _temporary")
                try FileSystem.removeTree(temporary)
            }
            try run.expectExactOutput()
            return
        }
        let (result, log) = try run.resume()
        #expect(result.exitCode == 0, "stderr: \(result.stderr)")
        try run.expectExactOutput()
        #expect(log.events(named: "attempt_started").isEmpty, "every task had committed; nothing runs again")
    }

    @Test func withoutResumeAnInterruptedOutputIsRefusedWithAHint() throws {
        let run = try KilledWordCount(seed: 15) { mapCommits($0) >= 2 }
        let result = try TestJobsBinary.run(run.arguments(), in: run.dir.path)
        #expect(result.exitCode == 2)
        #expect(result.stderr.contains("holds the journal of an interrupted run; add --resume to continue it, or --overwrite to start over"))
        #expect(FileSystem.exists(run.dir.file("out/_temporary/journal")), "a refused run leaves the journal")
    }

    @Test func aTornLastRecordIsReportedAndTheResumeSucceeds() throws {
        let run = try KilledWordCount(seed: 16) { reduceCommits($0) >= 1 }
        let journal = run.dir.file("out/_temporary/journal")
        // Half a record: a length and a CRC promising more bytes than follow.
        let writer = try FileWriter(path: journal, mode: .append)
        try writer.write([40, 0, 0, 0, 1, 2, 3, 4, 9, 9])
        try writer.close()
        let (result, log) = try run.resume()
        #expect(result.exitCode == 0, "stderr: \(result.stderr)")
        #expect(result.stderr.contains("the journal's last record is damaged and ignored: record"))
        #expect(log.events(named: "journal_damaged").count == 1)
        try run.expectExactOutput()
    }

    @Test func aJournalOfAnotherJobIsRefused() throws {
        let run = try KilledWordCount(seed: 17) { mapCommits($0) >= 2 }
        let result = try TestJobsBinary.run(
            ["run", "jobcount", "--input", run.dir.file("in"), "--output", run.dir.file("out"), "--workers", "2", "--param", "dir=\(run.dir.path)",
             "--resume"], in: run.dir.path)
        #expect(result.exitCode == 2)
        #expect(result.stderr.contains("cannot resume the run in '\(run.dir.file("out"))': it belongs to job 'crashtest', not 'jobcount'"))
    }

    @Test func aChangedInputIsRefusedNamingTheChange() throws {
        let run = try KilledWordCount(seed: 18) { mapCommits($0) >= 2 }
        let input = try #require(run.files.first { (try? FileSystem.fileSize($0)) ?? 0 > 0 })
        let before = try FileSystem.fileSize(input)
        let writer = try FileWriter(path: input, mode: .append)
        try writer.write(Array("one more line\n".utf8))
        try writer.close()
        let (result, _) = try run.resume()
        #expect(result.exitCode == 2)
        #expect(result.stderr.contains("changed since: its size went from \(before) to \(before + 14) bytes"))
        #expect(FileSystem.exists(run.dir.file("out/_temporary/journal")))
    }

    @Test func resumeWithoutAJournalIsRefused() throws {
        let dir = try TemporaryDirectory()
        _ = try TextFixtures.write(into: dir.file("in"), seed: 3)
        let result = try SpindleProcess.run(["run", "wordcount", "--input", dir.file("in"), "--output", dir.file("out"), "--workers", "1", "--resume"], in: dir.path)
        #expect(result.exitCode == 2)
        #expect(result.stderr.contains("holds no journal of an interrupted run"))
    }
}
