/// Where a BSP job's output function writes its partition's part file: `key<TAB>value` lines (tabs, newlines
/// and backslashes inside escaped, as in every Spindle output), or raw lines. The part file is committed
/// only if the output task succeeds, once per partition.
public final class BSPOutput {
    /// The partition whose result is being written.
    public let partition: Int
    let writer: OutputLineWriter

    init(partition: Int, writer: OutputLineWriter) {
        self.partition = partition
        self.writer = writer
    }

    /// Writes `key<TAB>field1<TAB>field2...`.
    public func write(_ key: String, _ fields: String...) throws {
        try writer.write(keyText: Array(key.utf8), fields: fields)
    }

    /// Writes `key<TAB>value` for integers.
    public func write(_ key: Int64, _ value: Int64) throws {
        try writer.write(keyText: Array(String(key).utf8), fields: [String(value)])
    }

    /// Writes a line as it is (no key, no escaping).
    /// - Throws: when `text` contains a newline (it would become two records).
    public func writeLine(_ text: String) throws {
        guard !text.utf8.contains(0x0A) else { throw TaskFailure("a raw output line must not contain a newline: \(text.debugDescription)") }
        var text = text
        try text.withUTF8 { try writer.writeRawLine(UnsafeRawBufferPointer($0)) }
    }

    /// Lines written so far.
    public var lines: Int { writer.records }
}
