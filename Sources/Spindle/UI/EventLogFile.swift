import Foundation
import SpindleCore
import SpindlePosix

/// Reads an event log file (JSON lines, as ``EventLog`` writes them) into events, checking every line.
enum EventLogFile {
    /// The events of the log at `path`, in order. An empty last line is allowed; a log cut short in the
    /// middle of its last line (the job is still writing it) is read up to its last complete line.
    /// - Throws: ``UsageError`` naming the file and the line (`FILE:LINE`) that is not an event, or the file
    ///   that cannot be read.
    static func read(_ path: String) throws -> [JobEvent] {
        let bytes: [UInt8]
        do {
            bytes = try FileSystem.readFile(path)
        } catch {
            throw UsageError("cannot read the event log '\(path)': \(error); give the path of a job's events.jsonl")
        }
        return try parse(bytes, name: path)
    }

    /// Parses the bytes of an event log; `name` is used in messages.
    static func parse(_ bytes: [UInt8], name: String) throws -> [JobEvent] {
        var events: [JobEvent] = []
        let lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        for (number, line) in lines.enumerated() where !line.isEmpty {
            let isLast = number == lines.count - 1
            do {
                events.append(try event(from: line))
            } catch {
                if isLast && bytes.last != UInt8(ascii: "\n") { break }  // a line still being written
                throw UsageError("\(name):\(number + 1): \(error.reason); is this a Spindle event log (events.jsonl)?")
            }
        }
        guard !events.isEmpty else { throw UsageError("\(name) holds no events; is this a Spindle event log (events.jsonl)?") }
        return events
    }

    struct LineError: Error {
        var reason: String
    }

    static func event(from line: ArraySlice<UInt8>) throws(LineError) -> JobEvent {
        let parsed: Any
        do {
            parsed = try JSONSerialization.jsonObject(with: Data(line), options: [.fragmentsAllowed])
        } catch {
            throw LineError(reason: "the line is not valid JSON")
        }
        guard let object = parsed as? [String: Any] else { throw LineError(reason: "the line is not a JSON object") }
        guard let name = object["event"] as? String else { throw LineError(reason: "the line has no \"event\" name") }
        guard let t = (object["t"] as? NSNumber)?.doubleValue, t.isFinite, t >= 0 else {
            throw LineError(reason: "the line has no time \"t\" (seconds since the job started)")
        }
        let fields = object.filter { $0.key != "event" && $0.key != "t" }.sorted { $0.key < $1.key }.map { ($0.key, value($0.value)) }
        return JobEvent(t: t, name: name, fields: fields)
    }

    /// A Foundation JSON value as a ``JSONValue`` (numbers that are integral become `.int`).
    static func value(_ any: Any) -> JSONValue {
        switch any {
        case let s as String: return .string(s)
        case let n as NSNumber:
            let text = "\(n)"
            if text == "true" || text == "false" { return .bool(n.boolValue) }
            let d = n.doubleValue
            if d == d.rounded(), abs(d) < 9e15, !text.contains("."), !text.contains("e") { return .int(n.intValue) }
            return .double(d)
        case let a as [Any]: return .array(a.map(value))
        case let o as [String: Any]: return .object(o.sorted { $0.key < $1.key }.map { ($0.key, value($0.value)) })
        default: return .null
        }
    }
}
