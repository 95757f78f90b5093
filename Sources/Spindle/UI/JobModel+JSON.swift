import SpindleCore

/// The model as the JSON the pages read (`/api/...`, and embedded in a report). `now` is the time the
/// pages show as "now": the newest event of a finished job, the clock of a running one.
extension JobModel {
    /// Every document in one: what a report embeds and `/api/model` serves.
    func json(now: Double) -> JSONValue {
        .object([
            ("job", jobJSON(now: now)), ("stages", .array(stages.map { stageJSON($0, now: now) })), ("workers", workersJSON(now: now)),
            ("attempts", .array(attempts.map(attemptJSON))), ("supersteps", superstepsJSON()), ("markers", markersJSON()),
            ("rollbacks", rollbacksJSON()),
        ])
    }

    func jobJSON(now: Double) -> JSONValue {
        let end = endedAt ?? now
        let current = stages.first { $0.completedAt == nil }
        return .object([
            ("name", .string(job)), ("state", .string(state.rawValue)), ("error", error.map(JSONValue.string) ?? .null),
            ("listen", .string(listen)), ("parameters", .object(parameters.map { ($0.0, .string($0.1)) })),
            ("inputs", .array(inputs.map { .object([("path", .string($0.path)), ("bytes", .int($0.bytes))]) })),
            ("expected_workers", expectedWorkers.map(JSONValue.int) ?? .null),
            ("elapsed", .double(round3(max(0, end - (startedAt ?? 0))))), ("now", .double(round3(now))),
            ("current_stage", current.map { .int($0.index) } ?? .null),
            ("attempts", .int(attempts.count)), ("failed_attempts", .int(attempts.filter { $0.outcome == .failed || $0.outcome == .lost }.count)),
            ("workers_lost", .int(workers.filter { $0.lostAt != nil }.count)),
            ("counters", .object(counters.map { ($0.0, .int($0.1)) })),
        ])
    }

    /// One stage with its progress, totals, speed, and the distributions of its committed tasks.
    func stageJSON(_ stage: Stage, now: Double) -> JSONValue {
        let own = attempts.filter { $0.stage == stage.index }
        let committed = own.filter { $0.outcome == .committed }
        let doneTasks = Set(committed.map(\.index)).count
        let running = own.filter { $0.outcome == .running }.count
        let recordsIn = committed.reduce(0) { $0 + $1.recordsIn }
        let bytesIn = committed.reduce(0) { $0 + $1.bytesIn }
        let firstStart = own.map(\.start).min() ?? stage.addedAt
        let span = max(0.001, (stage.completedAt ?? now) - firstStart)
        let durations = Distribution(committed.map { ($0.end ?? $0.start) - $0.start }, floor: 0.25)
        let sizes = Distribution(committed.map { Double($0.bytesIn) }, floor: 1_048_576)
        let state = stage.abandoned ? "abandoned" : stage.completedAt != nil ? "complete" : own.isEmpty ? "waiting" : "running"
        var fields: [(String, JSONValue)] = [
            ("index", .int(stage.index)), ("name", .string(stage.name)), ("state", .string(state)), ("tasks", .int(stage.tasks)),
            ("done", .int(doneTasks)), ("running", .int(running)), ("attempts", .int(own.count)),
        ]
        let failed = own.filter { $0.outcome == .failed || $0.outcome == .lost }.count
        fields += [("failed", .int(failed)), ("speculative", .int(own.filter(\.speculative).count))]
        fields += [("added", .double(stage.addedAt)), ("completed", stage.completedAt.map(JSONValue.double) ?? .null)]
        fields.append(("seconds", .double(round3(stage.seconds ?? span))))
        let recordsOut = committed.reduce(0) { $0 + $1.recordsOut }
        let bytesOut = committed.reduce(0) { $0 + $1.bytesOut }
        fields += [("records_in", .int(recordsIn)), ("bytes_in", .int(bytesIn)), ("records_out", .int(recordsOut)), ("bytes_out", .int(bytesOut))]
        fields.append(("spills", .int(committed.reduce(0) { $0 + $1.spills })))
        fields.append(("records_per_second", .double(round3(Double(recordsIn) / span))))
        fields.append(("bytes_per_second", .double(round3(Double(bytesIn) / span))))
        fields.append(("durations", durations.map(Self.json) ?? .null))
        fields.append(("input_bytes", sizes.map(Self.json) ?? .null))
        let skewed = (durations?.skewed ?? false) || (sizes?.skewed ?? false)
        fields.append(("skewed", .bool(skewed)))
        return .object(fields)
    }

    static func json(_ d: Distribution) -> JSONValue {
        .object([
            ("count", .int(d.count)), ("min", .double(round3(d.min))), ("p25", .double(round3(d.p25))), ("median", .double(round3(d.median))),
            ("p75", .double(round3(d.p75))), ("max", .double(round3(d.max))), ("skewed", .bool(d.skewed)),
        ])
    }

    func attemptJSON(_ a: Attempt) -> JSONValue {
        .object([
            ("attempt", .int(a.id)), ("stage", .int(a.stage)), ("index", .int(a.index)), ("task", .string(a.task)), ("worker", .int(a.worker)),
            ("speculative", .bool(a.speculative)), ("start", .double(a.start)), ("end", a.end.map(JSONValue.double) ?? .null),
            ("seconds", a.end.map { .double(round3($0 - a.start)) } ?? .null), ("outcome", .string(a.outcome.rawValue)),
            ("records_in", .int(a.recordsIn)), ("bytes_in", .int(a.bytesIn)), ("records_out", .int(a.recordsOut)), ("bytes_out", .int(a.bytesOut)),
            ("spills", .int(a.spills)), ("cause", a.cause.map(JSONValue.string) ?? .null),
        ])
    }

    func superstepsJSON() -> JSONValue {
        .array(
            supersteps.map { s in
                .object([
                    ("superstep", .int(s.superstep)), ("t", .double(s.t)), ("seconds", .double(round3(s.seconds))), ("active", .int(s.active)),
                    ("messages", .int(s.messages)), ("epoch", .int(s.epoch)), ("aggregates", .object(s.aggregates.map { ($0.0, .double($0.1)) })),
                ])
            })
    }

    func markersJSON() -> JSONValue {
        .array(
            markers.map { m in
                .object([("t", .double(m.t)), ("kind", .string(m.kind)), ("text", .string(m.text)), ("worker", m.worker.map(JSONValue.int) ?? .null)])
            })
    }

    /// The document served at `path` below `/api/` (`model`, `job`, `stages`, `stages/N`, `workers`,
    /// `timeline`, `supersteps` with the rollbacks' costs), or nil for an unknown path.
    func document(_ path: Substring, now: Double) -> JSONValue? {
        switch path {
        case "model": return json(now: now)
        case "job": return jobJSON(now: now)
        case "stages": return .array(stages.map { stageJSON($0, now: now) })
        case "workers": return workersJSON(now: now)
        case "timeline":
            return .object([
                ("job", jobJSON(now: now)), ("attempts", .array(attempts.map(attemptJSON))), ("markers", markersJSON()),
                ("workers", workersJSON(now: now)),
            ])
        case "supersteps": return .object([("supersteps", superstepsJSON()), ("markers", markersJSON()), ("rollbacks", rollbacksJSON())])
        default:
            guard path.hasPrefix("stages/"), let i = Int(path.dropFirst("stages/".count)), stages.indices.contains(i) else { return nil }
            return .object([("stage", stageJSON(stages[i], now: now)), ("attempts", .array(attempts.filter { $0.stage == i }.map(attemptJSON)))])
        }
    }
}

func round3(_ x: Double) -> Double { (x * 1000).rounded() / 1000 }
