/// Parses a subcommand's arguments against its `CommandSpec`.
///
/// Rules: options are `--name value` or `--name=value`; `--` ends options; `-h`/`--help` anywhere
/// before `--` requests help and suppresses every other error; a lone `-` and negative numbers
/// such as `-3` are ordinary values and positionals; any other argument starting with `-` is an option.
package enum ArgumentParser {
    /// Parses `arguments` (without the program and subcommand names) for `spec`.
    ///
    /// Throws the first problem found as a `UsageError`, naming the command as
    /// `'programName spec.name'`. When help is requested, returns with `helpRequested` set instead.
    package static func parse(
        _ arguments: [String], for spec: CommandSpec, programName: String = "spindle"
    ) throws(UsageError) -> ParsedArguments {
        let command = spec.displayName(programName: programName)
        var result = ParsedArguments(spec: spec, command: command)
        var firstError: UsageError?
        var index = 0
        var optionsEnded = false

        func fail(_ message: String) {
            if firstError == nil { firstError = UsageError(message) }
        }

        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if optionsEnded {
                result.positionals.append(argument)
                continue
            }
            if argument == "--" {
                optionsEnded = true
                continue
            }
            if argument == "-h" || argument == "--help" {
                result.helpRequested = true
                continue
            }
            // After the first error only a later help request still matters.
            if firstError != nil { continue }

            guard isOption(argument) else {
                result.positionals.append(argument)
                continue
            }
            guard argument.hasPrefix("--") else {
                fail(unknownOptionMessage(argument, typedName: argument.dropFirst(), spec: spec, command: command))
                continue
            }
            let body = argument.dropFirst(2)
            let name: Substring
            let inlineValue: Substring?
            // Split at the first "=" byte, not Character: a value starting with a combining mark
            // ("=\u{308}…") would otherwise merge with the "=" into one grapheme and hide it.
            if let equals = body.utf8.firstIndex(of: UInt8(ascii: "=")) {
                name = body[..<equals]
                inlineValue = body[body.utf8.index(after: equals)...]
            } else {
                name = body
                inlineValue = nil
            }
            if name == "help" {
                fail("option '--help' does not take a value")
                continue
            }
            guard let option = spec.option(named: name) else {
                fail(unknownOptionMessage("--\(name)", typedName: name, spec: spec, command: command))
                continue
            }
            switch option.kind {
            case .flag:
                if inlineValue != nil {
                    fail("option '--\(option.name)' does not take a value")
                } else {
                    result.flags.insert(option.name)
                }
            case .value:
                var value: String? = inlineValue.map(String.init)
                if value == nil, index < arguments.count, !isOption(arguments[index]) {
                    value = arguments[index]
                    index += 1
                }
                guard let value, !value.isEmpty else {
                    fail("option '--\(option.name)' requires a value")
                    continue
                }
                if !option.repeatable, result.valuesByName[option.name] != nil {
                    fail("option '--\(option.name)' may only be given once")
                    continue
                }
                result.valuesByName[option.name, default: []].append(value)
            }
        }

        if result.helpRequested { return result }
        if let firstError { throw firstError }
        try checkPositionals(result.positionals, spec: spec, command: command)
        return result
    }

    /// The candidate closest to `typed` by edit distance, if within 2 edits and fewer edits than `typed` has characters.
    ///
    /// Ties go to the earliest candidate. Useful for unknown subcommands as well as options.
    package static func closestMatch(to typed: Substring, in candidates: [String]) -> String? {
        var best: (name: String, distance: Int)?
        for candidate in candidates {
            let distance = editDistance(typed, candidate)
            if distance <= 2, distance < typed.count, distance < (best?.distance ?? Int.max) {
                best = (candidate, distance)
            }
        }
        return best?.name
    }

    // MARK: - Helpers

    /// True when `argument` is spelled like an option rather than a value.
    static func isOption(_ argument: String) -> Bool {
        argument.hasPrefix("-") && argument != "-" && !isNegativeNumber(argument)
    }

    /// True for text such as `-3`, `-0.5` or `-12.`: a minus sign followed by a decimal number.
    static func isNegativeNumber(_ argument: String) -> Bool {
        let body = argument.utf8.dropFirst()
        guard argument.utf8.first == UInt8(ascii: "-"), let first = body.first, isDigit(first) else { return false }
        var seenDot = false
        for byte in body {
            if byte == UInt8(ascii: ".") && !seenDot {
                seenDot = true
            } else if !isDigit(byte) {
                return false
            }
        }
        return true
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    private static func unknownOptionMessage(
        _ shown: String, typedName: Substring, spec: CommandSpec, command: String
    ) -> String {
        let message = "unknown option '\(shown)' for '\(command)'"
        let names = spec.options.map(\.name) + ["help"]
        guard let suggestion = closestMatch(to: typedName, in: names) else { return message }
        return message + "; did you mean '--\(suggestion)'?"
    }

    private static func checkPositionals(_ given: [String], spec: CommandSpec, command: String) throws(UsageError) {
        let required = spec.positionals.filter { !$0.isOptional }.count
        if given.count < required {
            throw UsageError("missing argument \(spec.positionals[given.count].name) for '\(command)'")
        }
        let isVariadic = spec.positionals.last?.isVariadic ?? false
        if !isVariadic, given.count > spec.positionals.count {
            throw UsageError("unexpected argument '\(given[spec.positionals.count])' for '\(command)'")
        }
    }

    /// Levenshtein distance over characters.
    static func editDistance(_ a: Substring, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
                current[j] = min(substitution, previous[j] + 1, current[j - 1] + 1)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
