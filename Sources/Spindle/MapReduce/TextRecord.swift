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
    /// The 1-based line number in the file, when the job asked for line numbers (otherwise 0).
    public let lineNumber: Int

    /// The line as a String; invalid UTF-8 becomes U+FFFD. Allocates: prefer `bytes` on hot paths.
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    /// The file's base name (the part after the last `/`).
    public var fileName: String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }
}
