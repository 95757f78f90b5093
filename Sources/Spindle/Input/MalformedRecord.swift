/// Thrown by a job's load function for an input line it cannot use. The framework turns it into an error
/// naming the file and line (`malformed record at FILE:LINE: REASON`), or, with `--skip-bad-records`, skips
/// the line and counts it in `input.skipped.records`.
public struct MalformedRecord: Error, CustomStringConvertible {
    /// Why the line is malformed, for example "'12x' is not an integer".
    public var reason: String

    public init(_ reason: String) { self.reason = reason }

    public var description: String { "malformed record: \(reason)" }
}
