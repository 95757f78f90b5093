/// Shuffle bytes that fail validation: a checksum mismatch, broken framing, or a bad file footer.
///
/// `offset` is the byte position of the problem within `source` (a file path or a peer description) as far
/// as the reader knows it; readers of a file segment report file offsets.
struct CorruptDataError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The file or stream the bytes came from.
    var source: String
    /// Byte offset within `source` where the damage was found.
    var offset: Int
    /// What was wrong, e.g. "block checksum mismatch".
    var detail: String

    /// One-line message naming the source, the offset and the problem.
    var description: String { "corrupt shuffle data in \(source) at byte \(offset): \(detail)" }
}
