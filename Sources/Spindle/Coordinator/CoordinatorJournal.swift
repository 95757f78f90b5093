import SpindleCore
import SpindlePosix
import Synchronization

/// The coordinator's journal, `OUTPUT/_temporary/journal` (layout: ``JournalFraming``): every decision that
/// matters for recovery is appended and fsynced before it takes effect, so that `spindle run ... --resume`
/// can replay it (``ResumePlan``). Appends go straight to the file (a SIGKILL loses nothing written); an fsync
/// follows each `append(_:sync: true)` and each ``syncIfNeeded()``.
package final class CoordinatorJournal: Sendable {
    /// The journal of the run whose output is `output`.
    package static func path(in output: OutputCommitter) -> String { output.temporaryDirectory + "/" + OutputCommitter.journalName }

    package let path: String
    private let writer: FileWriter
    /// Whether bytes were written since the last fsync.
    private let dirty = Mutex(false)

    private init(path: String, writer: FileWriter) {
        self.path = path
        self.writer = writer
    }

    /// Starts a new journal at `path` (its directory must exist) with the header and `plan`, fsynced.
    /// - Throws: ``SystemError`` naming the file.
    package static func create(at path: String, plan: JobPlan, epoch: Int) throws -> CoordinatorJournal {
        let writer = try FileWriter(path: path, mode: .createTruncate, bufferSize: 1 << 16)
        let journal = CoordinatorJournal(path: path, writer: writer)
        try writer.write(JournalFraming.header)
        try journal.append(.planned(plan), sync: false)
        try journal.append(.epoch(epoch), sync: true)
        try FileSystem.syncDirectory(FileReplacement.directory(of: path))
        return journal
    }

    /// Reads the journal at `path`.
    /// - Throws: ``SystemError`` when it cannot be read, ``JournalDecoder/NotAJournal`` when it is not a journal.
    package static func read(at path: String) throws -> JournalDecoder.Contents {
        try JournalDecoder.decode(try FileSystem.readFile(path))
    }

    /// Continues the journal at `path` under `epoch`: a damaged tail (``JournalDecoder/Contents/damagedTail``) is
    /// cut off first (the intact records are rewritten atomically), so new records follow intact ones.
    package static func reopen(at path: String, contents: JournalDecoder.Contents, epoch: Int) throws -> CoordinatorJournal {
        if contents.damagedTail != nil {
            let bytes = try FileSystem.readFile(path)
            try FileSystem.writeFileAtomically(path, Array(bytes[0..<contents.intactLength]))
        }
        let journal = CoordinatorJournal(path: path, writer: try FileWriter(path: path, mode: .append, bufferSize: 1 << 16))
        try journal.append(.epoch(epoch), sync: true)
        return journal
    }

    /// Appends `record`; with `sync`, fsyncs the journal before returning.
    /// - Throws: ``SystemError`` naming the journal (a full disk, an I/O error): the decision MUST NOT take effect.
    package func append(_ record: JournalRecord, sync: Bool = true) throws {
        try writer.write(JournalFraming.frame(record))
        try writer.flush()
        dirty.withLock { $0 = true }
        if sync { try syncIfNeeded() }
    }

    /// Fsyncs what was appended since the last fsync, if anything.
    package func syncIfNeeded() throws {
        guard dirty.withLock({ was in defer { was = false }; return was }) else { return }
        try writer.sync()
    }

    package func close() { try? writer.close() }
}
