/// Edge lists as SNAP publishes them, for jobs that read graphs themselves (``BSPJob``): `#` comment lines,
/// blank lines, and whitespace-separated `src dst [weight]` with 64-bit integer ids. The same parser the
/// Pregel jobs use; it allocates nothing for a well-formed line.
public enum EdgeListFormat {
    /// One edge of an edge list.
    public struct Edge: Sendable, Equatable {
        /// The first column: the vertex the edge leaves.
        public var source: Int64
        /// The second column: the vertex the edge enters.
        public var target: Int64
        /// The optional third column.
        public var weight: Double?
    }

    /// Parses one line (without its `\n`; a trailing `\r` is ignored).
    /// - Returns: the edge, or nil for a blank or comment line.
    /// - Throws: ``MalformedRecord`` saying what is wrong, such as "expected 2 or 3 fields, found 4".
    public static func parse(_ line: UnsafeRawBufferPointer) throws(MalformedRecord) -> Edge? {
        switch EdgeListParser.parse(line) {
        case .edge(let source, let target, let weight)?: return Edge(source: source, target: target, weight: weight)
        case .skip?: return nil
        case nil: throw MalformedRecord(EdgeListParser.problem(line))
        }
    }
}
