import SpindleCore

/// Entry points for the libFuzzer targets in `Tests/Fuzz/`: thin public wrappers around the module's internal
/// byte parsers, so the fuzz package can reach them without `@testable import`. Not API: `@_spi(Fuzzing)`.
@_spi(Fuzzing)
public enum FuzzEntryPoints {
    /// One line parsed by the edge-list parser, in a form the fuzz package can see.
    public enum EdgeLineResult: Equatable, Sendable {
        /// A blank or comment line.
        case skip
        /// An edge with its optional weight.
        case edge(source: Int64, target: Int64, weight: Double?)
        /// A malformed line.
        case malformed
    }

    /// `EdgeListParser.parse(line)`.
    public static func parseEdgeLine(_ line: UnsafeRawBufferPointer) -> EdgeLineResult {
        switch EdgeListParser.parse(line) {
        case .skip: return .skip
        case let .edge(source, target, weight): return .edge(source: source, target: target, weight: weight)
        case nil: return .malformed
        }
    }

    /// `EdgeListParser.problem(line)`: why the line is malformed, or "no problem".
    public static func edgeLineProblem(_ line: UnsafeRawBufferPointer) -> String {
        EdgeListParser.problem(line)
    }

    /// `EdgeListParser.number(line, from: start, to: end)`: the weight parser on `line[start..<end]`.
    public static func parseEdgeWeight(_ line: UnsafeRawBufferPointer, from start: Int, to end: Int) -> Double? {
        EdgeListParser.number(line, from: start, to: end)
    }

    /// `EdgeListParser.lineNumber(of: offset, in: file)`.
    public static func edgeLineNumber(of offset: Int, in file: UnsafeRawBufferPointer) -> Int {
        EdgeListParser.lineNumber(of: offset, in: file)
    }

    /// `LineScanner(bytes:).forEachLine(start:end:)`: the `(lineStart, lineEnd)` of every line a chunk owns.
    public static func linesOwned(in bytes: UnsafeRawBufferPointer, start: Int, end: Int) -> [Range<Int>] {
        var lines: [Range<Int>] = []
        LineScanner(bytes: bytes).forEachLine(start: start, end: end) { lineStart, lineEnd in
            lines.append(lineStart..<lineEnd)
            return true
        }
        return lines
    }

    /// `LineScanner(bytes:).ownedEnd(start:end:)`.
    public static func ownedEnd(in bytes: UnsafeRawBufferPointer, start: Int, end: Int) -> Int {
        LineScanner(bytes: bytes).ownedEnd(start: start, end: end)
    }

    /// `LineScanner(bytes:).indexOfNewline(from:)`.
    public static func indexOfNewline(in bytes: UnsafeRawBufferPointer, from offset: Int) -> Int? {
        LineScanner(bytes: bytes).indexOfNewline(from: offset)
    }

    /// The command specs of the `spindle` executable (`run`, `worker`, `jobs`, ...).
    package static var commandSpecs: [CommandSpec] { CommandSpecs.all }
}
