import SpindleCore

/// One event of a job's event log, as the UI's model reads it: its time (`t`, seconds since the job
/// started), its name and its fields.
struct JobEvent: Sendable {
    var t: Double
    var name: String
    var fields: [String: JSONValue]

    init(t: Double, name: String, fields: [(String, JSONValue)]) {
        self.t = t
        self.name = name
        self.fields = Dictionary(fields, uniquingKeysWith: { first, _ in first })
    }

    /// An integer field (an integral number also counts).
    func int(_ key: String) -> Int? {
        switch fields[key] {
        case .int(let i): i
        case .double(let d) where d.isFinite && d == d.rounded() && abs(d) < 9e15: Int(d)
        default: nil
        }
    }

    func double(_ key: String) -> Double? {
        switch fields[key] {
        case .int(let i): Double(i)
        case .double(let d): d
        default: nil
        }
    }

    func string(_ key: String) -> String? {
        if case .string(let s) = fields[key] { return s }
        return nil
    }

    func bool(_ key: String) -> Bool? {
        switch fields[key] {
        case .bool(let b): b
        case .int(let i) where i == 0 || i == 1: i == 1
        default: nil
        }
    }
}
