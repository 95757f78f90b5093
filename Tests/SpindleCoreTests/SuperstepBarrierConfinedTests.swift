import Testing

@testable import SpindleCore

/// Confined recovery: only the lost worker's partitions go back to the checkpoint and replay, from the others'
/// message logs, with the aggregates and globals recorded the first time; everything else falls back to a full
/// rollback.
@Suite struct SuperstepBarrierConfinedTests {
    private let w1 = WorkerID(1), w2 = WorkerID(2), w3 = WorkerID(3)

    private func harness(partitions: Int = 6, checkpointEvery: Int = 4, maxSupersteps: Int = 10, resolves: Bool = false) -> BarrierHarness {
        BarrierHarness(
            partitions: partitions, checkpointEvery: checkpointEvery, maxSupersteps: maxSupersteps, resolves: resolves, workers: [w1, w2, w3],
            recovery: .confined)
    }

    private func replays(_ h: BarrierHarness) -> [Int] {
        h.events.compactMap { if case .replayed(let s, _, _) = $0 { s } else { nil } }
    }

    @Test func onlyTheLostPartitionsGoBackAndReplayUntilTheSuperstepInFlight() {
        var h = harness()
        h.run(until: 6)
        h.commit(0)
        let inFlight = h.barrier.currentStage
        let directives = h.lose(w2)
        let restored = h.manifests[3]!
        #expect(
            directives == [
                .abandonStage(inFlight), .verifyCheckpoint(superstep: 3),
                .recoverConfined(epoch: 1, to: 3, lost: w2, partitions: [1, 4], rejoin: 6),
                .addStage(
                    stage: inFlight + 1, name: "prepare", role: .prepare(restore: restored), taskCount: 2, locationBound: false,
                    placement: [w1, w3]),
            ])
        #expect(h.barrier.partitionEpochs == [0, 1, 0, 0, 1, 0], "the survivors' partitions keep their epoch")
        #expect(h.barrier.owners == [w1, w1, w3, w1, w3, w3], "the lost partitions are spread over the survivors")
        #expect(h.barrier.partition(of: TaskID(stage: inFlight + 1, index: 1)) == 4)
        h.runStage()
        #expect(h.currentRole == .replay(4, inbox: .checkpoint(superstep: 3)))
        h.runStage()
        #expect(h.currentRole == .replay(5, inbox: .logged(superstep: 4)))
        #expect(h.barrier.startingValues(of: h.barrier.currentStage).globals == [Pair("last", 4)], "the globals seen the first time")
        h.runStage()
        #expect(h.currentRole == .superstep(6, inbox: .logged(superstep: 5), writesCheckpoint: false))
        #expect(h.barrier.stageMembers.isEmpty, "every partition runs superstep 6")
        #expect(replays(h) == [4, 5])
        #expect(h.events.contains(.replayed(5, partitions: [1, 4], epoch: 1)))
        h.runToEnd()
        #expect(h.failure == nil && h.finished)
        #expect(h.barrier.counters.rollbacks == 1)
    }

    @Test func masterComputeDoesNotRunForReplayedSupersteps() {
        var h = harness()
        h.run(until: 7)
        let before = h.directives.count
        h.lose(w1)
        h.runStage()
        while case .replay? = h.currentRole { h.runStage() }
        h.runStage()
        let asked = h.directives[before...].compactMap { if case .runMaster(let r) = $0 { r.superstep } else { nil } }
        #expect(asked == [7], "master compute runs again only from the superstep in flight on")
        #expect(replays(h) == [4, 5, 6])
    }

    @Test func theResultMatchesARunWithoutFailure() {
        var clean = harness()
        clean.runToEnd()
        var h = harness()
        h.run(until: 6)
        h.lose(w3)
        h.runToEnd()
        let supersteps: (BarrierHarness) -> [BarrierEvent] = { run in
            run.events.filter { if case .superstep = $0 { true } else { false } }.map {
                guard case .superstep(let s, let active, let messages, _, let aggregates) = $0 else { return $0 }
                return .superstep(s, active: active, messages: messages, epoch: 0, aggregates: aggregates)
            }
        }
        #expect(supersteps(h) == supersteps(clean), "each superstep completes once, with the same values")
        #expect(h.barrier.globals == clean.barrier.globals && h.barrier.stop == clean.barrier.stop)
    }

    @Test func withoutACheckpointEveryPartitionRollsBack() {
        var h = harness()
        h.run(until: 2)
        let directives = h.lose(w2)
        #expect(directives.contains(.rollback(epoch: 1, to: nil, lost: w2)))
        #expect(h.barrier.partitionEpochs == Array(repeating: 1, count: 6))
        #expect(h.barrier.recovery == nil)
    }

    @Test func aDamagedCheckpointFallsBackToAFullRollback() {
        var h = harness(checkpointEvery: 2)
        h.run(until: 6)
        h.corrupt = [5]
        let directives = h.lose(w2)
        #expect(directives.contains(.rollback(epoch: 1, to: 3, lost: w2)))
        #expect(!directives.contains { if case .recoverConfined = $0 { true } else { false } })
        #expect(h.barrier.partitionEpochs == Array(repeating: 1, count: 6))
        h.runStage()
        #expect(h.currentRole == .superstep(4, inbox: .checkpoint(superstep: 3), writesCheckpoint: false))
    }

    @Test func aLossDuringRecoveryWidensItToTheNewlyLostPartitions() {
        var h = harness()
        h.run(until: 7)
        h.lose(w2)
        h.runStage()
        #expect(h.currentRole == .replay(4, inbox: .checkpoint(superstep: 3)))
        let directives = h.lose(w3)
        #expect(directives.contains(.recoverConfined(epoch: 2, to: 3, lost: w3, partitions: [1, 2, 4, 5], rejoin: 7)))
        #expect(h.barrier.owners == Array(repeating: w1, count: 6))
        #expect(h.barrier.partitionEpochs == [0, 2, 2, 0, 2, 2])
        h.runStage()
        while case .replay? = h.currentRole { h.runStage() }
        #expect(h.currentRole == .superstep(7, inbox: .logged(superstep: 6), writesCheckpoint: true))
        h.runToEnd()
        #expect(h.failure == nil && h.finished)
    }

    @Test func aLogOnADeadWorkerFallsBackToAFullRollback() {
        var h = harness()
        h.run(until: 6)
        // Partition 0's output of superstep 5 was committed by w2 (as after a move), which dies with its log.
        let logged = h.barrier.log.messages(of: 5, partitions: 6)[0]!
        h.barrier.log.recordMessages(
            superstep: 5, partition: 0, partitions: 6, .init(attempt: logged.attempt, worker: w2, report: logged.report))
        let directives = h.lose(w2)
        #expect(directives.contains(.rollback(epoch: 1, to: 3, lost: w2)))
        #expect(h.barrier.recovery == nil)
    }

    /// A survivor running two recovering partitions fetches the second one's input while it runs the first.
    @Test func aRecoveringPartitionsWorkerFetchesAheadForItsNextRecoveringPartition() {
        var h = harness(partitions: 12)
        h.run(until: 6)
        h.lose(w2)
        let prepare = h.barrier.currentStage
        #expect(h.barrier.stageMembers[prepare] == [1, 4, 7, 10])
        #expect([1, 4, 7, 10].map { h.barrier.owners[$0] } == [w1, w3, w1, w3])
        #expect(h.barrier.nextOwned(after: 1, in: prepare) == 7, "not partition 3, which w1 holds but does not recover")
        #expect(h.barrier.nextOwned(after: 4, in: prepare) == 10)
        #expect(h.barrier.nextOwned(after: 7, in: prepare) == nil)
        h.runStage()
        #expect(h.currentRole == .replay(4, inbox: .checkpoint(superstep: 3)))
        #expect(h.barrier.nextOwned(after: 1, in: h.barrier.currentStage) == 7)
        while case .replay? = h.currentRole { h.runStage() }
        #expect(h.barrier.nextOwned(after: 1, in: h.barrier.currentStage) == h.barrier.nextOwned(after: 1), "every partition runs again")
        #expect(h.barrier.nextOwned(after: 1) == 3)
    }

    @Test func jobsThatResolveTargetsResolveOnlyTheRecoveringPartitionsFromEveryRouting() {
        var h = harness(resolves: true)
        h.run(until: 5)
        let prepared = h.barrier.log.routing
        #expect(prepared.count == 6)
        h.lose(w1)
        h.runStage()
        guard case .resolve(_, let prepareStage)? = h.currentRole else {
            Issue.record("expected a resolve stage, got \(String(describing: h.currentRole))")
            return
        }
        #expect(h.barrier.stageMembers[h.barrier.currentStage] == [0, 3])
        let routing = h.barrier.routingTasks(prepareStage: prepareStage)
        #expect(routing[1] == prepared[1] && routing[2] == prepared[2], "the survivors' routings are the ones they serve")
        #expect(routing[0] != prepared[0] && routing[0]?.worker != w1, "the recovering partitions' come from the new prepare stage")
        h.runStage()
        #expect(h.currentRole == .replay(4, inbox: .checkpoint(superstep: 3)))
    }

    @Test func aLossDuringOutputReplaysToTheLastSuperstepThenWritesAgain() {
        var h = harness(maxSupersteps: 6)
        h.runToEnd(limit: 8)
        guard case .output? = h.currentRole else {
            Issue.record("expected the output stage, got \(String(describing: h.currentRole))")
            return
        }
        h.lose(w2)
        while h.currentRole != .output && h.failure == nil { h.runStage() }
        #expect(replays(h) == [4, 5])
        #expect(h.barrier.stageMembers.isEmpty)
        h.runStage()
        #expect(h.finished)
    }

    @Test func logsBeforeTheNewestCheckpointAreForgotten() {
        var h = harness()
        h.run(until: 9)
        #expect(h.barrier.log.messages.keys.sorted() == [8], "superstep 7's messages are in its checkpoint")
        #expect(h.barrier.log.masters.keys.sorted() == [7, 8])
        #expect(h.barrier.logFloor == 7)
        var full = BarrierHarness(partitions: 6, checkpointEvery: 4, workers: [w1, w2, w3])
        full.run(until: 5)
        #expect(full.barrier.logFloor == nil && full.barrier.log == SuperstepLog())
    }

    @Test func replayingTheRecordedInputsGivesTheSameDirectives() {
        var h = harness(resolves: true)
        h.run(until: 6)
        h.lose(w2)
        h.runStage()
        h.lose(w3)
        h.runToEnd()
        #expect(h.failure == nil && h.finished)
        var replay = harness(resolves: true).barrier
        let directives = h.inputs.flatMap { replay.handle($0) }
        #expect(directives == h.directives)
        #expect(replay.owners == h.barrier.owners && replay.partitionEpochs == h.barrier.partitionEpochs && replay.log == h.barrier.log)
    }
}
