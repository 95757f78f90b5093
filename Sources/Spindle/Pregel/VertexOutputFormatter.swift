import SpindleCore

/// Writes a Pregel partition's result: `vertex<TAB>value` for every vertex, in id order.
enum VertexOutputFormatter {
    /// Writes the lines of `ids` and `values` to `writer`: the default formatting of `Double` and `Int64`
    /// values straight as bytes, in batches (their digits need no escaping); any other value, or a job's
    /// own `format`, through `format` and the writer's escaping.
    static func write<VertexValue>(
        ids: [Int64], values: [VertexValue], customFormat: ((VertexValue) -> String)?, format: (VertexValue) -> String,
        to writer: OutputLineWriter
    ) throws {
        if customFormat == nil && (VertexValue.self == Double.self || VertexValue.self == Int64.self) {
            try writeNumbers(ids: ids, values: values, to: writer)
            return
        }
        var key: [UInt8] = []
        for i in ids.indices {
            key.removeAll(keepingCapacity: true)
            DecimalDigits.append(ids[i], to: &key)
            try writer.write(keyText: key, field: format(values[i]))
        }
    }

    /// Writes `Double` or `Int64` values as `String(value)` spells them, 64 KiB of lines at a time.
    private static func writeNumbers<VertexValue>(ids: [Int64], values: [VertexValue], to writer: OutputLineWriter) throws {
        var lines: [UInt8] = []
        lines.reserveCapacity(1 << 17)
        var batched = 0
        for i in ids.indices {
            DecimalDigits.append(ids[i], to: &lines)
            lines.append(0x09)
            if VertexValue.self == Int64.self {
                DecimalDigits.append(unsafeBitCast(values[i], to: Int64.self), to: &lines)
            } else {
                var text = unsafeBitCast(values[i], to: Double.self).description
                text.withUTF8 { lines.append(contentsOf: $0) }
            }
            lines.append(0x0A)
            batched += 1
            if lines.count >= 1 << 16 {
                try lines.withUnsafeBytes { try writer.writeRawLines($0, count: batched) }
                lines.removeAll(keepingCapacity: true)
                batched = 0
            }
        }
        try lines.withUnsafeBytes { try writer.writeRawLines($0, count: batched) }
    }
}
