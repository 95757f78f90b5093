import Foundation
import SpindlePosix
import Testing

/// A cluster failing through its network: a coordinator and three workers in network namespaces (``NetBed``),
/// with partitions, one-way loss, packet loss and a full scratch disk injected while jobs run. Every run must
/// give the sequential reference's output, and the bed checks the rest: loss detected within the heartbeat
/// timeout + 1 s, the stage in flight completed within the heartbeat timeout + 5 s of the loss, `_SUCCESS` iff
/// exit 0, no process left, every scratch directory empty. The heartbeat timeout is 3 s (``NetBed/heartbeatTimeout``).
/// The hosts run `TestJobsBinary.path` (`spindle-testjobs`) processes, so `.ci/tsan` skips this suite.
@Suite(.serialized, .enabled(if: NetBed.available, "\(NetBed.unavailableReason ?? "")")) struct NetworkFaultTests {
    /// Word count (`crashtest` without crashes; every task pauses 250 ms once, so that faults land mid-stage).
    private func wordCount(_ dir: TemporaryDirectory) throws -> (job: [String], input: [String]) {
        let input = try NetBed.writeText(into: dir.file("in"), seed: 15)
        let job = [
            "crashtest", "--input", dir.file("in"), "--split-size", "256KiB", "--reducers", "6", "--no-speculation",
            "--param", "crash-rate=0", "--param", "stall-rate=1", "--param", "stall=250ms",
        ]
        return (job, input)
    }

    private func expectWordCount(_ outcome: NetBed.Outcome, input: [String]) throws {
        #expect(outcome.exitCode == 0, "\(outcome.raw)")
        #expect(outcome.problems == [], "\(outcome.raw)")
        let expected = try MapReduceOracle.wordCount(input, lowercase: false).sorted()
        let actual = try JobOutput(directory: outcome.output).lines().sorted()
        #expect(actual == expected, "the output differs from the sequential reference (\(actual.count) lines, expected \(expected.count))")
    }

    /// No attempt of the lost worker committed after it was declared lost (its late results were rejected).
    private func expectNoCommitAfterLoss(_ outcome: NetBed.Outcome) {
        for loss in outcome.events.events(named: "worker_lost") {
            guard let worker = loss["worker"] as? Int, let t = loss["t"] as? Double else { continue }
            let late = outcome.events.events(named: "attempt_committed").filter { $0["worker"] as? Int == worker && ($0["t"] as? Double ?? 0) > t }
            #expect(late.isEmpty, "worker \(worker) committed after it was declared lost: \(late)")
        }
    }

    @Test func partitionOfAWorkerDuringMaps() throws {
        let dir = try TemporaryDirectory()
        let (job, input) = try wordCount(dir)
        let outcome = try NetBed.run(in: dir, fault: "partition:w1", trigger: "attempt_started:task=map", expectLost: 1, job: job)
        try expectWordCount(outcome, input: input)
        expectNoCommitAfterLoss(outcome)
    }

    @Test func partitionOfAWorkerDuringReduces() throws {
        let dir = try TemporaryDirectory()
        let (job, input) = try wordCount(dir)
        let outcome = try NetBed.run(in: dir, fault: "partition:w1", trigger: "stage_completed:stage=map", expectLost: 1, job: job)
        try expectWordCount(outcome, input: input)
        // The survivors' reducers fetching from the lost worker were aborted, not left to their 30 s timeout.
        let reduce = outcome.losses.first?["stages_completed_after_s"] as? [String: Any]
        #expect(reduce?["reduce"] != nil, "the reduce stage was in flight at the loss: \(outcome.raw)")
    }

    @Test func partitionOfAWorkerDuringAPageRankSuperstep() throws {
        let dir = try TemporaryDirectory()
        let outcome = try NetBed.runPageRank(in: dir, seed: 77, title: "netbed", fault: "partition:w1", trigger: "attempt_started:task=superstep 3", expectLost: 1)
        #expect(!outcome.events.events(named: "rollback").isEmpty)
    }

    @Test func healedPartitionsStaleWorkerHasItsResultsRejected() throws {
        let dir = try TemporaryDirectory()
        let (job, input) = try wordCount(dir)
        let outcome = try NetBed.run(in: dir, fault: "partition:w1", trigger: "attempt_started:task=map", healAfter: 2.5, expectLost: 1, job: job)
        try expectWordCount(outcome, input: input)
        expectNoCommitAfterLoss(outcome)
    }

    @Test func oneWayPartitionWhatTheWorkerSendsIsLost() throws {
        let dir = try TemporaryDirectory()
        let (job, input) = try wordCount(dir)
        // The worker still hears the coordinator, so it lives on; once healed, its late messages are rejected.
        let outcome = try NetBed.run(in: dir, fault: "outbound:w1", trigger: "attempt_started:task=map", healAfter: 3, expectLost: 1, job: job)
        try expectWordCount(outcome, input: input)
        expectNoCommitAfterLoss(outcome)
    }

    @Test func oneWayPartitionWhatTheWorkerReceivesIsLost() throws {
        let dir = try TemporaryDirectory()
        let (job, input) = try wordCount(dir)
        let outcome = try NetBed.run(in: dir, fault: "inbound:w1", trigger: "attempt_started:task=map", expectLost: 1, job: job)
        try expectWordCount(outcome, input: input)
        expectNoCommitAfterLoss(outcome)
    }

    @Test func fullScratchDiskOnOneWorkerExcludesItAndTheJobSucceedsOnTheOthers() throws {
        let dir = try TemporaryDirectory()
        let (job, input) = try wordCount(dir)
        let outcome = try NetBed.run(in: dir, scratchLimit: "w1:8k", expectLost: 0, job: job)
        try expectWordCount(outcome, input: input)
        let w1 = try #require(outcome.worker(on: "w1"))
        let failedOnW1 = outcome.events.events(named: "attempt_failed").filter { $0["worker"] as? Int == w1 }
        #expect(!failedOnW1.isEmpty, "w1's scratch is an 8 KiB tmpfs: its tasks must fail")
        #expect(!failedOnW1.contains { $0["blameless"] as? Bool == true }, "a full disk is w1's own fault, not its sources'")
        #expect(outcome.events.events(named: "worker_excluded").map { $0["worker"] as? Int } == [w1])
    }

    @Test func fivePercentLossOnOneLinkGivesExactOutputAndNoFalseLoss() throws {
        let dir = try TemporaryDirectory()
        let (job, input) = try wordCount(dir)
        let outcome = try NetBed.run(in: dir, fault: "loss:w1:5", trigger: "attempt_started", expectLost: 0, job: job)
        try expectWordCount(outcome, input: input)
    }

    @Test func slowLinkOnOneWorkerGivesExactOutputAndNoFalseLoss() throws {
        let dir = try TemporaryDirectory()
        let (job, input) = try wordCount(dir)
        let outcome = try NetBed.run(in: dir, fault: "rate:w1:8mbit", trigger: "attempt_started", expectLost: 0, job: job)
        try expectWordCount(outcome, input: input)
    }

    @Test func threeSecondBlipOnTheCoordinatorsLinkIsSurvived() throws {
        let dir = try TemporaryDirectory()
        let (job, input) = try wordCount(dir)
        let outcome = try NetBed.run(in: dir, fault: "partition:coord", trigger: "attempt_started:task=map", healAfter: 3, job: job)
        try expectWordCount(outcome, input: input)
    }

    /// Longer than the heartbeat timeout: the coordinator declares every worker lost, the partitions wait for a
    /// worker (instead of failing the job), and the workers rejoin as new members once the link is back; the job
    /// recovers from its checkpoint on them.
    @Test func fiveSecondOutageOfTheCoordinatorsLinkIsSurvivedByAPageRankJob() throws {
        let dir = try TemporaryDirectory()
        let outcome = try NetBed.runPageRank(in: dir, seed: 83, title: "outage", fault: "partition:coord", trigger: "attempt_started:task=superstep 3", healAfter: 5, expectLost: 3)
        #expect(!outcome.events.events(named: "partitions_waiting").isEmpty, "\(outcome.raw)")
        #expect(outcome.events.events(named: "worker_joined").count == 6, "the three workers rejoined as new members")
    }
}

