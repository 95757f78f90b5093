import SpindleCore
import SpindlePosix

/// Makes a job's output appear exactly once: attempts write under `OUTPUT/_temporary/` (a name no
/// reader takes for output), the coordinator renames the one committing attempt's file into place
/// after it was fsynced, and `_SUCCESS` is written last. A failed job leaves no `_SUCCESS`.
final class OutputCommitter: Sendable {
    /// The output directory (absolute).
    let directory: String
    var temporaryDirectory: String { directory + "/_temporary" }

    /// Checks the output directory can be used: it must not exist unless `overwrite`.
    /// - Throws: ``UsageError`` naming the directory.
    init(directory: String, overwrite: Bool) throws(UsageError) {
        let path = FileSystem.absolutePath(directory)
        if FileSystem.exists(path) && !overwrite {
            throw UsageError("output directory '\(directory)' already exists; remove it or pass --overwrite")
        }
        if FileSystem.exists(path) && !FileSystem.isDirectory(path) {
            throw UsageError("output path '\(directory)' is a file, not a directory; choose another --output")
        }
        self.directory = path
    }

    /// Empties (when overwriting) and creates the output directory and its temporary area.
    func prepare() throws {
        try FileSystem.removeTree(directory)
        try FileSystem.createDirectory(temporaryDirectory, intermediate: true)
    }

    /// The private path where `attempt` writes its file that commits as `name`.
    func temporaryPath(attempt: AttemptID, name: String) -> String {
        Self.temporaryPath(outputDirectory: directory, attempt: attempt, name: name)
    }

    /// The private path of an attempt's file, computable on any worker that knows the output directory.
    static func temporaryPath(outputDirectory: String, attempt: AttemptID, name: String) -> String {
        "\(outputDirectory)/_temporary/attempt-\(attempt.rawValue)-\(name)"
    }

    /// Moves a finished attempt's file (already fsynced by the writer) to its final name.
    func commit(temporaryPath: String, as name: String) throws {
        try FileSystem.rename(temporaryPath, to: "\(directory)/\(name)")
        try FileSystem.syncDirectory(directory)
    }

    /// Writes a whole output file atomically (for outputs the coordinator produces itself).
    func writeFile(_ name: String, _ bytes: [UInt8]) throws {
        try FileSystem.writeFileAtomically("\(directory)/\(name)", bytes)
    }

    /// Removes the temporary area and writes `_SUCCESS` last.
    func succeed(_ success: JSONValue) throws {
        try FileSystem.removeTree(temporaryDirectory)
        try FileSystem.writeFileAtomically("\(directory)/_SUCCESS", Array((success.serialized() + "\n").utf8))
    }

    /// Leaves a failed job's directory without `_SUCCESS` and without temporary files.
    func abort() {
        try? FileSystem.removeTree(temporaryDirectory)
    }
}
