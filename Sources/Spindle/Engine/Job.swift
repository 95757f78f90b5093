/// A named computation that `spindle run NAME` starts: a MapReduce job, a demo job, or a user's own.
///
/// Every worker runs the same executable and finds the job by name in its own registry, because
/// closures cannot travel over a socket.
public struct Job: Sendable {
    /// The name used on the command line; lower case letters, digits and dashes.
    public let name: String
    /// One line for `spindle jobs`.
    public let summary: String
    /// The declared `--param` parameters.
    public let parameters: [JobParameter]
    /// Input used when `--input` is not given, for example a sample corpus; nil makes `--input` required.
    public let defaultInput: (@Sendable () throws -> [String])?
    package let engine: any JobEngine

    package init(name: String, summary: String, parameters: [JobParameter], defaultInput: (@Sendable () throws -> [String])?, engine: any JobEngine) {
        precondition(!name.isEmpty && name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" },
            "job names use lower case letters, digits and dashes: '\(name)'")
        self.name = name
        self.summary = summary
        self.parameters = parameters
        self.defaultInput = defaultInput
        self.engine = engine
    }
}
