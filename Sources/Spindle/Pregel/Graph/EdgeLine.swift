/// One parsed line of an edge list: a line to ignore (blank or comment) or a directed edge.
enum EdgeLine: Equatable, Sendable {
    /// A blank line or a comment (first non-blank byte `#`).
    case skip
    /// An edge `source -> target`, with the weight from the optional third column.
    case edge(source: Int64, target: Int64, weight: Double?)
}
