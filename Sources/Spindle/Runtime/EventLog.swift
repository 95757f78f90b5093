import SpindleCore
import Synchronization
import SpindlePosix

/// The job's event log: one JSON object per line (`{"t": seconds since start, "event": name, ...}`),
/// flushed line by line so that a crash loses nothing already reported. Without a path it records nothing
/// until a file is attached (``attach(path:)``); an observer (the live UI) sees every event either way.
final class EventLog: Sendable {
    /// Sees each event as it is recorded, on the recording thread, with the line's `t`. It MUST return
    /// quickly and never wait for the recording thread (the coordinator's loop records most events).
    typealias Observer = @Sendable (_ t: Double, _ event: String, _ fields: [(String, JSONValue)]) -> Void

    private struct State {
        var writers: [FileWriter] = []
        /// Lines recorded before ``attach(path:)`` was called (nil once attached or without `keepEarly`).
        var early: [String]?
    }
    private let state: Mutex<State>
    private let start: UInt64
    private let observer: Observer?

    /// Opens (truncates) the log at `path`, or makes a silent log when `path` is nil. With `keepEarly`
    /// the lines recorded before ``attach(path:)`` are kept in memory and written to the attached file.
    init(path: String?, keepEarly: Bool = false, observer: Observer? = nil) throws {
        var initial = State()
        if let path { initial.writers.append(try FileWriter(path: path, mode: .createTruncate)) }
        if keepEarly { initial.early = [] }
        state = Mutex(initial)
        start = MonotonicClock.nanoseconds()
        self.observer = observer
    }

    /// Opens (truncates) a second file at `path` (the run's `OUTPUT/_logs/events.jsonl`), writes the
    /// lines recorded so far into it, and records every later event in it too.
    func attach(path: String) throws {
        let writer = try FileWriter(path: path, mode: .createTruncate)
        try state.withLock { state in
            for line in state.early ?? [] { try writer.write(Array(line.utf8)) }
            try writer.flush()
            state.early = nil
            state.writers.append(writer)
        }
    }

    /// Checks, before anything starts, that an event log can be created at `path`: the directory it
    /// names exists (the log never creates directories) and `path` itself is not a directory. Which files
    /// the log may not overwrite is ``OutputGuard/checkEventLog(_:shown:output:)``'s business.
    /// - Throws: ``UsageError`` naming the event log and its directory.
    static func checkPath(_ path: String) throws(UsageError) {
        let parent = path.lastIndex(of: "/").map { $0 == path.startIndex ? "/" : String(path[..<$0]) } ?? "."
        guard FileSystem.exists(parent) else {
            throw UsageError("--event-log '\(path)': its directory '\(parent)' does not exist; create it first or choose another path")
        }
        guard FileSystem.isDirectory(parent) else {
            throw UsageError("--event-log '\(path)': '\(parent)' is not a directory; choose another path")
        }
        if FileSystem.isDirectory(path) {
            throw UsageError("--event-log '\(path)' is a directory; give the path of a file to write")
        }
    }

    /// Appends one event.
    func record(_ event: String, _ fields: [(String, JSONValue)] = []) {
        let t = state.withLock { state -> Double? in
            guard !state.writers.isEmpty || state.early != nil || observer != nil else { return nil }
            let elapsed = Double(MonotonicClock.nanoseconds() - start) / 1e9
            let t = (elapsed * 1e6).rounded() / 1e6
            guard !state.writers.isEmpty || state.early != nil else { return t }
            let line = JSONValue.object([("t", .double(t)), ("event", .string(event))] + fields).serialized() + "\n"
            state.early?.append(line)
            do {
                for w in state.writers {
                    try w.write(Array(line.utf8))
                    try w.flush()
                }
            } catch {
                SystemInfo.writeStandardError("\(ProgramName.current): the event log stopped: \(error)\n")
                state.writers = []
            }
            return t
        }
        if let t { observer?(t, event, fields) }
    }

    /// Flushes and closes the log.
    func close() {
        state.withLock { state in
            for w in state.writers {
                try? w.sync()
                try? w.close()
            }
            state.writers = []
            state.early = nil
        }
    }
}
