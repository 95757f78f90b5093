import SpindleCore

/// A subcommand that another module of this package adds to the command line (`spindle generate` and
/// `spindle bench` live in SpindleTools, outside the runtime library).
package struct ToolCommand: Sendable {
    /// The command's name, options and help text.
    package let spec: CommandSpec
    /// Runs the command with its parsed arguments and the executable's jobs; returns the exit code.
    /// Throwing a `UsageError` or `InputError` exits with 2, anything else with 1.
    package let execute: @Sendable (ParsedArguments, JobRegistry) throws -> Int32

    package init(spec: CommandSpec, execute: @escaping @Sendable (ParsedArguments, JobRegistry) throws -> Int32) {
        self.spec = spec
        self.execute = execute
    }
}
