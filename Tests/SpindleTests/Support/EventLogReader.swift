import Foundation

/// Reads a job's JSON-lines event log (possibly while the job is still writing it).
struct EventLogReader {
    let path: String

    /// All complete events so far.
    func events() -> [[String: Any]] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
        }
    }

    func events(named name: String) -> [[String: Any]] { events().filter { $0["event"] as? String == name } }

    /// Worker id → pid from `worker_joined` events.
    func workerPIDs() -> [Int: Int32] {
        var map: [Int: Int32] = [:]
        for e in events(named: "worker_joined") {
            if let w = e["worker"] as? Int, let pid = e["pid"] as? Int { map[w] = Int32(pid) }
        }
        return map
    }

    /// The coordinator's listening address from `coordinator_listening`.
    func listenAddress() -> String? { events(named: "coordinator_listening").first?["address"] as? String }
}
