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
    /// Resolves each value: a file; a directory (its files, not recursing, skipping names starting with
    /// `.` or `_` as Hadoop does); or a glob pattern. Files are sorted and deduplicated.
    /// - Throws: ``InputError`` when a value matches nothing, a file is unreadable, or everything is empty.
    static func resolve(_ values: [String]) throws(InputError) -> [InputFile] {
        var paths: [String] = []
        for value in values {
            if value.contains(where: { "*?[".contains($0) }) {
                let matches = ((try? FileSystem.glob(value)) ?? []).filter { !FileSystem.isDirectory($0) }
                guard !matches.isEmpty else { throw InputError(message: "input pattern '\(value)' matches no files; check the path and quote the pattern") }
                paths += matches
            } else if FileSystem.isDirectory(value) {
                let names: [String]
                do { names = try FileSystem.listDirectory(value) } catch {
                    throw InputError(message: "input directory '\(value)' cannot be listed: \(error)")
                }
                let files = names.filter { !$0.hasPrefix(".") && !$0.hasPrefix("_") }
                    .map { value.hasSuffix("/") ? value + $0 : value + "/" + $0 }
                    .filter { !FileSystem.isDirectory($0) }
                guard !files.isEmpty else { throw InputError(message: "input directory '\(value)' holds no files") }
                paths += files
            } else if FileSystem.exists(value) {
                paths.append(value)
            } else {
                throw InputError(message: "input '\(value)' does not exist; pass an existing file, directory or glob to --input")
            }
        }
        var seen = Set<String>()
        var files: [InputFile] = []
        for path in paths.map(FileSystem.absolutePath).sorted() where seen.insert(path).inserted {
            guard FileSystem.isReadable(path) else {
                throw InputError(message: "input file '\(path)' is not readable; check its permissions")
            }
            let identity: FileIdentity
            do { identity = try FileIdentity.of(path: path) } catch {
                throw InputError(message: "input file '\(path)' cannot be read: \(error)")
            }
            files.append(InputFile(path: path, size: identity.size, identity: identity))
        }
        guard files.contains(where: { $0.size > 0 }) else {
            throw InputError(message: "the input is empty (\(files.count) file\(files.count == 1 ? "" : "s") of 0 bytes); nothing to do")
        }
        return files
    }
}
