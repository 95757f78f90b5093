import SpindleCore

/// The self-contained HTML report of one job's event log, or of two side by side: what `spindle report`
/// writes, and what `spindle bench` keeps of its fastest run per worker count.
package enum JobReport {
    /// The models of the event logs at `paths`, in order.
    /// - Throws: ``UsageError`` naming the file that cannot be read or the line (`FILE:LINE`) that is not an event.
    static func models(eventLogs paths: [String]) throws -> [JobModel] {
        try paths.map { path in
            var model = JobModel()
            for event in try EventLogFile.read(path) { model.apply(event) }
            return model
        }
    }

    /// The report's HTML for `models` (one, or two to compare).
    static func html(_ models: [JobModel]) -> String {
        UIPage.html(title: models.map(\.job).joined(separator: " vs "), embedded: models.map { $0.json(now: $0.lastEventAt) })
    }

    /// The report's HTML for the event logs at `paths` (one, or two to compare).
    /// - Throws: ``UsageError`` as ``models(eventLogs:)`` does.
    package static func html(eventLogs paths: [String]) throws -> String {
        html(try models(eventLogs: paths))
    }
}
