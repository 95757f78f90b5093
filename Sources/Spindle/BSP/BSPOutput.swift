/// Where a BSP job's output function writes its partition's part file: `key<TAB>value` lines (tabs, newlines
/// and backslashes inside escaped, as in every Spindle output), or raw lines. The part file is committed
/// only if the output task succeeds, once per partition.
public final class BSPOutput {
    /// The partition whose result is being written.
    public let partition: Int
    let writer: OutputLineWriter
    private var keyText: [UInt8] = []

    init(partition: Int, writer: OutputLineWriter) {
        self.partition = partition
        self.writer = writer
    }

    /// Writes `key<TAB>field1<TAB>field2...`: the key and every field are any ``OutputField`` (text,
    /// numbers, `Bool`, your own type), escaped as in every Spindle output.
    public func write<Key: OutputField, each Field: OutputField>(_ key: Key, _ fields: repeat each Field) throws {
        keyText.removeAll(keepingCapacity: true)
        key.appendOutputField(to: &keyText)
        writer.startLine(keyText)
        for field in repeat each fields { writer.appendField(field) }
        try writer.endLine()
    }

    /// Writes `key<TAB>value` for integers.
    public func write(_ key: Int64, _ value: Int64) throws {
        keyText.removeAll(keepingCapacity: true)
        DecimalDigits.append(key, to: &keyText)
        writer.startLine(keyText)
        writer.appendField(Int(value))
        try writer.endLine()
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
