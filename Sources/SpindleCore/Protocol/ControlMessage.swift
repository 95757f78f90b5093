/// A message between a worker and the coordinator after the handshake.
package enum ControlMessage: Equatable, Sendable {
    /// Worker → coordinator, once: who the worker is.
    case register(WorkerInfo)
    /// Coordinator → worker: the worker's id and the job it serves.
    case registered(WorkerID, JobDescriptor)
    /// Both ways, every heartbeat interval: a sign of life with the attempt the worker runs.
    case heartbeat(HeartbeatReport)
    /// Coordinator → worker: run this attempt.
    case assign(TaskAssignment)
    /// Worker → coordinator: the attempt succeeded; its output waits for the commit decision.
    case finished(AttemptResult)
    /// Worker → coordinator: the attempt failed.
    case failed(AttemptFailure)
    /// Coordinator → worker: abandon this attempt, another one committed.
    case cancel(AttemptID)
    /// Coordinator → worker: the job is over (or the worker was declared dead); exit. `jobFailed` says
    /// whether the job failed (or was stopped), so the worker exits non-zero.
    case shutdown(reason: String, jobFailed: Bool = false)
    /// Coordinator → worker: these workers were declared lost (all those lost in one turn of the coordinator's loop,
    /// at most ``maxPeerLosses``); abort every fetch of the outputs they hold.
    case peersLost([PeerLoss])
    /// Coordinator → worker: this (excluded) worker's partitions of a superstep job moved to other workers;
    /// release what it holds of them.
    case releasePartitions([Int])
    /// Worker → coordinator, once per session, right after `registered`: what the worker found it shares of the
    /// job's files (``StorageCheck``), so that the coordinator places work it can do (where checkpoints are kept).
    case storageChecked(WorkerStorage)

    /// The most lost workers one ``peersLost(_:)`` frame lists (a coordinator that loses more in one turn sends
    /// several frames); a frame with more is malformed.
    package static let maxPeerLosses = 1024

    /// The frame carrying this message.
    package func frame() -> Frame {
        var w = WireWriter()
        let kind: MessageKind
        switch self {
        case .register(let info): kind = .register; w.write(info)
        case .registered(let id, let job): kind = .registered; w.write(id); w.write(job)
        case .heartbeat(let report): kind = .heartbeat; w.write(report)
        case .assign(let assignment): kind = .assign; w.write(assignment)
        case .finished(let result): kind = .finished; w.write(result)
        case .failed(let failure): kind = .failed; w.write(failure)
        case .cancel(let attempt): kind = .cancel; w.write(attempt)
        case .shutdown(let reason, let jobFailed): kind = .shutdown; w.write(reason); w.write(jobFailed)
        case .peersLost(let losses): kind = .peersLost; w.write(losses)
        case .releasePartitions(let partitions): kind = .releasePartitions; w.write(partitions)
        case .storageChecked(let storage): kind = .storageChecked; w.write(storage)
        }
        return Frame(kind: kind.rawValue, payload: w.bytes)
    }

    /// Decodes a control frame.
    /// - Throws: ``ProtocolError`` for a kind that is not a control message, ``WireError`` for a malformed payload.
    package init(frame: Frame) throws {
        guard let kind = MessageKind(rawValue: frame.kind) else { throw ProtocolError.unknownKind(frame.kind) }
        self = try WireReader.withReader(over: frame.payload) { r in
            let message: ControlMessage
            switch kind {
            case .register: message = .register(try r.read(WorkerInfo.self))
            case .registered: message = .registered(try r.read(WorkerID.self), try r.read(JobDescriptor.self))
            case .heartbeat: message = .heartbeat(try r.read(HeartbeatReport.self))
            case .assign: message = .assign(try r.read(TaskAssignment.self))
            case .finished: message = .finished(try r.read(AttemptResult.self))
            case .failed: message = .failed(try r.read(AttemptFailure.self))
            case .cancel: message = .cancel(try r.read(AttemptID.self))
            case .shutdown: message = .shutdown(reason: try r.read(String.self), jobFailed: try r.read(Bool.self))
            case .peersLost:
                let losses = try r.read([PeerLoss].self)
                guard losses.count <= Self.maxPeerLosses else {
                    throw WireError.invalidValue(type: "peersLost", detail: "\(losses.count) lost workers in one frame, more than \(Self.maxPeerLosses)")
                }
                message = .peersLost(losses)
            case .releasePartitions: message = .releasePartitions(try r.read([Int].self))
            case .storageChecked: message = .storageChecked(try r.read(WorkerStorage.self))
            default: throw ProtocolError.unexpectedKind(kind)
            }
            try r.expectEnd()
            return message
        }
    }
}

/// A peer broke the message protocol.
package enum ProtocolError: Error, Equatable, CustomStringConvertible {
    /// A frame kind byte that no message has.
    case unknownKind(UInt8)
    /// A known kind that is not allowed on this connection or at this point.
    case unexpectedKind(MessageKind)

    package var description: String {
        switch self {
        case .unknownKind(let k): "unknown frame kind \(k)"
        case .unexpectedKind(let k): "unexpected \(k) frame"
        }
    }
}

/// What a worker tells the coordinator about itself when it registers.
package struct WorkerInfo: WireCodable, Equatable, Sendable {
    package var processID: Int32
    package var host: String
    /// Port of the worker's exchange server, from which other workers fetch its shuffle output.
    package var exchangePort: UInt16
    package var cores: Int
    /// The host other workers reach the exchange server at (`spindle worker --advertise`); empty: the address
    /// the coordinator sees the worker connect from.
    package var advertisedHost: String
    /// The committed outputs its exchange server still serves (a worker rejoining a resumed coordinator).
    package var servedOutputs: [ServedOutput]

    package init(processID: Int32, host: String, exchangePort: UInt16, cores: Int, advertisedHost: String = "", servedOutputs: [ServedOutput] = []) {
        self.processID = processID
        self.host = host
        self.exchangePort = exchangePort
        self.cores = cores
        self.advertisedHost = advertisedHost
        self.servedOutputs = servedOutputs
    }
    package func encode(to w: inout WireWriter) {
        w.write(processID); w.write(host); w.write(exchangePort); w.write(cores); w.write(advertisedHost); w.write(servedOutputs)
    }
    package init(from r: inout WireReader) throws {
        processID = try r.read(Int32.self); host = try r.read(String.self)
        exchangePort = try r.read(UInt16.self); cores = try r.read(Int.self); advertisedHost = try r.read(String.self)
        servedOutputs = try r.read([ServedOutput].self)
    }
}

/// The job a worker serves: its registered name, parameters, and the runtime settings workers need.
package struct JobDescriptor: WireCodable, Equatable, Sendable {
    package var job: String
    package var parameters: [Pair<String, String>]
    package var heartbeatInterval: Duration
    package var heartbeatTimeout: Duration
    /// Engine-specific settings (for example the number of reduce partitions), encoded by the engine.
    package var engineSettings: [UInt8]
    /// How the worker decides what it shares of the coordinator's files (nil in-process: everything).
    package var storage: StoragePlan?

    package init(
        job: String, parameters: [Pair<String, String>], heartbeatInterval: Duration, heartbeatTimeout: Duration, engineSettings: [UInt8],
        storage: StoragePlan? = nil
    ) {
        self.storage = storage
        self.job = job
        self.parameters = parameters
        self.heartbeatInterval = heartbeatInterval
        self.heartbeatTimeout = heartbeatTimeout
        self.engineSettings = engineSettings
    }
    package func encode(to w: inout WireWriter) {
        w.write(job); w.write(parameters)
        w.write(heartbeatInterval.nanosecondsClamped); w.write(heartbeatTimeout.nanosecondsClamped)
        w.write(engineSettings); w.write(storage)
    }
    package init(from r: inout WireReader) throws {
        job = try r.read(String.self); parameters = try r.read([Pair<String, String>].self)
        heartbeatInterval = .nanoseconds(Int64(clamping: try r.read(UInt64.self)))
        heartbeatTimeout = .nanoseconds(Int64(clamping: try r.read(UInt64.self)))
        engineSettings = try r.read([UInt8].self); storage = try r.read(StoragePlan?.self)
    }
}

/// A worker's heartbeat: the attempt it is running, if any, and how far along it is (0...1).
package struct HeartbeatReport: WireCodable, Equatable, Sendable {
    package var runningAttempt: AttemptID?
    package var progress: Double

    package init(runningAttempt: AttemptID?, progress: Double) {
        self.runningAttempt = runningAttempt
        self.progress = progress
    }
    package func encode(to w: inout WireWriter) { w.write(runningAttempt); w.write(progress) }
    package init(from r: inout WireReader) throws {
        runningAttempt = try r.read(AttemptID?.self); progress = try r.read(Double.self)
    }
}

/// One attempt of a task handed to a worker, with the engine's description of the work.
package struct TaskAssignment: WireCodable, Equatable, Sendable {
    package var attempt: AttemptID
    package var task: TaskID
    package var payload: [UInt8]

    package init(attempt: AttemptID, task: TaskID, payload: [UInt8]) {
        self.attempt = attempt
        self.task = task
        self.payload = payload
    }
    package func encode(to w: inout WireWriter) { w.write(attempt); w.write(task); w.write(payload) }
    package init(from r: inout WireReader) throws {
        attempt = try r.read(AttemptID.self); task = try r.read(TaskID.self); payload = try r.read([UInt8].self)
    }
}

/// Counters of one attempt, reported with its result and written to the event log.
package struct AttemptStatistics: WireCodable, Equatable, Sendable {
    package var recordsIn: Int = 0
    package var bytesIn: Int = 0
    package var recordsOut: Int = 0
    package var bytesOut: Int = 0
    /// The worker process's peak resident memory when the attempt ended.
    package var peakResidentBytes: Int = 0
    /// Sorted runs the attempt's output buffer wrote to disk because it passed its memory budget (since
    /// protocol version 3).
    package var spills: Int = 0
    /// The part file the attempt wrote (a reduce task's, or a map-only job's map task's), as its worker measured it
    /// while writing (since protocol version 4): the coordinator journals it at commit without reading the file.
    package var output: OutputDigest? = nil

    package init() {}
    package func encode(to w: inout WireWriter) {
        w.write(recordsIn); w.write(bytesIn); w.write(recordsOut); w.write(bytesOut); w.write(peakResidentBytes); w.write(spills)
        w.write(output)
    }
    package init(from r: inout WireReader) throws {
        recordsIn = try r.read(Int.self); bytesIn = try r.read(Int.self)
        recordsOut = try r.read(Int.self); bytesOut = try r.read(Int.self); peakResidentBytes = try r.read(Int.self)
        spills = try r.read(Int.self); output = try r.read(OutputDigest?.self)
    }
}

/// The size and CRC32C of a file, as the process that wrote it computed them.
package struct OutputDigest: WireCodable, Equatable, Sendable {
    package var size: Int
    package var checksum: UInt32

    package init(size: Int, checksum: UInt32) {
        self.size = size
        self.checksum = checksum
    }
    package func encode(to w: inout WireWriter) { w.write(size); w.write(checksum) }
    package init(from r: inout WireReader) throws { size = try r.read(Int.self); checksum = try r.read(UInt32.self) }
}

/// A successful attempt's result: engine-specific bytes (for example map output sizes) and statistics.
package struct AttemptResult: WireCodable, Equatable, Sendable {
    package var attempt: AttemptID
    package var payload: [UInt8]
    package var statistics: AttemptStatistics

    package init(attempt: AttemptID, payload: [UInt8], statistics: AttemptStatistics) {
        self.attempt = attempt
        self.payload = payload
        self.statistics = statistics
    }
    package func encode(to w: inout WireWriter) { w.write(attempt); w.write(payload); w.write(statistics) }
    package init(from r: inout WireReader) throws {
        attempt = try r.read(AttemptID.self); payload = try r.read([UInt8].self); statistics = try r.read(AttemptStatistics.self)
    }
}

/// A failed attempt: the cause, whether the task itself is to blame, whether trying again could help, and
/// outputs found lost or corrupt.
package struct AttemptFailure: WireCodable, Equatable, Sendable {
    package var attempt: AttemptID
    package var cause: String
    /// True when the failure is not the task's fault (its input could not be fetched); not counted.
    package var blameless: Bool
    /// Committed tasks whose outputs could not be read; the coordinator runs them again.
    package var lostOutputs: [TaskID]
    /// True when every attempt would fail the same way (a malformed input record, a line over
    /// `--max-record`, an input file that changed): the job fails at once, without retries, as bad input.
    package var fatal: Bool

    package init(attempt: AttemptID, cause: String, blameless: Bool = false, lostOutputs: [TaskID] = [], fatal: Bool = false) {
        self.attempt = attempt
        self.cause = cause
        self.blameless = blameless
        self.lostOutputs = lostOutputs
        self.fatal = fatal
    }
    package func encode(to w: inout WireWriter) { w.write(attempt); w.write(cause); w.write(blameless); w.write(lostOutputs); w.write(fatal) }
    package init(from r: inout WireReader) throws {
        attempt = try r.read(AttemptID.self); cause = try r.read(String.self)
        blameless = try r.read(Bool.self); lostOutputs = try r.read([TaskID].self); fatal = try r.read(Bool.self)
    }
}

extension WorkerID: WireCodable {
    package func encode(to w: inout WireWriter) { w.write(rawValue) }
    package init(from r: inout WireReader) throws { self.init(try r.read(UInt32.self)) }
}

extension AttemptID: WireCodable {
    package func encode(to w: inout WireWriter) { w.write(rawValue) }
    package init(from r: inout WireReader) throws { self.init(try r.read(UInt64.self)) }
}

extension TaskID: WireCodable {
    package func encode(to w: inout WireWriter) { w.write(stage); w.write(index) }
    package init(from r: inout WireReader) throws { self.init(stage: try r.read(Int.self), index: try r.read(Int.self)) }
}
