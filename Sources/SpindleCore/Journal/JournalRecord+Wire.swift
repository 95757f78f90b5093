/// The binary form of a journal record: a kind byte, then the fields in the Spindle wire format.
extension JournalRecord: WireCodable {
    package func encode(to w: inout WireWriter) {
        switch self {
        case .planned(let plan): w.writeByte(1); w.write(plan)
        case .epoch(let epoch): w.writeByte(2); w.write(epoch)
        case .taskCommitted(let task): w.writeByte(3); w.write(task)
        case .mapOutput(let output): w.writeByte(4); w.write(output)
        case .barrier(let input): w.writeByte(5); input.encodeForJournal(to: &w)
        case .superstepCompleted(let s, let aggregates, let globals): w.writeByte(6); w.write(s); w.write(aggregates); w.write(globals)
        case .checkpointCommitted(let manifest): w.writeByte(7); w.write(manifest)
        case .jobCommitted: w.writeByte(8)
        case .checkpointStoreChosen(let mode): w.writeByte(9); w.write(mode.rawValue)
        }
    }

    /// - Throws: ``WireError`` for an unknown kind or fields that do not decode.
    package init(from r: inout WireReader) throws {
        switch try r.readByte() {
        case 1: self = .planned(try r.read(JobPlan.self))
        case 2: self = .epoch(try r.read(Int.self))
        case 3: self = .taskCommitted(try r.read(CommittedTaskRecord.self))
        case 4: self = .mapOutput(try r.read(MapOutputRecord.self))
        case 5: self = .barrier(try BarrierInput.decodeFromJournal(&r))
        case 6: self = .superstepCompleted(superstep: try r.read(Int.self), aggregates: try r.read([Double].self), globals: try r.read([Pair<String, Double>].self))
        case 7: self = .checkpointCommitted(try r.read(CheckpointManifest.self))
        case 8: self = .jobCommitted
        case 9:
            let name = try r.read(String.self)
            guard let mode = CheckpointStoreMode(rawValue: name) else {
                throw WireError.invalidValue(type: "journal record", detail: "unknown checkpoint store '\(name.prefix(40))'")
            }
            self = .checkpointStoreChosen(mode)
        case let kind: throw WireError.invalidValue(type: "journal record", detail: "unknown kind \(kind)")
        }
    }
}

extension BarrierInput {
    /// Writes the input with a kind byte; master globals as pairs sorted by name, so equal inputs encode equally.
    func encodeForJournal(to w: inout WireWriter) {
        switch self {
        case .start:
            w.writeByte(1)
        case .taskCommitted(let task, let attempt, let worker, let report):
            w.writeByte(2); w.write(task); w.write(attempt); w.write(worker); w.write(report)
        case .stageCompleted(let stage, let live):
            w.writeByte(3); w.write(stage); w.write(live)
        case .workerLost(let worker, let live):
            w.writeByte(4); w.write(worker); w.write(live)
        case .masterCompleted(let result):
            w.writeByte(5); w.write(result.aggregates); w.write(Self.sorted(result.globals)); w.write(result.halt)
        case .checkpointVerified(let manifest):
            w.writeByte(6); w.write(manifest)
        case .checkpointCorrupt(let superstep, let cause):
            w.writeByte(7); w.write(superstep); w.write(cause)
        case .workerExcluded(let worker, let healthy):
            w.writeByte(8); w.write(worker); w.write(healthy)
        }
    }

    static func decodeFromJournal(_ r: inout WireReader) throws -> BarrierInput {
        switch try r.readByte() {
        case 1: return .start
        case 2:
            return .taskCommitted(try r.read(TaskID.self), attempt: try r.read(AttemptID.self), worker: try r.read(WorkerID.self), report: try r.read(PartitionReport.self))
        case 3: return .stageCompleted(try r.read(Int.self), liveWorkers: try r.read([WorkerID].self))
        case 4: return .workerLost(try r.read(WorkerID.self), liveWorkers: try r.read([WorkerID].self))
        case 5:
            let aggregates = try r.read([Double].self)
            let globals = try r.read([Pair<String, Double>].self)
            let halt = try r.read(Bool.self)
            return .masterCompleted(
                MasterResult(aggregates: aggregates, globals: Dictionary(globals.map { ($0.first, $0.second) }, uniquingKeysWith: { _, b in b }), halt: halt))
        case 6: return .checkpointVerified(try r.read(CheckpointManifest.self))
        case 7: return .checkpointCorrupt(superstep: try r.read(Int.self), cause: try r.read(String.self))
        case 8: return .workerExcluded(try r.read(WorkerID.self), healthyWorkers: try r.read([WorkerID].self))
        case let kind: throw WireError.invalidValue(type: "barrier input", detail: "unknown kind \(kind)")
        }
    }

    private static func sorted(_ globals: [String: Double]) -> [Pair<String, Double>] {
        globals.sorted { $0.key < $1.key }.map { Pair($0.key, $0.value) }
    }
}
