import SpindleCore
import SpindlePosix

/// An input file opened by a task, read with `pread` (never mapped: a file the user owns may be truncated
/// by anyone at any time, and a mapping whose file shrank kills the process with SIGBUS).
///
/// Opening compares the opened file (fstat on the descriptor) with the identity recorded when the job was
/// planned; reading never goes past the planned size; a short read and ``verifyUnchanged()`` compare again.
/// Every difference is an ``InputError`` naming the file and what changed, which fails the job at once.
package final class InputFileReader {
    package let path: String
    /// The size the job was planned with (the size at opening when nothing was planned).
    package let size: Int
    private let planned: FileIdentity?
    /// The file on this machine, or nil when its bytes come from the coordinator (``shipped``).
    private let file: FileReader?
    private let shipped: ShippedInput?

    /// Opens `path` and checks it against `planned`.
    /// - Throws: ``InputError`` when the file is gone from the machine it was planned on or differs from
    ///   `planned`; `SystemError` for other failures of open or fstat (those may pass, so the task is retried).
    package init(path: String, planned: FileIdentity?) throws {
        self.path = path
        self.planned = planned
        shipped = nil
        let file: FileReader
        do {
            file = try FileReader(path: path)
        } catch let error as SystemError where error.errno == Errno.noSuchFile && planned?.machine == FileIdentity.thisMachine {
            // Gone from the machine it was planned on. (On another machine the file may simply not be shared
            // there: that stays an ordinary failure, retried on other workers.)
            throw Self.changed(path, "it was removed")
        }
        self.file = file
        size = planned?.size ?? file.size
        if let planned, let change = file.identity.changes(since: planned) {
            throw Self.changed(path, change)
        }
    }

    /// Opens the file of `chunk`, checked against the identity it was planned with.
    package convenience init(_ chunk: FileChunk) throws {
        try self.init(path: chunk.path, planned: chunk.identity)
    }

    /// Opens the file of `chunk` for a task: on this machine, or through the coordinator when `context`'s worker
    /// does not read its inputs itself (``WorkerStorage/readsInputs``; the coordinator checks the identity).
    package convenience init(_ chunk: FileChunk, context: TaskContext?) throws {
        try self.init(path: chunk.path, planned: chunk.identity, hintEnd: chunk.end + LineBlockReader.tailSize, context: context)
    }

    /// Opens `path` for a task, as ``init(_:context:)`` does; reads ahead up to `hintEnd` when shipped.
    convenience init(path: String, planned: FileIdentity?, hintEnd: Int, context: TaskContext?) throws {
        if let planned, let client = context?.services.shipping.inputClient {
            self.init(shipped: ShippedInput(client: client, path: path, identity: planned, hintEnd: min(planned.size, hintEnd), context: context))
        } else {
            try self.init(path: path, planned: planned)
        }
    }

    private init(shipped: ShippedInput) {
        path = shipped.path
        planned = shipped.identity
        size = shipped.identity.size
        file = nil
        self.shipped = shipped
    }

    deinit { file?.close() }

    /// Fills `buffer` from `offset` on, stopping at the planned size; returns the bytes read. Reads all that
    /// is asked for (up to the planned size) or throws.
    /// - Throws: ``InputError`` when the file ends before the planned size (it shrank).
    package func read(at offset: Int, into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let wanted = max(0, min(buffer.count, size - offset))
        guard wanted > 0, let base = buffer.baseAddress else { return 0 }
        guard let file else {
            try shipped!.read(at: offset, into: UnsafeMutableRawBufferPointer(start: base, count: wanted))
            return wanted
        }
        let got = try file.read(at: offset, into: UnsafeMutableRawBufferPointer(start: base, count: wanted))
        if got < wanted {
            try verifyUnchanged()
            throw Self.changed(path, "it ended at byte \(offset + got), before the \(size) bytes it had when the job started")
        }
        return got
    }

    /// Reads `range` (clamped to the planned size) into a new array.
    package func read(_ range: Range<Int>) throws -> [UInt8] {
        let count = max(0, min(range.upperBound, size) - range.lowerBound)
        return try [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            initialized = try read(at: range.lowerBound, into: UnsafeMutableRawBufferPointer(buffer))
        }
    }

    /// Compares the open file with its planned identity again (after reading it, to notice a change made
    /// while it was read).
    /// - Throws: ``InputError`` naming what changed.
    package func verifyUnchanged() throws {
        guard let planned, let file else { return }
        if let change = try file.currentIdentity().changes(since: planned) {
            throw Self.changed(path, change)
        }
    }

    /// The error for an input that changed while the job ran.
    package static func changed(_ path: String, _ change: String) -> InputError {
        InputError(message: "'\(path)' changed while the job ran: \(change); rerun the job on a stable copy")
    }

    /// The 1-based line number of byte `offset`: 1 + the newlines before it, read in large blocks.
    package func lineNumber(of offset: Int) throws -> Int {
        let block = 4 << 20
        var buffer = [UInt8](repeating: 0, count: min(block, max(1, offset)))
        var number = 1
        var position = 0
        let end = min(offset, size)
        while position < end {
            let n = try buffer.withUnsafeMutableBytes { all in
                try read(at: position, into: UnsafeMutableRawBufferPointer(rebasing: all[0..<min(all.count, end - position)]))
            }
            guard n > 0 else { break }
            number += buffer.withUnsafeBytes { EdgeListParser.lineNumber(of: n, in: UnsafeRawBufferPointer(rebasing: $0[0..<n])) } - 1
            position += n
        }
        return number
    }
}
