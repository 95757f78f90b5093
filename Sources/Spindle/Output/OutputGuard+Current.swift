import SpindleCore
import SpindlePosix

/// Building an ``OutputGuard`` for the running process: the paths it protects, resolved.
extension OutputGuard {
    /// The guard for this process: its home directory, current directory, the directory of its
    /// executable, and `inputs` (input files and the input directories the user named), all resolved.
    /// - Throws: ``UsageError`` when the current directory or an input cannot be resolved.
    static func current(inputs: [String]) throws(UsageError) -> OutputGuard {
        let executable = SystemInfo.currentExecutablePath()
        let executableDirectory = executable.lastIndex(of: "/").map { String(executable[..<$0]) }
        return OutputGuard(
            homeDirectory: FileSystem.homeDirectory().flatMap { try? FileSystem.resolvedPath($0) },
            currentDirectory: try resolve(".", what: "the current directory"),
            executableDirectory: executableDirectory.flatMap { $0.isEmpty ? "/" : try? FileSystem.resolvedPath($0) },
            inputs: try inputs.map { path throws(UsageError) in try resolve(path, what: "input '\(path)'") })
    }

    /// `path` resolved with ``FileSystem/resolvedPath(_:)``.
    /// - Throws: ``UsageError`` naming `what` when it cannot be resolved (a loop of symbolic links, no permission).
    static func resolve(_ path: String, what: String) throws(UsageError) -> String {
        do {
            return try FileSystem.resolvedPath(path)
        } catch {
            throw UsageError("cannot resolve \(what): \(error)")
        }
    }

    /// The entries of the existing directory `path`, for ``checkReplaceable(entries:shown:)``.
    /// - Throws: ``UsageError`` naming the output when it cannot be listed.
    static func entries(of path: String, shown: String) throws(UsageError) -> [Entry] {
        do {
            return try FileSystem.listDirectory(path).map { Entry(name: $0, isDirectory: FileSystem.isDirectory(path + "/" + $0)) }
        } catch {
            throw UsageError("cannot list --output '\(shown)' to check what --overwrite would delete: \(error)")
        }
    }
}
