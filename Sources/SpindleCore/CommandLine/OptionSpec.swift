/// Describes one `--long-name` option a command accepts.
package struct OptionSpec: Equatable, Sendable {
    /// Whether the option stands alone or carries a value.
    package enum Kind: Equatable, Sendable {
        /// A boolean switch such as `--overwrite`; giving it a value is an error.
        case flag
        /// An option taking one value, shown in help as `--name PLACEHOLDER`.
        case value(placeholder: String)
    }

    /// The long name without the leading dashes, e.g. `"workers"`.
    package let name: String
    /// Flag or value option.
    package let kind: Kind
    /// True when the option may be given several times, collecting every value.
    package let repeatable: Bool
    /// One-line description for the help table.
    package let help: String
    /// The default shown in help as `(default: ...)`; informational only, never applied by the parser.
    package let defaultValue: String?

    /// Creates an option; prefer the `flag`, `value` and `repeatable` factories.
    package init(name: String, kind: Kind, repeatable: Bool = false, help: String, defaultValue: String? = nil) {
        precondition(!name.isEmpty && !name.hasPrefix("-"), "option names are given without dashes: '\(name)'")
        precondition(!name.contains("="), "option names cannot contain '=': '\(name)'")
        self.name = name
        self.kind = kind
        self.repeatable = repeatable
        self.help = help
        self.defaultValue = defaultValue
    }

    /// A boolean switch such as `--overwrite`.
    package static func flag(_ name: String, help: String) -> OptionSpec {
        OptionSpec(name: name, kind: .flag, help: help)
    }

    /// A single-valued option such as `--workers N`; a second occurrence is a usage error.
    package static func value(_ name: String, placeholder: String, default defaultValue: String? = nil, help: String) -> OptionSpec {
        OptionSpec(name: name, kind: .value(placeholder: placeholder), help: help, defaultValue: defaultValue)
    }

    /// A value option that may be repeated, such as `--input PATH`; every value is kept in order.
    package static func repeatable(_ name: String, placeholder: String, help: String) -> OptionSpec {
        OptionSpec(name: name, kind: .value(placeholder: placeholder), repeatable: true, help: help)
    }

    /// True for flags, false for value options.
    package var isFlag: Bool {
        if case .flag = kind { return true }
        return false
    }

    /// The left column of the help table, e.g. `--workers N` or `--overwrite`.
    var synopsis: String {
        switch kind {
        case .flag: return "--\(name)"
        case .value(let placeholder): return "--\(name) \(placeholder)"
        }
    }
}
