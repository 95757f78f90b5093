import SpindleCore

/// Where a reduce function writes its part file: `key<TAB>value` lines (escaped), or raw lines.
public final class ReduceOutput<Key: ShuffleKey> {
    /// Counters of this attempt; counts of committed attempts are summed in `_SUCCESS`.
    public let counters: Counters
    let writer: OutputLineWriter
    private var keyText: [UInt8] = []

    init(writer: OutputLineWriter, counters: Counters) {
        self.writer = writer
        self.counters = counters
    }

    /// Writes `key<TAB>field1<TAB>field2...`; tabs, newlines and backslashes inside are escaped.
    ///
    /// A field is any ``OutputField``: text, numbers (`Double` and `Float` in a form that reads back
    /// exactly), `Bool`, or your own type. `write(key)` alone writes the key with no field and no tab.
    public func write<each Field: OutputField>(_ key: Key, _ fields: repeat each Field) throws {
        startLine(key)
        for field in repeat each fields { writer.appendField(field) }
        try writer.endLine()
    }

    /// Writes `key<TAB>value` for an `Int` value (the word count's path: no String is built).
    public func write(_ key: Key, _ value: Int) throws {
        startLine(key)
        writer.appendField(value)
        try writer.endLine()
    }

    private func startLine(_ key: Key) {
        keyText.removeAll(keepingCapacity: true)
        key.appendOutputText(to: &keyText)
        writer.startLine(keyText)
    }

    /// Writes a line as it is (no key, no escaping); the bytes must not contain a newline.
    public func writeLine(_ bytes: UnsafeRawBufferPointer) throws {
        precondition(bytes.baseAddress.map { memchrNewline($0, bytes.count) == nil } ?? true, "a raw output line must not contain a newline")
        try writer.writeRawLine(bytes)
    }

    /// Writes a line as it is (no key, no escaping); the text must not contain a newline.
    public func writeLine(_ text: String) throws {
        var text = text
        try text.withUTF8 { try writeLine(UnsafeRawBufferPointer($0)) }
    }
}
