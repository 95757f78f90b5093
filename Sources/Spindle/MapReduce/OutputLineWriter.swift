import SpindleCore
import SpindlePosix

/// Writes output lines `key<TAB>field<TAB>field...` to a part file, escaping `\` as `\\`, tab as `\t`,
/// newline as `\n` and carriage return as `\r` inside keys and fields so every record stays one line.
final class OutputLineWriter {
    private let file: FileWriter
    private var line: [UInt8] = []
    private var keyText: [UInt8] = []
    private var fieldText: [UInt8] = []
    private(set) var records = 0
    private(set) var bytes = 0

    init(path: String) throws {
        file = try FileWriter(path: path, mode: .createTruncate, checksummed: true)
    }

    /// The part file's size and CRC32C, computed while writing it; read after ``finish()``.
    var digest: OutputDigest { OutputDigest(size: file.bytesWritten, checksum: file.checksum ?? 0) }

    /// Writes one record whose key is given as shuffle bytes and turned into text by `formatKey`.
    func write(keyBytes: UnsafeRawBufferPointer, formatKey: (UnsafeRawBufferPointer, inout [UInt8]) -> Void, fields: [String]) throws {
        keyText.removeAll(keepingCapacity: true)
        formatKey(keyBytes, &keyText)
        try write(keyText: keyText, fields: fields)
    }

    /// Writes one record from key text (before escaping) and fields.
    func write(keyText: [UInt8], fields: [String]) throws {
        startLine(keyText)
        for field in fields { appendField(field) }
        try endLine()
    }

    /// Writes one record of a key (text before escaping) and a single field, without building a fields array.
    func write(keyText: [UInt8], field: String) throws {
        startLine(keyText)
        appendField(field)
        try endLine()
    }

    /// Starts a record: the key's text (before escaping). Fields follow, then ``endLine()``.
    func startLine(_ keyText: [UInt8]) {
        line.removeAll(keepingCapacity: true)
        Self.appendEscaped(keyText, to: &line)
    }

    /// Appends a tab and `field`, escaped.
    func appendField(_ field: String) {
        line.append(0x09)
        Self.appendEscaped(field.utf8, to: &line)
    }

    /// Appends a tab and the decimal digits of `value` (digits need no escaping).
    func appendField(_ value: Int) {
        line.append(0x09)
        DecimalDigits.append(value, to: &line)
    }

    /// Appends a tab and the text of `field`, escaped.
    func appendField<Field: OutputField>(_ field: Field) {
        fieldText.removeAll(keepingCapacity: true)
        field.appendOutputField(to: &fieldText)
        line.append(0x09)
        Self.appendEscaped(fieldText, to: &line)
    }

    /// Ends the record begun by ``startLine(_:)`` and writes it.
    func endLine() throws {
        line.append(0x0A)
        try file.write(line)
        records += 1
        bytes += line.count
    }

    /// Writes `text` followed by a newline, unescaped; the caller guarantees it holds no newline.
    func writeRawLine(_ text: UnsafeRawBufferPointer) throws {
        try file.write(text)
        try withUnsafeBytes(of: UInt8(0x0A)) { try file.write($0) }
        records += 1
        bytes += text.count + 1
    }

    /// Writes `count` whole lines, each already escaped and ending in a newline.
    func writeRawLines(_ text: UnsafeRawBufferPointer, count: Int) throws {
        try file.write(text)
        records += count
        bytes += text.count
    }

    /// Flushes, fsyncs and closes the file, so it can be committed by rename.
    func finish() throws {
        try file.sync()
        try file.close()
    }

    static func appendEscaped<S: Sequence>(_ text: S, to out: inout [UInt8]) where S.Element == UInt8 {
        for byte in text {
            switch byte {
            case 0x5C: out.append(0x5C); out.append(0x5C)
            case 0x09: out.append(0x5C); out.append(0x74)
            case 0x0A: out.append(0x5C); out.append(0x6E)
            case 0x0D: out.append(0x5C); out.append(0x72)
            default: out.append(byte)
            }
        }
    }
}
