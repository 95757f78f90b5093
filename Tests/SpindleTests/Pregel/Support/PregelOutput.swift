import Foundation

/// The output lines of the Pregel jobs (`vertex<TAB>value`), formatted from oracle results and parsed back
/// from a job's part files, plus the comparison of PageRank results within a relative tolerance.
enum PregelOutput {
    /// Why output lines could not be parsed.
    struct ParseError: Error, CustomStringConvertible {
        let line: String
        let reason: String
        var description: String { "\(reason): '\(line)'" }
    }

    /// PageRank lines `id<TAB>rank` with Swift's default Double description, in ascending id order.
    static func pagerankLines(_ ranks: [Int64: Double]) -> [String] {
        ranks.keys.sorted().map { "\($0)\t\(ranks[$0]!)" }
    }

    /// Connected-components lines `id<TAB>label`, in ascending id order.
    static func componentLines(_ labels: [Int64: Int64]) -> [String] {
        labels.keys.sorted().map { "\($0)\t\(labels[$0]!)" }
    }

    /// SSSP lines `id<TAB>distance` (see `distanceText`), in ascending id order.
    static func ssspLines(_ distances: [Int64: Double?]) -> [String] {
        distances.keys.sorted().map { "\($0)\t\(distanceText(distances[$0]!))" }
    }

    /// A distance as the sssp job prints it: `inf` when unreachable (nil or +infinity), an integer when the
    /// value is integral and below 1e15 in magnitude, otherwise Swift's Double description.
    static func distanceText(_ distance: Double?) -> String {
        guard let d = distance, d != .infinity else { return "inf" }
        if d == d.rounded(), abs(d) < 1e15 { return String(Int64(d)) }
        return "\(d)"
    }

    /// Parses `id<TAB>value` lines (any order) into id → value text; throws on a malformed line or a
    /// vertex that appears twice.
    static func values(_ lines: [String]) throws -> [Int64: String] {
        var result: [Int64: String] = [:]
        for line in lines {
            let parts = line.split(separator: "\t", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, let id = Int64(parts[0]) else { throw ParseError(line: line, reason: "not 'id<TAB>value'") }
            guard result[id] == nil else { throw ParseError(line: line, reason: "vertex \(id) appears twice") }
            result[id] = String(parts[1])
        }
        return result
    }

    /// Parses `id<TAB>number` lines into id → number; `inf` reads as +infinity.
    static func numbers(_ lines: [String]) throws -> [Int64: Double] {
        try values(lines).reduce(into: [:]) { result, entry in
            guard let number = Double(entry.value) else { throw ParseError(line: "\(entry.key)\t\(entry.value)", reason: "value is not a number") }
            result[entry.key] = number
        }
    }

    /// Parses `id<TAB>label` lines (connected components) into id → label.
    static func labels(_ lines: [String]) throws -> [Int64: Int64] {
        try values(lines).reduce(into: [:]) { result, entry in
            guard let label = Int64(entry.value) else { throw ParseError(line: "\(entry.key)\t\(entry.value)", reason: "label is not an Int64") }
            result[entry.key] = label
        }
    }

    /// Differences between two id → value maps, described one per line (at most `limit`): missing and extra
    /// vertices, and values with |a - b| > relativeTolerance * max(|a|, |b|). Empty when they agree.
    static func rankMismatches(expected: [Int64: Double], actual: [Int64: Double], relativeTolerance: Double = 1e-9, limit: Int = 20)
        -> [String]
    {
        var problems: [String] = []
        for id in expected.keys.sorted() {
            guard let a = actual[id] else {
                problems.append("vertex \(id) missing (expected \(expected[id]!))")
                continue
            }
            let e = expected[id]!
            if !(abs(a - e) <= relativeTolerance * max(abs(a), abs(e))) {
                problems.append("vertex \(id): expected \(e), got \(a) (relative difference \(abs(a - e) / max(abs(a), abs(e))))")
            }
        }
        for id in actual.keys.sorted() where expected[id] == nil { problems.append("unexpected vertex \(id) = \(actual[id]!)") }
        return Array(problems.prefix(limit))
    }

    /// Whether two PageRank results have the same vertices and agree within `relativeTolerance`.
    static func ranksAgree(_ expected: [Int64: Double], _ actual: [Int64: Double], relativeTolerance: Double = 1e-9) -> Bool {
        rankMismatches(expected: expected, actual: actual, relativeTolerance: relativeTolerance, limit: 1).isEmpty
    }

    /// The largest relative difference |a - b| / max(|a|, |b|) over the vertices both maps share (0 if none).
    static func maxRelativeDifference(_ a: [Int64: Double], _ b: [Int64: Double]) -> Double {
        var worst = 0.0
        for (id, x) in a {
            guard let y = b[id], x != y else { continue }
            worst = max(worst, abs(x - y) / max(abs(x), abs(y)))
        }
        return worst
    }
}
