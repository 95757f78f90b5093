import SpindleCore
import SpindlePosix
import Synchronization

/// Makes a job's output appear exactly once: attempts write under `OUTPUT/_temporary/` (a name no
/// reader takes for output), the coordinator renames the one committing attempt's file into place
/// after it was fsynced, and `_SUCCESS` is written last. A failed job leaves no `_SUCCESS`, no
/// `_temporary` and none of the files it committed (``abort()``).
package final class OutputCommitter: Sendable {
    /// The output directory (absolute; "." and ".." removed lexically, as the user wrote it otherwise).
    package let directory: String
    /// ``directory`` with symbolic links resolved: what ``prepare()`` replaces, and what was checked.
    package let resolvedDirectory: String
    package var temporaryDirectory: String { directory + "/_temporary" }
    /// The name of the coordinator's journal in ``temporaryDirectory`` (``CoordinatorJournal``).
    package static let journalName = "journal"
    /// Where the run keeps its event log (`_logs/events.jsonl`); input listing skips `_` names, and a
    /// failed run leaves it (with nothing else) so that the failure can be reported.
    package var logDirectory: String { directory + "/_logs" }
    /// Whether this run continues an interrupted one in the same directory (`--resume`): ``prepare()`` keeps
    /// what is there.
    package let resumes: Bool

    private struct State {
        /// Set by ``prepare()``: whether the directory existed before this run (then ``abort()`` keeps it).
        package var prepared = false
        package var existedBefore = false
        /// The names this run committed or wrote in ``directory``, in order.
        package var written: [String] = []
    }
    private let state = Mutex(State())

    /// Checks that the output directory can be used before anything starts: `outputGuard` must allow it
    /// (``OutputGuard/checkOutput(_:shown:)``), it must not exist unless `overwrite` or `resume`, and an existing
    /// one must be a directory that is empty or holds only what Spindle writes. A directory holding the journal
    /// of an interrupted run (`_temporary/journal`) is refused without `--resume` or `--overwrite`, with a hint;
    /// `resume` needs one.
    /// - Throws: ``UsageError``, one sentence naming the directory.
    init(directory: String, overwrite: Bool, resume: Bool = false, guard outputGuard: OutputGuard) throws(UsageError) {
        let path = FileSystem.absolutePath(directory)
        let resolved = try OutputGuard.resolve(path, what: "--output '\(directory)'")
        try outputGuard.checkOutput(resolved, shown: directory)
        let journal = "\(path)/_temporary/\(Self.journalName)"
        if resume {
            guard !overwrite else { throw UsageError("--resume continues the run in '\(directory)' and --overwrite deletes it; pass only one") }
            guard FileSystem.isDirectory(path), FileSystem.exists(journal) else {
                throw UsageError(
                    "--resume: '\(directory)' holds no journal of an interrupted run (\(directory)/_temporary/journal); "
                        + "run without --resume to start the job, with --overwrite to replace what is there")
            }
            try OutputGuard.checkReplaceable(entries: OutputGuard.entries(of: resolved, shown: directory), shown: directory)
        } else if FileSystem.exists(path) {
            guard overwrite else {
                if FileSystem.exists(journal) {
                    throw UsageError(
                        "output directory '\(directory)' holds the journal of an interrupted run; add --resume to continue it, or --overwrite to start over")
                }
                throw UsageError("output directory '\(directory)' already exists; remove it or pass --overwrite")
            }
            guard FileSystem.isDirectory(path) else {
                throw UsageError("output path '\(directory)' is a file, not a directory; choose another --output")
            }
            try OutputGuard.checkReplaceable(entries: OutputGuard.entries(of: resolved, shown: directory), shown: directory)
        }
        self.directory = path
        self.resolvedDirectory = resolved
        self.resumes = resume
    }

    /// Empties (when overwriting) and creates the output directory, its temporary area and `_logs`. A resumed
    /// run keeps everything: the journal, the committed part files and the checkpoints.
    package func prepare() throws {
        let existed = FileSystem.exists(directory)
        state.withLock {
            $0.prepared = true
            $0.existedBefore = existed
        }
        if resumes {
            try FileSystem.createDirectory(temporaryDirectory, intermediate: true)
            if !FileSystem.isDirectory(logDirectory) { try FileSystem.createDirectory(logDirectory, intermediate: false) }
            return
        }
        try FileSystem.removeTree(directory)
        try FileSystem.createDirectory(temporaryDirectory, intermediate: true)
        try FileSystem.createDirectory(logDirectory, intermediate: false)
    }

    /// The private path where `attempt` writes its file that commits as `name`.
    package func temporaryPath(attempt: AttemptID, name: String) -> String {
        Self.temporaryPath(outputDirectory: directory, attempt: attempt, name: name)
    }

    /// The private path of an attempt's file, computable on any worker that knows the output directory.
    package static func temporaryPath(outputDirectory: String, attempt: AttemptID, name: String) -> String {
        "\(outputDirectory)/_temporary/attempt-\(attempt.rawValue)-\(name)"
    }

    /// Moves a finished attempt's file (already fsynced by the writer) to its final name.
    package func commit(temporaryPath: String, as name: String) throws {
        record(name)
        try FileSystem.rename(temporaryPath, to: "\(directory)/\(name)")
        try FileSystem.syncDirectory(directory)
    }

    /// Writes a whole output file atomically (for outputs the coordinator produces itself).
    package func writeFile(_ name: String, _ bytes: [UInt8]) throws {
        record(name)
        try FileSystem.writeFileAtomically("\(directory)/\(name)", bytes)
    }

    /// Writes `_SUCCESS`, then removes the temporary area, the journal last: a coordinator killed before the
    /// journal goes leaves a journal that says the job committed, and `--resume` finishes the cleanup.
    package func succeed(_ success: JSONValue) throws {
        record("_SUCCESS")
        try FileSystem.writeFileAtomically("\(directory)/_SUCCESS", Array((success.serialized() + "\n").utf8))
        for name in try FileSystem.listDirectory(temporaryDirectory) where name != Self.journalName {
            try FileSystem.removeTree("\(temporaryDirectory)/\(name)")
        }
        try FileSystem.removeTree(temporaryDirectory)
    }

    /// The names this run has committed or written so far, in order.
    package var writtenNames: [String] { state.withLock { $0.written } }

    /// Undoes a failed job's output: removes every file this run committed (and only those), `_temporary`,
    /// `_logs` when it is empty, and the directory itself when this run created it and nothing else is left in it. Does nothing
    /// before ``prepare()``. Best effort: a file that cannot be removed is left.
    package func abort() {
        let (prepared, existedBefore, written) = state.withLock { ($0.prepared, $0.existedBefore, $0.written) }
        guard prepared else { return }
        for name in written.reversed() { try? FileSystem.unlink("\(directory)/\(name)") }
        try? FileSystem.removeTree(temporaryDirectory)
        // The event log stays (a failed run is reported from it); an empty `_logs` goes.
        _ = try? FileSystem.removeDirectoryIfEmpty(logDirectory)
        if !existedBefore, (try? FileSystem.removeDirectoryIfEmpty(directory)) == true { return }
        try? FileSystem.syncDirectory(directory)
    }

    /// Remembers `name` as written by this run before it appears, so ``abort()`` can remove it.
    private func record(_ name: String) {
        state.withLock { $0.written.append(name) }
    }

    /// The name of part file `index`.
    package static func partName(_ index: Int) -> String {
        let digits = String(index)
        return "part-" + String(repeating: "0", count: max(0, 5 - digits.count)) + digits
    }
}
