import Testing

@testable import SpindleCore

/// The barrier's plan of a run without failures: stages, inboxes, checkpoints, stopping and counters.
@Suite struct SuperstepBarrierTests {
    private let w1 = WorkerID(1), w2 = WorkerID(2)

    @Test func runWithoutCombinerGoesLoadPrepareSuperstepsOutput() {
        var h = BarrierHarness(splits: 3, partitions: 4)
        h.activity = { s in s < 2 ? (2, 3) : (0, 0) }
        h.runToEnd()
        #expect(h.failure == nil)
        #expect(h.finished)
        #expect(h.stages.map(\.name) == ["load", "prepare", "superstep 0", "superstep 1", "superstep 2", "output"])
        #expect(h.stages[0].placement == nil)
        #expect(h.stages.dropFirst().allSatisfy { $0.placement == [w1, w2, w1, w2] }, "owners round-robin over the live workers")
        #expect(h.stages[2].role == .superstep(0, inbox: .none, writesCheckpoint: false))
        #expect(h.stages[3].role == .superstep(1, inbox: .previousStage(2), writesCheckpoint: false))
        #expect(h.stages[4].role == .superstep(2, inbox: .previousStage(3), writesCheckpoint: false))
        #expect(h.barrier.stop == SuperstepBarrier.Stop(reason: .halted, superstep: 2))
        #expect(h.directives.suffix(2) == [.releaseStage(SuperstepBarrier.loadStage), .finish])
        #expect(h.events.last == .stopped(.halted, superstep: 2, active: 0, messages: 0))
        #expect(h.directives.contains(.commitOutput(partition: 3, attempt: AttemptID(UInt64(3 + 4 * 5)))))
        let counters = Dictionary(uniqueKeysWithValues: h.barrier.namedCounters)
        #expect(counters == ["members": 20, "records": 30, "supersteps": 3, "rollbacks": 0, "messages": 24, "checkpoints": 0])
    }

    @Test func runWithCombinerResolvesTargetsBeforeSuperstepZero() {
        var h = BarrierHarness(partitions: 3, maxSupersteps: 2, resolves: true)
        h.runToEnd()
        #expect(h.failure == nil)
        #expect(h.stages.map(\.name) == ["load", "prepare", "resolve", "superstep 0", "superstep 1", "output"])
        #expect(h.stages[2].role == .resolve(restore: nil, prepareStage: 1))
        #expect(h.stages[3].role == .superstep(0, inbox: .none, writesCheckpoint: false))
        #expect(h.barrier.committedTasks(of: 1).allSatisfy { $0 == nil }, "the prepare outputs are released once resolved")
    }

    @Test func superstepResultsReachTheNextSuperstepAndMaster() {
        var h = BarrierHarness(partitions: 4)
        h.run(until: 1)
        guard case .runMaster(let request)? = h.directives.first(where: { if case .runMaster = $0 { true } else { false } }) else {
            Issue.record("no runMaster directive")
            return
        }
        #expect(
            request
                == MasterRequest(superstep: 0, totalMembers: 20, activeMembers: 8, messagesSent: 12, partials: [[1], [1], [1], [1]], globals: [:]))
        #expect(h.barrier.aggregates == [4])
        #expect(h.barrier.globals == ["last": 0])
        #expect(h.events.first == .superstep(0, active: 8, messages: 12, epoch: 0, aggregates: [4]))
    }

    @Test func checkpointEveryKCommitsManifestsAndKeepsTheLastTwo() {
        var h = BarrierHarness(partitions: 2, checkpointEvery: 2, maxSupersteps: 6)
        h.runToEnd()
        #expect(h.failure == nil)
        let writing = h.stages.compactMap { stage -> Int? in
            if case .superstep(let s, _, true) = stage.role { return s }
            return nil
        }
        #expect(writing == [1, 3, 5])
        for s in writing {
            let create = h.directives.firstIndex(of: .createCheckpointDirectory(superstep: s))
            let add = h.directives.firstIndex { if case .addStage(_, "superstep \(s)", _, _, _, _) = $0 { true } else { false } }
            #expect(create != nil && add != nil && create! < add!, "the directory of superstep \(s) exists before its stage")
        }
        #expect(
            h.events.filter { if case .checkpoint = $0 { true } else { false } } == [
                .checkpoint(superstep: 1), .checkpoint(superstep: 3), .checkpoint(superstep: 5),
            ])
        #expect(h.directives.filter { if case .pruneCheckpoint = $0 { true } else { false } } == [.pruneCheckpoint(superstep: 1)])
        #expect(h.barrier.checkpoints == [3, 5])
        #expect(h.manifests[5] == CheckpointManifest(superstep: 5, totalVertices: 10, partitions: 2, aggregates: [2], globals: [Pair("last", 5)]))
        // A checkpoint is committed only after its superstep's event, and before the next stage is added.
        let superstep5 = h.directives.firstIndex(of: .record(.superstep(5, active: 4, messages: 6, epoch: 0, aggregates: [2])))!
        let manifest5 = h.directives.firstIndex { if case .writeManifest(let m) = $0 { m.superstep == 5 } else { false } }!
        #expect(superstep5 < manifest5)
        #expect(Dictionary(uniqueKeysWithValues: h.barrier.namedCounters)["checkpoints"] == 2)
    }

    @Test func masterHaltStopsAfterThatSuperstep() {
        var h = BarrierHarness()
        h.masterHalts = [1]
        h.runToEnd()
        #expect(h.barrier.stop == SuperstepBarrier.Stop(reason: .master, superstep: 1))
        #expect(h.stages.map(\.name).suffix(2) == ["superstep 1", "output"])
        #expect(h.finished)
    }

    @Test func maxSuperstepsStopsAnActiveJob() {
        var h = BarrierHarness(maxSupersteps: 3)
        h.runToEnd()
        #expect(h.barrier.stop == SuperstepBarrier.Stop(reason: .maxSupersteps, superstep: 2))
        #expect(h.events.last == .stopped(.maxSupersteps, superstep: 2, active: 8, messages: 12))
        #expect(h.barrier.counters.supersteps == 3)
    }

    @Test func allPartitionsHaltedWithoutMessagesStopsEvenWhenMasterHalts() {
        var h = BarrierHarness()
        h.activity = { _ in (0, 0) }
        h.masterHalts = [0]
        h.runToEnd()
        #expect(h.barrier.stop == SuperstepBarrier.Stop(reason: .halted, superstep: 0))
    }

    @Test func haltedPartitionsWithMessagesInFlightContinue() {
        var h = BarrierHarness(maxSupersteps: 5)
        h.activity = { s in s == 0 ? (0, 1) : (0, 0) }
        h.runToEnd()
        #expect(h.barrier.stop == SuperstepBarrier.Stop(reason: .halted, superstep: 1))
    }

    @Test func inputsOutOfTurnChangeNothing() {
        var h = BarrierHarness()
        h.feed(.start)
        #expect(h.feed(.start).isEmpty, "a second start plans nothing")
        #expect(h.feed(.stageCompleted(5, liveWorkers: h.live)).isEmpty, "a stage not in flight")
        #expect(h.feed(.masterCompleted(MasterResult(aggregates: [1], globals: [:], halt: true))).isEmpty, "an answer nobody asked for")
        #expect(h.feed(.checkpointCorrupt(superstep: 3, cause: "x")).isEmpty)
        #expect(h.feed(.workerLost(w1, liveWorkers: [w2])).isEmpty, "a loss before partitions have owners is the scheduler's business")
    }

    @Test func loadOutputsCountOnceWhenALoadTaskRunsAgain() {
        var h = BarrierHarness(splits: 2)
        h.feed(.start)
        h.commit(0)
        h.commit(0)
        h.commit(1)
        #expect(h.barrier.counters.records == 20)
        #expect(h.barrier.counters.skippedRecords == 2)
        #expect(h.barrier.loadOutputs.map { $0?.attempt } == [AttemptID(2), AttemptID(3)], "the newest location of a re-run output is kept")
    }
}
