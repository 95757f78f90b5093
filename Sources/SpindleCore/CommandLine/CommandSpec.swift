/// Describes one subcommand (`run`, `worker`, ...): its options, positionals and help text.
///
/// `--help` and `-h` are always accepted and need not (and may not) be declared.
package struct CommandSpec: Equatable, Sendable {
    /// The subcommand name, e.g. `"run"`; empty for a program without subcommands.
    package let name: String
    /// One line saying what the command does.
    package let summary: String
    /// An optional paragraph printed after the summary in help.
    package let discussion: String?
    /// The accepted options, in help order.
    package let options: [OptionSpec]
    /// The positional arguments, in order.
    package let positionals: [PositionalSpec]

    /// Creates a command; traps on duplicate option names, a declared `help`, or misordered positionals.
    package init(
        name: String, summary: String, discussion: String? = nil,
        options: [OptionSpec] = [], positionals: [PositionalSpec] = []
    ) {
        var seen = Set<String>()
        for option in options {
            precondition(option.name != "help", "'--help' is built in and cannot be declared")
            precondition(seen.insert(option.name).inserted, "option '--\(option.name)' declared twice")
        }
        for (index, positional) in positionals.enumerated() {
            precondition(!positional.isVariadic || index == positionals.count - 1, "only the last positional may be variadic")
            if index > 0 {
                precondition(positional.isOptional || !positionals[index - 1].isOptional,
                             "required positional \(positional.name) follows an optional one")
            }
        }
        self.name = name
        self.summary = summary
        self.discussion = discussion
        self.options = options
        self.positionals = positionals
    }

    /// The declared option called `name` (without dashes), if any.
    package func option(named name: Substring) -> OptionSpec? {
        options.first { $0.name == name }
    }

    /// How the command is named in messages: `"spindle run"`, or just the program name.
    func displayName(programName: String) -> String {
        name.isEmpty ? programName : "\(programName) \(name)"
    }

    /// The full help page: usage line, summary, discussion, arguments and an aligned options table.
    package func helpText(programName: String) -> String {
        var usage = "Usage: \(displayName(programName: programName))"
        if !options.isEmpty { usage += " [options]" }
        for positional in positionals { usage += " \(positional.synopsis)" }

        var lines = [usage, "", summary]
        if let discussion, !discussion.isEmpty {
            lines.append("")
            for paragraphLine in discussion.split(separator: "\n", omittingEmptySubsequences: false) {
                lines += Self.wrap(String(paragraphLine), width: Self.lineWidth)
            }
        }
        let described = positionals.filter { !$0.help.isEmpty }
        if !described.isEmpty {
            lines += ["", "Arguments:"]
            lines += Self.table(described.map { ($0.name, $0.help) })
        }
        var rows = options.map { option -> (String, String) in
            var help = option.help
            if option.repeatable { help += " (repeatable)" }
            if let value = option.defaultValue { help += " (default: \(value))" }
            return (option.synopsis, help)
        }
        rows.append(("-h, --help", "Show this help"))
        lines += ["", "Options:"]
        lines += Self.table(rows)
        return lines.joined(separator: "\n") + "\n"
    }

    /// The top-level help page listing every command with its summary.
    package static func overviewText(programName: String, summary: String, commands: [CommandSpec]) -> String {
        var lines = ["Usage: \(programName) COMMAND [options] [arguments]", ""] + wrap(summary, width: lineWidth) + ["", "Commands:"]
        lines += table(commands.map { ($0.name, $0.summary) })
        lines += ["", "Run '\(programName) help COMMAND' for a command's options."]
        return lines.joined(separator: "\n") + "\n"
    }

    // MARK: - Layout

    /// Total width the help text is wrapped to.
    static let lineWidth = 80
    /// The widest left column before descriptions move to their own line.
    static let maxLeftColumn = 30

    /// Two-column rows indented by two spaces, the right column aligned and wrapped.
    package static func table(_ rows: [(left: String, right: String)]) -> [String] {
        let widest = rows.map(\.left.count).filter { $0 <= maxLeftColumn }.max() ?? 0
        let column = 2 + widest + 2
        let pad = String(repeating: " ", count: column)
        var lines: [String] = []
        for row in rows {
            let wrapped = wrap(row.right, width: max(20, lineWidth - column))
            var first = "  " + row.left
            if row.left.count > widest {
                lines.append(first)
                lines += wrapped.map { pad + $0 }
                continue
            }
            first += String(repeating: " ", count: column - first.count)
            lines.append(wrapped[0].isEmpty ? "  " + row.left : first + wrapped[0])
            lines += wrapped.dropFirst().map { pad + $0 }
        }
        return lines
    }

    /// Greedy word wrap; a word longer than `width` stays whole on its own line.
    static func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ") {
            if current.isEmpty {
                current = String(word)
            } else if current.count + 1 + word.count <= width {
                current += " " + word
            } else {
                lines.append(current)
                current = String(word)
            }
        }
        if !current.isEmpty || lines.isEmpty { lines.append(current) }
        return lines
    }
}
