import SpindleCore

/// Decides whether a run may use a directory as its output (which `--overwrite` deletes) and a file as
/// its event log (which the run truncates), so that no run destroys what it reads, runs from or lives in.
///
/// Pure: every path given to it MUST already be absolute and resolved (symbolic links, "." and ".."),
/// as ``FileSystem/resolvedPath(_:)`` makes them, so that two paths name the same file exactly when
/// their strings are equal. ``OutputGuard/current(inputs:)`` builds one for this process.
struct OutputGuard: Sendable, Equatable {
    /// The user's home directory, if known.
    var homeDirectory: String?
    /// The process's current directory.
    var currentDirectory: String
    /// The directory holding the running executable, if known.
    var executableDirectory: String?
    /// Every input file, and every input directory the user named.
    var inputs: [String]

    /// One entry of an existing output directory, as ``replaceableRefusal(entries:shown:)`` sees it.
    struct Entry: Sendable, Equatable {
        var name: String
        var isDirectory: Bool
    }

    /// True when `path` is `ancestor` or lies below it (component-wise: `/a/bc` is not below `/a/b`).
    static func isSameOrInside(_ path: String, _ ancestor: String) -> Bool {
        if path == ancestor || ancestor == "/" { return true }
        return path.hasPrefix(ancestor) && path.utf8.dropFirst(ancestor.utf8.count).first == UInt8(ascii: "/")
    }

    /// Refuses an output directory that is `/`, the home directory or one of its ancestors, the current
    /// directory or one of its ancestors, a directory holding the executable, or one that holds, equals or
    /// lies inside an input. These hold with or without `--overwrite`.
    /// - Parameters:
    ///   - output: the resolved output directory.
    ///   - shown: the output as the user wrote it, for the message.
    /// - Throws: ``UsageError``, one sentence naming the output and what it would destroy.
    func checkOutput(_ output: String, shown: String) throws(UsageError) {
        func refuse(_ reason: String) -> UsageError {
            UsageError("refusing --output '\(shown)': \(reason); choose a new directory for the output")
        }
        if output == "/" { throw refuse("it is the root directory") }
        if let home = homeDirectory, Self.isSameOrInside(home, output) {
            throw refuse(home == output ? "it is your home directory" : "it holds your home directory '\(home)'")
        }
        if Self.isSameOrInside(currentDirectory, output) {
            throw refuse(currentDirectory == output ? "it is the current directory" : "it holds the current directory '\(currentDirectory)'")
        }
        if let executable = executableDirectory, Self.isSameOrInside(executable, output) {
            throw refuse(executable == output ? "it is the directory of the running executable" : "it holds the directory of the running executable, '\(executable)'")
        }
        for input in inputs {
            if input == output { throw refuse("it is the input '\(input)'") }
            if Self.isSameOrInside(input, output) { throw refuse("it holds the input '\(input)'") }
            if Self.isSameOrInside(output, input) { throw refuse("it is inside the input directory '\(input)'") }
        }
    }

    /// Refuses an event log that is an input file, lies inside an input directory, or lies inside (or is)
    /// the output directory, which the run empties before it starts.
    /// - Parameters:
    ///   - eventLog: the resolved event log path.
    ///   - shown: the path as the user wrote it, for the message.
    ///   - output: the resolved output directory.
    /// - Throws: ``UsageError``, one sentence naming the event log and what it would overwrite.
    func checkEventLog(_ eventLog: String, shown: String, output: String) throws(UsageError) {
        func refuse(_ reason: String) -> UsageError {
            UsageError("refusing --event-log '\(shown)': \(reason); write the event log somewhere else")
        }
        if inputs.contains(eventLog) { throw refuse("it is the input '\(eventLog)', which the log would overwrite") }
        if let directory = inputs.first(where: { Self.isSameOrInside(eventLog, $0) }) {
            throw refuse("it is inside the input directory '\(directory)'")
        }
        if Self.isSameOrInside(eventLog, output) { throw refuse("it is inside the output directory '\(output)', which the run replaces") }
    }

    /// The names Spindle writes in an output directory: `_SUCCESS`, `_temporary`, `_logs`, `part-*` files, and
    /// the `.NAME.tmp-*` files an interrupted atomic write of one of them leaves.
    static func isSpindleEntry(_ entry: Entry) -> Bool {
        if entry.name == "_temporary" || entry.name == "_logs" { return entry.isDirectory }
        if entry.isDirectory { return false }
        if entry.name == "_SUCCESS" || entry.name.hasPrefix("part-") { return true }
        if entry.name.hasPrefix("."), let range = entry.name.range(of: ".tmp-") {
            let written = entry.name[entry.name.index(after: entry.name.startIndex)..<range.lowerBound]
            return written == "_SUCCESS" || written.hasPrefix("part-")
        }
        return false
    }

    /// Refuses to replace an existing directory unless it is empty or holds nothing but what Spindle
    /// writes (``isSpindleEntry(_:)``): a file Spindle did not write means the directory is someone else's.
    /// - Throws: ``UsageError`` naming the output and the first foreign entries, telling the user to delete it.
    static func checkReplaceable(entries: [Entry], shown: String) throws(UsageError) {
        let foreign = entries.filter { !isSpindleEntry($0) }.map(\.name)
        guard !foreign.isEmpty else { return }
        let listed = foreign.prefix(3).map { "'\($0)'" }.joined(separator: ", ")
        let more = foreign.count > 3 ? " and \(foreign.count - 3) more" : ""
        throw UsageError(
            "refusing to replace --output '\(shown)': it holds \(listed)\(more), which Spindle did not write; "
                + "delete the directory yourself if you mean it, or choose another --output")
    }
}
