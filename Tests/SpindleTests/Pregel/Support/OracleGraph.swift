import Foundation

/// A directed multigraph read from a SNAP-style edge list, kept as plainly as possible for the sequential
/// oracles: every edge line is one edge (parallel edges and self-loops included), in file order.
struct OracleGraph: Sendable {
    /// One directed edge; `weight` is 1 when the line has no third column.
    struct Edge: Equatable, Sendable {
        let source: Int64
        let target: Int64
        let weight: Double
    }

    /// Why an edge list could not be read.
    struct ParseError: Error, CustomStringConvertible {
        let line: Int
        let text: String
        let reason: String
        var description: String { "line \(line): \(reason): '\(text)'" }
    }

    /// Every edge (with the reverses appended when built `undirected`).
    let edges: [Edge]
    /// Every id that appears as a source or a target, sorted ascending.
    let vertices: [Int64]

    /// A graph of `edges`; `undirected` appends the reverse of every edge (a self-loop then appears twice).
    init(edges: [Edge], undirected: Bool = false) {
        let all = undirected ? edges + edges.map { Edge(source: $0.target, target: $0.source, weight: $0.weight) } : edges
        self.edges = all
        self.vertices = Set(all.flatMap { [$0.source, $0.target] }).sorted()
    }

    /// Parses edge-list text: `#` comment lines and blank lines skipped, otherwise `src dst [weight]`
    /// separated by spaces or tabs, Int64 ids, a finite weight defaulting to 1.
    init(parsing text: String, undirected: Bool = false) throws {
        var edges: [Edge] = []
        // "\r\n" is a single Character in Swift, so it has to be named as a line end too.
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
        for (index, rawLine) in lines.enumerated() {
            let fields = rawLine.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" }).map(String.init)
            if fields.isEmpty || fields[0].hasPrefix("#") { continue }
            func fail(_ reason: String) -> ParseError { ParseError(line: index + 1, text: String(rawLine), reason: reason) }
            guard fields.count == 2 || fields.count == 3 else { throw fail("expected 2 or 3 fields") }
            guard let source = Int64(fields[0]), let target = Int64(fields[1]) else { throw fail("id is not an Int64") }
            var weight = 1.0
            if fields.count == 3 {
                guard let w = Double(fields[2]), w.isFinite else { throw fail("weight is not a finite number") }
                weight = w
            }
            edges.append(Edge(source: source, target: target, weight: weight))
        }
        self.init(edges: edges, undirected: undirected)
    }

    /// Reads and parses the edge-list file at `path`.
    init(contentsOf path: String, undirected: Bool = false) throws {
        try self.init(parsing: String(contentsOfFile: path, encoding: .utf8), undirected: undirected)
    }

    /// Reads and parses several edge-list files as one graph (the job's view of an input directory).
    init(contentsOf paths: [String], undirected: Bool = false) throws {
        let parts = try paths.map { try OracleGraph(contentsOf: $0) }
        self.init(edges: parts.flatMap(\.edges), undirected: undirected)
    }

    /// The number of edges leaving each vertex (0 for dangling vertices), counting every edge line.
    var outDegrees: [Int64: Int] {
        var degrees = Dictionary(uniqueKeysWithValues: vertices.map { ($0, 0) })
        for edge in edges { degrees[edge.source, default: 0] += 1 }
        return degrees
    }
}
