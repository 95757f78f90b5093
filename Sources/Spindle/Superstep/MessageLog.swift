import Dispatch
import SpindleCore
import SpindlePosix

/// A partition's message log, for confined recovery: the outputs of the supersteps after the newest committed
/// checkpoint, served by the worker's exchange under the attempts that wrote them, so that a partition recovering
/// elsewhere fetches what this one sent it the first time.
///
/// An output enters the log when no superstep reads it any more in a run without failures (two supersteps
/// later). An output held in memory stays there, served as it is (zero copies), while the worker's
/// ``MessageLogBudget`` has room for it; one that does not fit is written as it is (the blocks the exchange
/// serves, no re-encoding) to a scratch file, in the background and not fsynced, and served from there. An output
/// already on disk (a scratch file, or a checkpoint's message file) stays where it is. A log lost with its worker
/// is not needed (its partitions recover too); the coordinator falls back to a full rollback when it cannot find
/// one. Entries of the supersteps up to the newest committed checkpoint are deleted, which bounds the log to a
/// checkpoint interval, and its memory to the budget.
enum MessageLog {
    /// One logged output.
    struct Entry {
        var superstep: Int
        var attempt: AttemptID
        /// The file to delete with the entry (nil for an output kept in memory, or for a checkpoint's message
        /// file, which checkpoints prune).
        var file: String?
        /// The bytes the entry holds in memory, charged to the worker's budget (0 for one on disk).
        var memoryBytes = 0
    }

    /// Writes logs and deletes them, in order, off the tasks' critical path (one queue per process).
    private static let writer = DispatchQueue(label: "spindle.message-log")

    /// Moves the output `served` into the log: an output held in memory stays there when `budget` has room for
    /// it, and is otherwise written to `path` in the background and served from there once written (from memory
    /// until then, and for good if the write fails: the log then costs memory, not correctness).
    /// - Returns: nil when the exchange no longer serves the output (nothing to log).
    static func keep(
        _ served: (superstep: Int, attempt: AttemptID, scratchFile: String?), path: String, exchange: ExchangeServer, budget: MessageLogBudget
    ) -> Entry? {
        guard let output = exchange.localOutput(served.attempt) else { return nil }
        guard output.isInMemory else { return Entry(superstep: served.superstep, attempt: served.attempt, file: served.scratchFile) }
        if budget.reserve(output.fileSize) {
            return Entry(superstep: served.superstep, attempt: served.attempt, file: nil, memoryBytes: output.fileSize)
        }
        writer.async { write(output, to: path, as: served.attempt, exchange: exchange) }
        return Entry(superstep: served.superstep, attempt: served.attempt, file: path)
    }

    private static func write(_ output: PartitionedFile, to path: String, as attempt: AttemptID, exchange: ExchangeServer) {
        do {
            let writer = try FileWriter(path: path, mode: .createTruncate, bufferSize: 1 << 16)
            do {
                try writer.write(output.contents)
                try writer.close()
            } catch {
                try? writer.close()
                throw error
            }
            exchange.register(attempt, file: try PartitionedFile(path: path, checksumsPending: output.checksumsPending))
        } catch {
            try? FileSystem.unlink(path)
        }
    }

    /// Deletes the entries of supersteps up to `floor` (stops serving them, removes their files).
    static func prune(_ entries: inout [Entry], upTo floor: Int, exchange: ExchangeServer, budget: MessageLogBudget) {
        release(entries.filter { $0.superstep <= floor }, exchange: exchange, budget: budget)
        entries.removeAll { $0.superstep <= floor }
    }

    /// Stops serving `entries` and deletes them: those in memory at once (their bytes go back to `budget`), those
    /// on disk after the writes queued before (best effort: a file left behind costs scratch space until the
    /// worker removes its scratch directory at exit).
    static func release(_ entries: [Entry], exchange: ExchangeServer, budget: MessageLogBudget) {
        let onDisk = entries.filter { $0.memoryBytes == 0 }
        for entry in entries where entry.memoryBytes > 0 {
            exchange.unregister(entry.attempt)
            budget.release(entry.memoryBytes)
        }
        guard !onDisk.isEmpty else { return }
        writer.async {
            for entry in onDisk {
                exchange.unregister(entry.attempt)
                if let file = entry.file { try? FileSystem.unlink(file) }
            }
        }
    }
}
