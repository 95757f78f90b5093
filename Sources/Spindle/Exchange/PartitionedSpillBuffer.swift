import SpindleCore
import SpindlePosix

/// Records bound for R partitions, kept in memory within a budget and spilled to sorted runs on local disk
/// when they pass it; ``finish(_:path:)`` writes them all as one partitioned file.
///
/// The records live in a store the caller owns (any ``SpillableRecords``: a ``RecordBuffer``, a combining
/// table, columns of ids), so each producer keeps its own fast append; this type owns the runs. Every file it
/// writes orders a partition's records by key, and records with equal keys keep the order they were added in,
/// across spills: with empty keys a partition holds its records in the order they were added. With a
/// ``ValueFolding`` the records of equal keys are folded into one as runs are merged.
///
/// Runs are named `<scratchPrefix>-spill-<n>` (and `-merge-<pass>-<i>` in multi-pass merges). No scratch file
/// outlives this object: a finish that throws removes the runs and the partial file, and deinit removes the
/// runs of a buffer that was never finished. Used by one task at a time.
final class PartitionedSpillBuffer {
    /// Number of partitions R.
    let partitionCount: Int
    /// Bytes a store may hold before it is spilled (see ``spillIfFull(_:)``).
    let budget: Int
    private let scratchPrefix: String
    private let folding: (any ValueFolding)?
    /// Run files written and not yet merged away, oldest first.
    private(set) var runs: [String] = []
    /// Stores spilled so far (merge passes not counted).
    private(set) var spillCount = 0
    /// Records spilled so far.
    private(set) var spilledRecords = 0
    /// Run files named so far (spilled or failed), for unique names.
    private var runNames = 0
    private var pendingKey: [UInt8] = []

    /// Runs merged at once; more runs are merged in several passes, so mapped files stay bounded.
    static let mergeFanIn = 64

    /// - Parameters:
    ///   - partitionCount: partitions R of every file written (at least 1).
    ///   - budget: bytes a store may hold before ``spillIfFull(_:)`` spills it.
    ///   - scratchPrefix: path prefix of the run files, in a directory of the task's own.
    ///   - folding: folds the values of equal keys when runs are merged; nil keeps every record. A store
    ///     finished without spills is written as it is (a store that combines, folds as it goes).
    init(partitionCount: Int, budget: Int, scratchPrefix: String, folding: (any ValueFolding)? = nil) {
        precondition(partitionCount >= 1, "PartitionedSpillBuffer: bad partition count \(partitionCount)")
        self.partitionCount = partitionCount
        self.budget = budget
        self.scratchPrefix = scratchPrefix
        self.folding = folding
    }

    deinit { removeRuns() }

    /// Spills `records` if they hold more than ``budget`` bytes.
    @inline(__always)
    func spillIfFull(_ records: some SpillableRecords) throws {
        if records.byteCount > budget { try spill(records) }
    }

    /// Writes `records` as a sorted run and empties them; does nothing when they are empty.
    func spill(_ records: some SpillableRecords) throws {
        let count = records.count
        guard count > 0 else { return }
        let path = "\(scratchPrefix)-spill-\(runNames)"
        runNames += 1
        runs.append(path)  // before writing: a run that fails half-written is removed like the others
        let writer = try PartitionedFileWriter(path: path, partitionCount: partitionCount)
        try records.write(to: writer)
        try writer.finish(sync: false)
        records.removeAll()
        spillCount += 1
        spilledRecords += count
    }

    /// Writes `records` and every run to the partitioned file at `path` (not fsynced), removes the runs, and
    /// returns each partition's byte size; call it once. Without runs the records are written straight to `path`; otherwise
    /// they are spilled as the last run and all runs are merged. On a throw no run and nothing at `path` is left.
    func finish(_ records: some SpillableRecords, path: String) throws -> [Int] {
        do {
            if runs.isEmpty {
                let writer = try PartitionedFileWriter(path: path, partitionCount: partitionCount)
                try records.write(to: writer)
                records.removeAll()
                return try writer.finish(sync: false)
            }
            try spill(records)
            try mergeRunsInPasses()
            let sizes = try merge(runs, into: path)
            removeRuns()
            return sizes
        } catch {
            removeRuns()
            try? FileSystem.unlink(path)
            throw error
        }
    }

    /// Removes every run file (best effort: the files are the task's scratch).
    func removeRuns() {
        for path in runs { try? FileSystem.unlink(path) }
        runs = []
    }

    /// Merges groups of ``mergeFanIn`` runs until at most that many are left.
    private func mergeRunsInPasses() throws {
        var pass = 0
        while runs.count > Self.mergeFanIn {
            var merged: [String] = []
            var rest = runs[...]
            while !rest.isEmpty {
                let group = Array(rest.prefix(Self.mergeFanIn))
                rest = rest.dropFirst(group.count)
                let target = "\(scratchPrefix)-merge-\(pass)-\(merged.count)"
                merged.append(target)
                do {
                    _ = try merge(group, into: target)
                    for path in group { try FileSystem.unlink(path) }
                } catch {
                    runs = merged + group + rest  // every file that may still exist, for removal
                    throw error
                }
            }
            runs = merged
            pass += 1
        }
    }

    /// Merges the runs at `paths` partition by partition into a new file at `path`; returns its partition sizes.
    private func merge(_ paths: [String], into path: String) throws -> [Int] {
        let files = try paths.map { try PartitionedFile(path: $0) }
        let writer = try PartitionedFileWriter(path: path, partitionCount: partitionCount)
        for partition in 0..<partitionCount {
            let merger = RunMerger(cursors: files.map { $0.cursor(partition, releasingPages: true) })
            if let folding {
                try mergeFolding(merger, folding, partition: partition, into: writer)
            } else {
                while try merger.next() { try writer.append(partition: partition, key: merger.key, value: merger.value) }
            }
        }
        return try writer.finish(sync: false)
    }

    /// Writes one record per key of `merger`, its values folded by `folding`.
    private func mergeFolding(_ merger: RunMerger, _ folding: any ValueFolding, partition: Int, into writer: PartitionedFileWriter) throws {
        var open = false
        func flush() throws {
            try pendingKey.withUnsafeBytes { key in
                try folding.withResult { try writer.append(partition: partition, key: key, value: $0) }
            }
        }
        while try merger.next() {
            if open && pendingKey.withUnsafeBytes({ ByteString.compare($0, merger.key) == 0 }) {
                try folding.add(merger.value)
                continue
            }
            if open { try flush() }
            pendingKey.removeAll(keepingCapacity: true)
            pendingKey.append(contentsOf: merger.key)
            try folding.start(merger.value)
            open = true
        }
        if open { try flush() }
    }
}
