/// One input line as the map function sees it: its bytes (without the newline), where it came from, and
/// a String view made on demand.
///
/// `bytes` points into a read buffer and is valid only during the map call: copy what you keep.
public struct TextRecord {
    /// The line's bytes, without the trailing `\n` (a trailing `\r` is kept).
    public let bytes: UnsafeRawBufferPointer
    /// The input file's path.
    public let path: String
    /// The byte offset of the line in its file.
    public let offset: Int
    /// The line number as counted: > 0 when the job counts lines, ``notCounted`` or ``sampled`` otherwise.
    let countedLineNumber: Int

    /// `countedLineNumber` of a record of a job that does not count lines.
    static let notCounted = 0
    /// `countedLineNumber` of a record read on the coordinator to sample keys, where lines are not counted
    /// (`lineNumber` reads 0: the keys only place the partition boundaries).
    static let sampled = -1

    init(bytes: UnsafeRawBufferPointer, path: String, offset: Int, lineNumber: Int) {
        self.bytes = bytes
        self.path = path
        self.offset = offset
        self.countedLineNumber = lineNumber
    }

    /// The 1-based line number of the line in its file.
    /// - Throws: ``SpindleError`` (a task error) when the job does not count lines: create its `MapReduceJob`
    ///   with `lineNumbers: true` (BSP and Pregel loaders have no line numbers; use ``offset`` there).
    public var lineNumber: Int {
        get throws(SpindleError) {
            if countedLineNumber > 0 { return countedLineNumber }
            if countedLineNumber == Self.sampled { return 0 }
            throw SpindleError(
                .taskError,
                "record.lineNumber was read at \(path) byte \(offset), but the job does not count lines; "
                    + "create its MapReduceJob with `lineNumbers: true` (or use record.offset)")
        }
    }

    /// The line as a String; invalid UTF-8 becomes U+FFFD. Allocates: prefer `bytes` on hot paths.
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    /// The file's base name (the part after the last `/`).
    public var fileName: String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }
}
