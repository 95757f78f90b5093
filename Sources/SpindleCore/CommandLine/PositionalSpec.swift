/// Describes one positional argument, such as the `JOB` in `spindle run JOB`.
///
/// Within a command, required positionals come first, then optional ones; a variadic positional,
/// if any, is last. A required variadic positional needs at least one argument.
package struct PositionalSpec: Equatable, Sendable {
    /// The placeholder shown in usage and error messages, e.g. `"JOB"`.
    package let name: String
    /// One-line description for the help text.
    package let help: String
    /// True when the argument may be omitted.
    package let isOptional: Bool
    /// True when the argument absorbs all remaining positional arguments.
    package let isVariadic: Bool

    /// Creates a positional argument description.
    package init(_ name: String, help: String, isOptional: Bool = false, isVariadic: Bool = false) {
        precondition(!name.isEmpty, "positional arguments need a name")
        self.name = name
        self.help = help
        self.isOptional = isOptional
        self.isVariadic = isVariadic
    }

    /// How the argument appears in the usage line: `JOB`, `[JOB]`, `FILE...` or `[FILE...]`.
    var synopsis: String {
        let core = isVariadic ? "\(name)..." : name
        return isOptional ? "[\(core)]" : core
    }
}
