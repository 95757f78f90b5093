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
        #expect(json.map(\.0) == ["job", "stages", "workers", "attempts", "supersteps", "markers"])
    }
}
