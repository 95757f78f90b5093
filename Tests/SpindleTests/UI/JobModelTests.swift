import SpindleCore
import Foundation
import SpindlePosix
import Testing

@testable import Spindle

/// The UI's model: distributions, the event log reader, and the model of a real run's event log.
@Suite struct JobModelTests {
    @Test func distributionGivesQuartilesAndFlagsSkew() throws {
        let d = try #require(Distribution([4, 1, 100, 3, 2]))
        #expect([d.min, d.p25, d.median, d.p75, d.max] == [1, 2, 3, 4, 100])
        #expect(d.skewed)
        #expect(try #require(Distribution([1, 1.2, 2.9])).skewed == false)
        #expect(try #require(Distribution([0.001, 0.001, 0.01], floor: 0.25)).skewed == false, "3 ms against 1 ms is no skew")
        #expect(Distribution([]) == nil)
    }

    @Test func aBadLineIsNamedWithFileAndLine() {
        let text = "{\"t\":0,\"event\":\"job_started\"}\n{\"t\":1,\"event\":\n{\"t\":2,\"event\":\"job_succeeded\"}\n"
        #expect(throws: UsageError.self) { try EventLogFile.parse(Array(text.utf8), name: "run/events.jsonl") }
        do {
            _ = try EventLogFile.parse(Array(text.utf8), name: "run/events.jsonl")
        } catch {
            #expect("\(error)".contains("run/events.jsonl:2:"), "\(error)")
        }
        for bad in ["[1,2]\n", "{\"t\":1}\n", "{\"event\":\"x\"}\n", "\n\n"] {
            #expect(throws: UsageError.self) { try EventLogFile.parse(Array(bad.utf8), name: "x") }
        }
    }

    @Test func aLastLineStillBeingWrittenIsLeftOut() throws {
        let text = "{\"t\":0,\"event\":\"job_started\",\"job\":\"j\"}\n{\"t\":1,\"ev"
        let events = try EventLogFile.parse(Array(text.utf8), name: "x")
        #expect(events.map(\.name) == ["job_started"])
        #expect(events[0].string("job") == "j")
    }

    @Test func fieldsKeepTheirTypes() throws {
        let line = "{\"t\":0.5,\"event\":\"attempt_started\",\"attempt\":3,\"speculative\":true,\"task\":\"map task 1\",\"x\":1.5}"
        let event = try EventLogFile.event(from: ArraySlice(Array(line.utf8)))
        #expect(event.int("attempt") == 3)
        #expect(event.bool("speculative") == true)
        #expect(event.double("x") == 1.5)
        #expect(event.t == 0.5)
    }

    /// A real word count with 2 workers: the model of `OUTPUT/_logs/events.jsonl` agrees with the log and `_SUCCESS`.
    @Test func theModelOfARealRunMatchesItsLogAndSuccessFile() throws {
        let dir = try TemporaryDirectory()
        let result = try SpindleProcess.run(
            [
                "run", "wordcount", "--workers", "2", "--output", dir.file("out"), "--split-size", "64KiB", "--ui", "off", "--event-log",
                dir.file("events.jsonl"),
            ],
            in: dir.path)
        #expect(result.exitCode == 0, "\(result.stderr)")
        let kept = try FileSystem.readFile(dir.file("out/_logs/events.jsonl"))
        #expect(kept == (try FileSystem.readFile(dir.file("events.jsonl"))), "the run's own log and --event-log differ")
        var model = JobModel()
        for event in try EventLogFile.read(dir.file("out/_logs/events.jsonl")) { model.apply(event) }
        let log = EventLogReader(path: dir.file("out/_logs/events.jsonl"))
        #expect(model.state == .succeeded)
        #expect(model.job == "wordcount")
        #expect(model.stages.map(\.name) == ["map", "reduce"])
        #expect(model.attempts.count == log.events(named: "attempt_started").count)
        #expect(model.workers.count == 2)
        for stage in model.stages {
            let committed = Set(model.attempts.filter { $0.stage == stage.index && $0.outcome == .committed }.map(\.index))
            #expect(committed.count == stage.tasks, "stage \(stage.name)")
        }
        let success = try #require(try JSONSerialization.jsonObject(with: Data(FileSystem.readFile(dir.file("out/_SUCCESS")))) as? [String: Any])
        let counters = try #require(success["counters"] as? [String: Int])
        #expect(Dictionary(model.counters, uniquingKeysWith: { a, _ in a }) == counters)
        let mapBytes = model.attempts.filter { $0.stage == 0 && $0.outcome == .committed }.reduce(0) { $0 + $1.bytesIn }
        #expect(mapBytes == counters["map.input.bytes"])
        guard case .object(let json) = model.json(now: model.lastEventAt) else { Issue.record("the model's JSON is not an object"); return }
        #expect(json.map(\.0) == ["job", "stages", "workers", "attempts", "supersteps", "markers", "rollbacks"])
    }

    /// A model fed by hand: two workers, a map stage whose worker 2 takes four times as long per task.
    static func scriptedModel() -> JobModel {
        var model = JobModel()
        func e(_ t: Double, _ name: String, _ fields: [(String, JSONValue)]) { model.apply(JobEvent(t: t, name: name, fields: fields)) }
        e(0, "job_started", [("job", .string("wordcount"))])
        e(0.1, "worker_joined", [("worker", .int(1)), ("pid", .int(11)), ("host", .string("a"))])
        e(0.1, "worker_joined", [("worker", .int(2)), ("pid", .int(12)), ("host", .string("b"))])
        e(0.2, "stage_added", [("stage", .string("map")), ("tasks", .int(4))])
        for (i, (worker, start, seconds)) in [(1, 0.2, 1.0), (2, 0.2, 4.0), (1, 1.2, 1.0), (2, 4.2, 4.0)].enumerated() {
            e(start, "attempt_started", [("attempt", .int(i + 1)), ("stage", .int(0)), ("index", .int(i)), ("worker", .int(worker))])
            e(start + seconds, "attempt_committed", [("attempt", .int(i + 1)), ("worker", .int(worker)), ("spills", .int(i))])
        }
        return model
    }

    @Test func spillsAreCountedPerTaskPerStageAndPerWorker() throws {
        let model = Self.scriptedModel()
        #expect(model.attempts.map(\.spills) == [0, 1, 2, 3])
        let stage = try #require(
            JSONSerialization.jsonObject(with: Data(model.stageJSON(model.stages[0], now: 7).serialized().utf8)) as? [String: Any])
        #expect(stage["spills"] as? Int == 6)
        let workers = try #require(JSONSerialization.jsonObject(with: Data(model.workersJSON(now: 9).serialized().utf8)) as? [[String: Any]])
        #expect(workers.map { $0["spills"] as? Int } == [2, 4])
    }

    @Test func theSlowWorkerIsFlaggedAndHeartbeatAgesShowWhileRunning() throws {
        var model = Self.scriptedModel()
        model.heartbeatAges = [1: 0.25]
        let live = try #require(JSONSerialization.jsonObject(with: Data(model.workersJSON(now: 9).serialized().utf8)) as? [[String: Any]])
        #expect(live.map { $0["slow"] as? Bool } == [false, true])
        #expect(live[0]["heartbeat_age"] as? Double == 0.25)
        #expect(live[1]["heartbeat_age"] is NSNull, "no heartbeat reported for worker 2")
        #expect(live.map { $0["last_seen_before"] as? String } == ["now", "now"])
        model.apply(JobEvent(t: 8.5, name: "job_succeeded", fields: []))
        let ended = try #require(JSONSerialization.jsonObject(with: Data(model.workersJSON(now: 8.5).serialized().utf8)) as? [[String: Any]])
        #expect(ended[0]["heartbeat_age"] is NSNull, "a finished job has no heartbeats")
        #expect(ended[0]["last_seen_before"] as? String == "end")
        #expect(ended[0]["last_seen_age"] as? Double == 6.3)
        #expect(ended[1]["last_seen_age"] as? Double == 0.3)
    }

    @Test func aRollbackCostsTheWorkSinceTheRestoredStateAndTheTimeToGetBack() throws {
        var model = JobModel()
        func e(_ t: Double, _ name: String, _ fields: [(String, JSONValue)]) { model.apply(JobEvent(t: t, name: name, fields: fields)) }
        func step(_ t: Double, _ s: Int, epoch: Int) { e(t, "superstep", [("superstep", .int(s)), ("epoch", .int(epoch))]) }
        e(0, "job_started", [("job", .string("pagerank"))])
        e(7, "stage_added", [("stage", .string("prepare")), ("tasks", .int(8))])
        step(18, 0, epoch: 0)
        step(19, 1, epoch: 0)
        e(21.5, "rollback", [("to_superstep", .int(-1)), ("epoch", .int(1)), ("lost", .int(1))])
        e(21.5, "stage_added", [("stage", .string("prepare")), ("tasks", .int(8))])
        step(31, 0, epoch: 1)
        #expect(model.rollbacks.first?.recoveredAt == nil, "still replaying")
        step(32.5, 1, epoch: 1)
        step(33, 2, epoch: 1)
        e(33.5, "checkpoint", [("superstep", .int(2))])
        step(34, 3, epoch: 1)
        e(35, "rollback", [("to_superstep", .int(2)), ("epoch", .int(2)), ("lost", .int(2))])
        step(36, 3, epoch: 2)
        let json = try #require(JSONSerialization.jsonObject(with: Data(model.rollbacksJSON().serialized().utf8)) as? [[String: Any]])
        #expect(json.map { $0["supersteps_replayed"] as? Int } == [2, 1])
        #expect(json.map { $0["work_lost_seconds"] as? Double } == [14.5, 1.5])
        #expect(json.map { $0["recovery_seconds"] as? Double } == [11, 1])
        #expect(json.map { $0["worker"] as? Int } == [1, 2])
    }

    /// A map task over 3 MiB with a 1 MiB memory budget spills; its attempt reports how often, and the
    /// model's stage total equals the job's `map.spills` counter.
    @Test func theSpillsOfARealRunAddUpToItsMapSpillsCounter() throws {
        let dir = try TemporaryDirectory()
        try FileSystem.createDirectory(dir.file("in"), intermediate: true)
        #expect(try SpindleProcess.run(["generate", "text", "--size", "3MiB", "--seed", "2", dir.file("in/corpus.txt")], in: dir.path).exitCode == 0)
        let result = try SpindleProcess.run(
            [
                "run", "wordcount", "--input", dir.file("in"), "--workers", "1", "--output", dir.file("out"), "--memory", "1MiB", "--split-size",
                "4MiB", "--ui", "off",
            ],
            in: dir.path)
        #expect(result.exitCode == 0, "\(result.stderr)")
        var model = JobModel()
        for event in try EventLogFile.read(dir.file("out/_logs/events.jsonl")) { model.apply(event) }
        let counters = try UIPageChecks.successCounters(dir.file("out"))
        let spills = try #require(counters["map.spills"])
        #expect(spills > 0, "the run was meant to spill")
        let stage = try #require(
            JSONSerialization.jsonObject(with: Data(model.stageJSON(model.stages[0], now: model.lastEventAt).serialized().utf8)) as? [String: Any])
        #expect(stage["spills"] as? Int == spills)
    }
}
