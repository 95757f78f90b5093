/// The name an executable built on Spindle goes by in its usage and error lines: the last component of its
/// `argv[0]`, so that a user's own tool (`Spindle.main(jobs:)` in a package `myjobs`) says `myjobs`, not
/// `spindle`.
package enum ProgramName {
    /// This process's name, from `CommandLine.arguments[0]`; `spindle` when that is empty.
    package static let current = name(fromArgument0: CommandLine.arguments.first ?? "")

    /// The last path component of `argument0`; `spindle` when it has none.
    package static func name(fromArgument0 argument0: String) -> String {
        argument0.split(separator: "/").last.map(String.init) ?? "spindle"
    }

    /// `text` with the command word `spindle` (at the start or after a space, quote or backtick, and followed
    /// by a space) replaced by `name`: the help texts are written for `spindle` and shown by every executable.
    package static func substituted(_ text: String, name: String) -> String {
        guard name != "spindle" else { return text }
        var result = ""
        var rest = Substring(text)
        while let range = rest.range(of: "spindle ") {
            let before = rest[..<range.lowerBound]
            let boundary = (before.last ?? result.last).map { " `'\"(\n".contains($0) } ?? true
            result += before
            result += boundary ? name + " " : "spindle "
            rest = rest[range.upperBound...]
        }
        return result + rest
    }
}
