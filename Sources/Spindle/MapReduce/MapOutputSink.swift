import SpindleCore
import SpindlePosix

/// The storage side of ``MapOutput``: buffers records (or receives a full ``CombiningTable``), spills sorted
/// runs when the memory budget is passed, and at the end merges the runs, combining equal keys again,
/// into one partitioned file per map task. In a map-only job it writes output lines directly.
@usableFromInline
final class MapOutputSink<Value: WireCodable & Sendable> {
    /// Bytes of buffered map output that trigger a spill.
    @usableFromInline let budget: Int
    @usableFromInline let isDirect: Bool
    private let partitioner: PartitionFunction
    private let combine: (@Sendable (inout Value, Value) -> Void)?
    private let scratchPrefix: String
    private let counters: Counters
    private var buffer = RecordBuffer()
    private var valueWriter = WireWriter()
    private var spills: [String] = []
    /// The first I/O error; the task fails with it after the current record.
    private(set) var failure: (any Error)?
    private let direct: DirectOutput?
    /// When set, emitted keys are collected here instead of stored (sampling for the total-order partitioner).
    var sampledKeys: [[UInt8]]?

    /// Map-only output: lines written straight to a file.
    struct DirectOutput {
        let writer: OutputLineWriter
        let formatKey: (UnsafeRawBufferPointer, inout [UInt8]) -> Void
        let formatValue: (Value) -> String
    }

    init(
        budget: Int, partitioner: PartitionFunction, combine: (@Sendable (inout Value, Value) -> Void)?, scratchPrefix: String,
        counters: Counters, direct: DirectOutput?
    ) {
        self.budget = budget
        self.partitioner = partitioner
        self.combine = combine
        self.scratchPrefix = scratchPrefix
        self.counters = counters
        self.direct = direct
        self.isDirect = direct != nil
    }

    /// Buffers one record (jobs without a combiner), or writes it (map-only jobs).
    @usableFromInline func append(key: UnsafeRawBufferPointer, value: Value) {
        guard failure == nil else { return }
        if sampledKeys != nil {
            sampledKeys!.append(Array(key))
            return
        }
        if let direct {
            do { try direct.writer.write(keyBytes: key, formatKey: direct.formatKey, fields: [direct.formatValue(value)]) } catch { failure = error }
            return
        }
        valueWriter.removeAll(keepingCapacity: true)
        value.encode(to: &valueWriter)
        let partition = partitioner.partition(key: key, hash: StableHash.hash(key))
        valueWriter.bytes.withUnsafeBytes { buffer.append(partition: partition, key: key, value: $0) }
        if buffer.byteCount > budget {
            do { try spillBuffer() } catch { failure = error }
        }
    }

    /// Spills a full combining table as one sorted run and empties it.
    @usableFromInline func spill(_ table: CombiningTable<Value>) {
        guard failure == nil else { return }
        do {
            let path = "\(scratchPrefix)-spill-\(spills.count)"
            try writeTable(table, to: path)
            spills.append(path)
            counters.increment(CounterName.spills)
            table.removeAll()
        } catch {
            failure = error
        }
    }

    private func spillBuffer() throws {
        let path = "\(scratchPrefix)-spill-\(spills.count)"
        buffer.sort()
        let writer = try PartitionedFileWriter(path: path, partitionCount: partitioner.partitions)
        try buffer.write(to: writer)
        _ = try writer.finish(sync: false)
        counters.increment(CounterName.spilledRecords, by: buffer.count)
        counters.increment(CounterName.spills)
        buffer.removeAll()
        spills.append(path)
    }

    private func writeTable(_ table: CombiningTable<Value>, to path: String) throws {
        var order: [(partition: Int, entry: Int)] = []
        order.reserveCapacity(table.count)
        for entry in 0..<table.count {
            let key = table.key(entry)
            order.append((partitioner.partition(key: key, hash: StableHash.hash(key)), entry))
        }
        order.sort { a, b in
            if a.partition != b.partition { return a.partition < b.partition }
            return ByteString.compare(table.key(a.entry), table.key(b.entry)) < 0
        }
        let writer = try PartitionedFileWriter(path: path, partitionCount: partitioner.partitions)
        for (partition, entry) in order {
            valueWriter.removeAll(keepingCapacity: true)
            table.values[entry].encode(to: &valueWriter)
            try valueWriter.bytes.withUnsafeBytes { try writer.append(partition: partition, key: table.key(entry), value: $0) }
        }
        counters.increment(CounterName.spilledRecords, by: table.count)
        _ = try writer.finish(sync: false)
    }

    /// Writes the final partitioned file of the task at `path`; returns the byte size of each partition.
    /// For a map-only job, flushes the output file and returns nothing.
    func finish(table: CombiningTable<Value>?, finalPath: String) throws -> [Int] {
        if let failure { throw failure }
        if let direct {
            try direct.writer.finish()
            return []
        }
        if spills.isEmpty {
            if let table {
                try writeTable(table, to: finalPath)
                table.removeAll()
            } else {
                buffer.sort()
                let writer = try PartitionedFileWriter(path: finalPath, partitionCount: partitioner.partitions)
                try buffer.write(to: writer)
                buffer.removeAll()
                return try writer.finish(sync: false)
            }
            return try PartitionedFile(path: finalPath).partitionSizes
        }
        if let table, table.count > 0 { spill(table) } else if buffer.count > 0 { try spillBuffer() }
        if let failure { throw failure }
        let sizes = try mergeSpills(into: finalPath)
        for path in spills { try FileSystem.unlink(path) }
        spills.removeAll()
        return sizes
    }

    /// Runs merged at once; more runs are merged in several passes, so open files stay bounded.
    static var mergeFanIn: Int { 64 }

    /// Merges the sorted spill runs partition by partition, combining equal keys when there is a combiner.
    private func mergeSpills(into path: String) throws -> [Int] {
        var pass = 0
        while spills.count > Self.mergeFanIn {
            var merged: [String] = []
            for (i, start) in stride(from: 0, to: spills.count, by: Self.mergeFanIn).enumerated() {
                let group = Array(spills[start..<min(start + Self.mergeFanIn, spills.count)])
                let target = "\(scratchPrefix)-merge-\(pass)-\(i)"
                _ = try merge(group, into: target)
                for path in group { try FileSystem.unlink(path) }
                merged.append(target)
            }
            spills = merged
            pass += 1
        }
        return try merge(spills, into: path)
    }

    private func merge(_ runs: [String], into path: String) throws -> [Int] {
        let files = try runs.map { try PartitionedFile(path: $0) }
        let writer = try PartitionedFileWriter(path: path, partitionCount: partitioner.partitions)
        for partition in 0..<partitioner.partitions {
            let merger = RunMerger(cursors: files.map { $0.cursor(partition, releasingPages: true) })
            guard let combine else {
                while try merger.next() { try writer.append(partition: partition, key: merger.key, value: merger.value) }
                continue
            }
            var pendingKey: [UInt8] = []
            var pendingValue: Value?
            func flush() throws {
                guard let value = pendingValue else { return }
                valueWriter.removeAll(keepingCapacity: true)
                value.encode(to: &valueWriter)
                try pendingKey.withUnsafeBytes { k in try valueWriter.bytes.withUnsafeBytes { try writer.append(partition: partition, key: k, value: $0) } }
                pendingValue = nil
            }
            while try merger.next() {
                var reader = WireReader(merger.value)
                let value = try Value(from: &reader)
                if pendingValue != nil, pendingKey.withUnsafeBytes({ ByteString.compare($0, merger.key) == 0 }) {
                    combine(&pendingValue!, value)
                } else {
                    try flush()
                    pendingKey = Array(merger.key)
                    pendingValue = value
                }
            }
            try flush()
        }
        return try writer.finish(sync: false)
    }
}
