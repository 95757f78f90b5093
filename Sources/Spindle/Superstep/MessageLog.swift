import SpindleCore
import SpindlePosix

/// A partition's message log on its worker's scratch disk, for confined recovery: the outputs of the supersteps
/// after the newest committed checkpoint, served by the worker's exchange under the attempts that wrote them, so
/// that a partition recovering elsewhere fetches what this one sent it the first time.
///
/// An output enters the log when no superstep reads it any more in a run without failures (two supersteps
/// later): an output held in memory is written as it is (the blocks the exchange serves, no re-encoding) to a
/// scratch file, not fsynced, and served from there; an output already on disk (a scratch file, or a
/// checkpoint's message file) stays where it is. A log lost with its worker is not needed (its partitions
/// recover too); the coordinator falls back to a full rollback when it cannot find one. Entries of the
/// supersteps up to the newest committed checkpoint are deleted, which bounds the log to a checkpoint interval.
enum MessageLog {
    /// One logged output.
    struct Entry {
        var superstep: Int
        var attempt: AttemptID
        /// The file to delete with the entry (nil for a checkpoint's message file, which checkpoints prune).
        var file: String?
    }

    /// Moves the output `served` into the log, writing it to `path` when it is held in memory.
    /// - Returns: nil when the exchange no longer serves the output (nothing to log).
    /// - Throws: the file system's error when the log file cannot be written or mapped.
    static func keep(
        _ served: (superstep: Int, attempt: AttemptID, scratchFile: String?), path: String, exchange: ExchangeServer
    ) throws -> Entry? {
        guard let output = exchange.localOutput(served.attempt) else { return nil }
        guard output.isInMemory else { return Entry(superstep: served.superstep, attempt: served.attempt, file: served.scratchFile) }
        let writer = try FileWriter(path: path, mode: .createTruncate, bufferSize: 1 << 16)
        do {
            try writer.write(output.contents)
            try writer.close()
            let logged = try PartitionedFile(path: path, checksumsPending: output.checksumsPending)
            exchange.register(served.attempt, file: logged)
        } catch {
            try? writer.close()
            try? FileSystem.unlink(path)
            throw error
        }
        return Entry(superstep: served.superstep, attempt: served.attempt, file: path)
    }

    /// Deletes the entries of supersteps up to `floor` (stops serving them, removes their files).
    static func prune(_ entries: inout [Entry], upTo floor: Int, exchange: ExchangeServer) {
        release(entries.filter { $0.superstep <= floor }, exchange: exchange)
        entries.removeAll { $0.superstep <= floor }
    }

    /// Stops serving `entries` and deletes their files (best effort: a file left behind costs scratch space until
    /// the worker removes its scratch directory at exit).
    static func release(_ entries: [Entry], exchange: ExchangeServer) {
        for entry in entries {
            exchange.unregister(entry.attempt)
            if let file = entry.file { try? FileSystem.unlink(file) }
        }
    }
}
