import SpindleCore

/// Where a map function sends its output: `emit(key, value)`. Records go through the partitioner into a
/// buffer (with the job's combiner applied in memory), which spills sorted runs to the worker's scratch
/// directory when it passes the memory budget. In a map-only job records are written straight to the
/// task's output file instead.
public final class MapOutput<Key: ShuffleKey, Value: WireCodable & Sendable> {
    /// Counters of this attempt; counts of committed attempts are summed in `_SUCCESS`.
    public let counters: Counters
    @usableFromInline let table: CombiningTable<Value>?
    @usableFromInline let sink: MapOutputSink<Value>
    /// `table` again, unretained, for the once-per-record path: a call through the strong property
    /// retains and releases the table around it, which costs more than the call. Safe because this
    /// object keeps the table alive.
    @usableFromInline let unretainedTable: Unmanaged<CombiningTable<Value>>?
    @exclusivity(unchecked) @usableFromInline var keyScratch: [UInt8] = []
    @exclusivity(unchecked) @usableFromInline var emitted = 0

    init(sink: MapOutputSink<Value>, combine: (@Sendable (inout Value, Value) -> Void)?, counters: Counters) {
        self.sink = sink
        self.counters = counters
        let table = (combine != nil && !sink.isDirect) ? CombiningTable(combine: combine!, partitioner: sink.partitioner) : nil
        self.table = table
        unretainedTable = table.map { Unmanaged.passUnretained($0) }
    }

    /// Emits one record.
    @inlinable public func emit(_ key: Key, _ value: Value) {
        keyScratch.removeAll(keepingCapacity: true)
        key.appendShuffleBytes(to: &keyScratch)
        keyScratch.withUnsafeBytes { add(keyBytes: $0, value: value) }
    }

    @inlinable func add(keyBytes: UnsafeRawBufferPointer, value: Value) {
        emitted &+= 1
        if let unretainedTable {
            let full = unretainedTable._withUnsafeGuaranteedRef { table in
                table.add(key: keyBytes, value: value)
                return table.byteCount > sink.budget
            }
            if full { sink.spill(table!) }
        } else {
            sink.append(key: keyBytes, value: value)
        }
    }
}

extension MapOutput where Key: RawBytesShuffleKey {
    /// Emits one record whose key is given as its bytes (for `String` keys: UTF-8), without building a
    /// key value. The bytes are copied; they need only be valid during the call.
    @inlinable public func emit(keyBytes: UnsafeRawBufferPointer, _ value: Value) {
        add(keyBytes: keyBytes, value: value)
    }
}
