import SpindleCore
import SpindlePosix

/// Spindle's private temporary directories on a host: a worker's scratch (`spindle-worker-XXXXXX`, spill
/// files and map outputs) and the local launcher's log directory (`spindle-workers-XXXXXX`, the workers'
/// stderr). Both live in the scratch root (`$TMPDIR`, else `/tmp`) and hold an ownership record
/// (``markerName``, a ``ProcessStamp``) so that a later run can remove the leftovers of processes that are
/// gone (killed with SIGKILL, crashed) without ever touching anything else.
enum ScratchDirectory {
    /// The ownership record inside each directory.
    static let markerName = ".spindle-owner"
    /// The name prefixes of Spindle's scratch directories.
    static let workerPrefix = "spindle-worker-"
    static let logPrefix = "spindle-workers-"

    /// `$TMPDIR` (without trailing slashes), else `/tmp`.
    static var root: String {
        var base = SystemInfo.environment("TMPDIR") ?? ""
        while base.count > 1 && base.hasSuffix("/") { base.removeLast() }
        return base.isEmpty ? "/tmp" : base
    }

    /// Creates a fresh private directory `ROOT/<prefix>XXXXXX` (mode 0700) owned by this process, and writes
    /// its ownership record. The directory is removed again if the record cannot be written.
    static func create(prefix: String) throws -> String {
        let path = try FileSystem.makeTemporaryDirectory(prefix: prefix)
        do {
            guard let stamp = ProcessLiveness.currentStamp() else {
                throw WorkerError("cannot read this process's start time from /proc; Spindle needs Linux /proc to manage its scratch directories")
            }
            try FileSystem.writeFileAtomically("\(path)/\(markerName)", Array(stamp.text.utf8))
        } catch {
            try? FileSystem.removeTree(path)
            throw error
        }
        return path
    }

    /// Removes `path` and everything below it. A task thread may still be writing into it while the process
    /// stops, so a removal that races with a new file is retried a few times.
    /// - Throws: the last ``SystemError`` when the directory cannot be removed.
    static func remove(_ path: String) throws {
        var attempt = 0
        while true {
            do {
                try FileSystem.removeTree(path)
                return
            } catch {
                attempt += 1
                if attempt >= 5 { throw error }
                MonotonicClock.sleep(.milliseconds(20))
            }
        }
    }

    /// The owner recorded in directory `path`; nil when it is not recognisably Spindle's (wrong name, a
    /// symbolic link, another user's, no or unreadable record).
    static func owner(of path: String) -> ProcessStamp? {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        guard name.hasPrefix(workerPrefix) || name.hasPrefix(logPrefix), ProcessLiveness.isOwnDirectory(path),
            let bytes = try? FileSystem.readFile("\(path)/\(markerName)")
        else { return nil }
        return ProcessStamp(text: String(decoding: bytes, as: UTF8.self))
    }

    /// Removes the directories in `root` that are recognisably Spindle's and whose owning process is gone.
    /// With `owners`, only those whose recorded pid is in it (a launcher sweeping up after its own children).
    /// Never throws: a directory that cannot be removed is left and not counted.
    /// - Returns: the paths removed.
    @discardableResult
    static func removeStale(in root: String = ScratchDirectory.root, owners: Set<Int32>? = nil) -> [String] {
        // Without /proc no owner can be proved gone, so nothing is removed.
        guard ProcessLiveness.bootID() != nil, let names = try? FileSystem.listDirectory(root) else { return [] }
        var removed: [String] = []
        for name in names where name.hasPrefix(workerPrefix) || name.hasPrefix(logPrefix) {
            let path = root == "/" ? "/\(name)" : "\(root)/\(name)"
            guard let stamp = owner(of: path) else { continue }
            if let owners, !owners.contains(stamp.pid) { continue }
            if ProcessLiveness.isRunning(stamp) { continue }
            if (try? remove(path)) != nil { removed.append(path) }
        }
        return removed
    }
}
