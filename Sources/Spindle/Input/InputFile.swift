import SpindleCore
import SpindlePosix

/// One input file, its size and its identity when the job was planned.
package struct InputFile: Sendable, Equatable {
    package var path: String
    package var size: Int
    /// The file as it was when the job was planned; every task that reads it checks that it still is (nil:
    /// not checked, for files made by tests).
    package var identity: FileIdentity? = nil
}

/// Bad `--input`: reported before any worker starts, with exit code 2.
public struct InputError: Error, CustomStringConvertible {
    /// The sentence printed on stderr: what is wrong with which `--input` value and what to do.
    public var message: String
    /// The ``message``.
    public var description: String { message }
}

/// Turns `--input` values (files, directories, globs) into the list of input files.
enum InputResolver {
    /// Resolves each value: a file; a directory (its files, not recursing, skipping subdirectories and names
    /// starting with `.` or `_` as Hadoop does); or a glob pattern. Files are sorted and deduplicated. An
    /// empty input (empty files, a directory without files) is valid: the job writes an empty output.
    /// - Parameter notes: gets one line per directory that had entries skipped, and per pattern that matched
    ///   directories, naming them.
    /// - Throws: ``InputError`` when a value or a pattern matches nothing, names a dangling symbolic link,
    ///   or a file is unreadable.
    static func resolve(_ values: [String], notes: inout [String]) throws(InputError) -> [InputFile] {
        var paths: [String] = []
        for value in values {
            if value.contains(where: { "*?[".contains($0) }) {
                let all = (try? FileSystem.glob(value)) ?? []
                let matches = all.filter { !FileSystem.isDirectory($0) }
                guard !matches.isEmpty else { throw InputError(message: "input pattern '\(value)' matches no files; check the path and quote the pattern") }
                let directories = all.filter(FileSystem.isDirectory)
                if !directories.isEmpty {
                    let shown = directories.prefix(3).joined(separator: ", ") + (directories.count > 3 ? ", ..." : "")
                    notes.append(
                        "input pattern '\(value)': skipped \(directories.count) director\(directories.count == 1 ? "y" : "ies") (\(shown)); "
                            + "only the files it matches are read")
                }
                paths += matches
            } else if FileSystem.isDirectory(value) {
                paths += try directoryFiles(value, notes: &notes)
            } else if FileSystem.exists(value) {
                paths.append(value)
            } else {
                try checkLink(value)
                throw InputError(message: "input '\(value)' does not exist; pass an existing file, directory or glob to --input")
            }
        }
        var seen = Set<String>()
        var files: [InputFile] = []
        for path in paths.map(FileSystem.absolutePath).sorted() where seen.insert(path).inserted {
            try checkLink(path)
            guard FileSystem.isReadable(path) else {
                throw InputError(message: "input file '\(path)' is not readable; check its permissions")
            }
            let identity: FileIdentity
            do { identity = try FileIdentity.of(path: path) } catch {
                throw InputError(message: "input file '\(path)' cannot be read: \(error)")
            }
            files.append(InputFile(path: path, size: identity.size, identity: identity))
        }
        return files
    }

    /// The files directly in `directory`; the skipped entries (subdirectories, hidden names) go into one note.
    private static func directoryFiles(_ directory: String, notes: inout [String]) throws(InputError) -> [String] {
        let names: [String]
        do { names = try FileSystem.listDirectory(directory) } catch {
            throw InputError(message: "input directory '\(directory)' cannot be listed: \(error)")
        }
        var files: [String] = []
        var hidden: [String] = []
        var subdirectories: [String] = []
        for name in names {
            let path = directory.hasSuffix("/") ? directory + name : directory + "/" + name
            if name.hasPrefix(".") || name.hasPrefix("_") {
                hidden.append(name)
            } else if FileSystem.isDirectory(path) {
                subdirectories.append(name)
            } else {
                files.append(path)
            }
        }
        if let note = skippedNote(directory: directory, subdirectories: subdirectories, hidden: hidden) { notes.append(note) }
        return files
    }

    /// One line naming what a directory's listing skipped (at most three names of each kind), or nil.
    static func skippedNote(directory: String, subdirectories: [String], hidden: [String]) -> String? {
        func phrase(_ names: [String], _ one: String, _ many: String) -> String? {
            guard !names.isEmpty else { return nil }
            let shown = names.prefix(3).joined(separator: ", ") + (names.count > 3 ? ", ..." : "")
            return "\(names.count) \(names.count == 1 ? one : many) (\(shown))"
        }
        let parts = [phrase(subdirectories, "subdirectory", "subdirectories"), phrase(hidden, "hidden entry", "hidden entries")].compactMap { $0 }
        guard !parts.isEmpty else { return nil }
        return "input directory '\(directory)': skipped \(parts.joined(separator: " and ")); only its files are read, "
            + "not subdirectories or names starting with '.' or '_'"
    }

    /// Throws when `path` is a symbolic link whose target does not exist.
    private static func checkLink(_ path: String) throws(InputError) {
        guard FileSystem.isDanglingLink(path), let target = FileSystem.symbolicLinkTarget(path) else { return }
        throw InputError(message: "input '\(path)' is a symbolic link to '\(target)', which does not exist; fix the link or remove it")
    }
}
