/// The result of `ArgumentParser.parse`: which flags were set, option values, and positionals.
///
/// Typed getters convert on demand and throw a `UsageError` naming the option and the bad text.
/// Asking about an option the spec does not declare, or of the wrong kind, is a programming error.
package struct ParsedArguments: Equatable, Sendable {
    /// The command these arguments were parsed for.
    package let spec: CommandSpec
    /// How the command is named in messages, e.g. `"spindle run"`.
    package let command: String
    /// True when `--help` or `-h` appeared before `--`; other errors are then not reported.
    package internal(set) var helpRequested = false
    /// Positional arguments in order, including everything after `--`.
    package internal(set) var positionals: [String] = []
    /// Names of flags that were given.
    var flags: Set<String> = []
    /// Every value given per option name, in command-line order.
    var valuesByName: [String: [String]] = [:]

    init(spec: CommandSpec, command: String) {
        self.spec = spec
        self.command = command
    }

    // MARK: - Raw access

    /// Whether the flag `name` was given.
    package func flag(_ name: String) -> Bool {
        let option = declared(name)
        precondition(option.isFlag, "'--\(name)' is a value option, not a flag")
        return flags.contains(name)
    }

    /// The last value given for `name`, or nil when absent.
    package func value(_ name: String) -> String? {
        values(name).last
    }

    /// Every value given for `name`, in order; empty when absent.
    package func values(_ name: String) -> [String] {
        let option = declared(name)
        precondition(!option.isFlag, "'--\(name)' is a flag, not a value option")
        return valuesByName[name] ?? []
    }

    /// The value of `name`, or an error saying it is required.
    package func requiredValue(_ name: String) throws(UsageError) -> String {
        guard let text = value(name) else {
            throw UsageError("missing required option '--\(name)' for '\(command)'")
        }
        return text
    }

    // MARK: - Typed getters

    /// The value of `name` as an integer (optionally within `range`), or `defaultValue` when absent.
    package func int(_ name: String, default defaultValue: Int, range: ClosedRange<Int>? = nil) throws(UsageError) -> Int {
        guard let text = value(name) else { return defaultValue }
        guard let number = Int(text), text.first != "+" else {
            throw invalid(name, text, "expected an integer")
        }
        if let range, !range.contains(number) {
            throw invalid(name, text, "expected an integer in \(range.lowerBound)...\(range.upperBound)")
        }
        return number
    }

    /// The value of `name` as a byte count such as `512MiB`, or `defaultValue` when absent.
    package func size(_ name: String, default defaultValue: Int) throws(UsageError) -> Int {
        guard let text = value(name) else { return defaultValue }
        guard let bytes = ByteSize.parse(text) else {
            throw invalid(name, text, "expected a size such as 512MiB or 1.5GiB")
        }
        return bytes
    }

    /// The value of `name` as a duration such as `200ms`, or `defaultValue` when absent.
    package func duration(_ name: String, default defaultValue: Duration) throws(UsageError) -> Duration {
        guard let text = value(name) else { return defaultValue }
        guard let duration = DurationText.parse(text) else {
            throw invalid(name, text, "expected a duration such as 200ms or 2s")
        }
        return duration
    }

    /// The value of `name` as a finite decimal number, or `defaultValue` when absent.
    package func double(_ name: String, default defaultValue: Double) throws(UsageError) -> Double {
        guard let text = value(name) else { return defaultValue }
        guard let number = Double(text), number.isFinite, text.first != "+" else {
            throw invalid(name, text, "expected a number")
        }
        return number
    }

    /// Comma-separated integers such as `1,2,4`, concatenated across repeats; `defaultValue` when absent.
    package func intList(_ name: String, default defaultValue: [Int]) throws(UsageError) -> [Int] {
        let texts = values(name)
        if texts.isEmpty { return defaultValue }
        var numbers: [Int] = []
        for text in texts {
            for item in text.split(separator: ",", omittingEmptySubsequences: false) {
                guard let number = Int(item), item.first != "+" else {
                    throw invalid(name, text, "expected comma-separated integers such as 1,2,4")
                }
                numbers.append(number)
            }
        }
        return numbers
    }

    /// The value of `name` as `HOST:PORT`, or nil when absent.
    package func hostPort(_ name: String) throws(UsageError) -> HostPort? {
        guard let text = value(name) else { return nil }
        guard let address = HostPort.parse(text) else {
            throw invalid(name, text, "expected HOST:PORT such as 127.0.0.1:7070")
        }
        return address
    }

    /// Every `KEY=VALUE` given for `name`, split at the first `=`; the value may be empty or contain `=`.
    package func keyValues(_ name: String) throws(UsageError) -> [(key: String, value: String)] {
        var pairs: [(key: String, value: String)] = []
        for text in values(name) {
            // The first "=" byte, not Character, so that a value starting with a combining mark still splits.
            guard let equals = text.utf8.firstIndex(of: UInt8(ascii: "=")) else {
                throw invalid(name, text, "expected KEY=VALUE")
            }
            let key = text[..<equals]
            guard !key.isEmpty else {
                throw invalid(name, text, "expected KEY=VALUE with a non-empty key")
            }
            pairs.append((String(key), String(text[text.utf8.index(after: equals)...])))
        }
        return pairs
    }

    // MARK: - Helpers

    private func declared(_ name: String) -> OptionSpec {
        guard let option = spec.option(named: name[...]) else {
            preconditionFailure("option '--\(name)' is not declared for '\(command)'")
        }
        return option
    }

    private func invalid(_ name: String, _ text: String, _ expectation: String) -> UsageError {
        UsageError("invalid value '\(text)' for '--\(name)': \(expectation)")
    }
}
