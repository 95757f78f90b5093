/// Thrown by a job's load function for an input line it cannot use. The framework turns it into an error
/// naming the file and line (`malformed record at FILE:LINE: REASON`), or, with `--skip-bad-records`, skips
/// the line and counts it in `input.skipped.records`.
public struct MalformedRecord: Error, CustomStringConvertible {
    /// Why the line is malformed, for example "'12x' is not an integer".
    public var reason: String

    /// A malformed record with `reason`, a short phrase such as "expected 2 or 3 fields, found 4".
    public init(_ reason: String) { self.reason = reason }

    /// "malformed record: REASON" (the framework adds `FILE:LINE` when it reports the record).
    public var description: String { "malformed record: \(reason)" }
}
