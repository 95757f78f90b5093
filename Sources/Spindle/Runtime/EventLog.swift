import SpindleCore
import Synchronization
import SpindlePosix

/// The job's event log: one JSON object per line (`{"t": seconds since start, "event": name, ...}`),
/// flushed line by line so that a crash loses nothing already reported. Without a path it records nothing.
final class EventLog: Sendable {
    private let writer: Mutex<FileWriter?>
    private let start: UInt64

    /// Opens (truncates) the log at `path`, or makes a silent log when `path` is nil.
    init(path: String?) throws {
        writer = Mutex(try path.map { try FileWriter(path: $0, mode: .createTruncate) })
        start = MonotonicClock.nanoseconds()
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
        writer.withLock { writer in
            guard let w = writer else { return }
            let elapsed = Double(MonotonicClock.nanoseconds() - start) / 1e9
            let line = JSONValue.object([("t", .double((elapsed * 1e6).rounded() / 1e6)), ("event", .string(event))] + fields)
            do {
                try w.write(Array((line.serialized() + "\n").utf8))
                try w.flush()
            } catch {
                SystemInfo.writeStandardError("spindle: the event log stopped: \(error)\n")
                writer = nil
            }
        }
    }

    /// Flushes and closes the log.
    func close() {
        writer.withLock { writer in
            try? writer?.sync()
            try? writer?.close()
            writer = nil
        }
    }
}
