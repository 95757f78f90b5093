import SpindleCore
import SpindlePosix

/// The storage side of ``MapOutput``: records go into a ``RecordBuffer`` (or, with a combiner, into the
/// output's ``CombiningTable``), which a ``PartitionedSpillBuffer`` spills as sorted runs when it passes the
/// memory budget and at the end merges, combining equal keys again, into one partitioned file per map task.
/// In a map-only job it writes output lines directly.
@usableFromInline
final class MapOutputSink<Value: WireCodable & Sendable> {
    /// Bytes of buffered map output that trigger a spill.
    @usableFromInline let budget: Int
    @usableFromInline let isDirect: Bool
    let partitioner: PartitionFunction
    private let counters: Counters
    private let buffer: RecordBuffer
    private let spills: PartitionedSpillBuffer
    // The vars below are touched once per record by the task's one thread: unchecked exclusivity spares
    // each record the runtime's access bookkeeping.
    @exclusivity(unchecked) private var valueWriter = WireWriter()
    /// The first I/O error; the task fails with it after the current record.
    @exclusivity(unchecked) private(set) var failure: (any Error)?
    private let direct: DirectOutput?
    /// When set, emitted keys are collected here instead of stored (sampling for the total-order partitioner).
    @exclusivity(unchecked) var sampledKeys: [[UInt8]]?

    /// Map-only output: lines written straight to a file.
    struct DirectOutput {
        let writer: OutputLineWriter
        let formatKey: (UnsafeRawBufferPointer, inout [UInt8]) -> Void
        let formatValue: (Value) -> String
    }

    /// - Parameter expectedBytes: the input bytes the task will read; without a combiner the record buffer
    ///   starts with room for about that much (within the budget), so it does not grow by copying.
    init(
        budget: Int, partitioner: PartitionFunction, combine: (@Sendable (inout Value, Value) -> Void)?, scratchPrefix: String,
        counters: Counters, direct: DirectOutput?, expectedBytes: Int = 0
    ) {
        let presized = combine == nil && direct == nil ? Swift.min(budget, expectedBytes + expectedBytes / 8, 1 << 31) : 0
        buffer = RecordBuffer(arenaCapacity: Swift.max(1 << 16, presized))
        self.budget = budget
        self.partitioner = partitioner
        self.counters = counters
        self.direct = direct
        self.isDirect = direct != nil
        spills = PartitionedSpillBuffer(
            partitionCount: partitioner.partitions, budget: budget, scratchPrefix: scratchPrefix, folding: combine.map { CombineFolding($0) })
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
        let partition = partitioner.partition(key: key)
        valueWriter.bytes.withUnsafeBytes { buffer.append(partition: partition, key: key, value: $0) }
        if buffer.byteCount > budget {
            do { try spills.spill(buffer) } catch { failure = error }
        }
    }

    /// Spills a full combining table as one sorted run and empties it.
    @usableFromInline func spill(_ table: CombiningTable<Value>) {
        guard failure == nil else { return }
        do { try spills.spill(table) } catch { failure = error }
    }

    /// Writes the final partitioned file of the task at `path`; returns the byte size of each partition.
    /// For a map-only job, flushes the output file and returns nothing.
    func finish(table: CombiningTable<Value>?, finalPath: String) throws -> [Int] {
        if let failure { throw failure }
        if let direct {
            try direct.writer.finish()
            return []
        }
        let sizes: [Int]
        if let table {
            sizes = try spills.finish(table, path: finalPath)
        } else {
            sizes = try spills.finish(buffer, path: finalPath)
        }
        counters.increment(CounterName.spills, by: spills.spillCount)
        counters.increment(CounterName.spilledRecords, by: spills.spilledRecords)
        return sizes
    }

    /// Sorted runs spilled to disk so far (all of the task's once ``finish(table:finalPath:)`` returned).
    var spillCount: Int { spills.spillCount }

    /// Runs merged at once (see ``PartitionedSpillBuffer/mergeFanIn``).
    static var mergeFanIn: Int { PartitionedSpillBuffer.mergeFanIn }
}
