import Foundation
import Spindle

/// Sequential references of the built-in MapReduce jobs, written for clarity, not speed, on whole files.
enum MapReduceOracle {
    /// Lines of a file as the framework defines them: split at `\n`, a final line without `\n` counts.
    static func lines(of path: String) throws -> [[UInt8]] {
        let data = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        var lines = data.split(separator: 0x0A, omittingEmptySubsequences: false).map(Array.init)
        if data.last == 0x0A || data.isEmpty { lines.removeLast() }
        return lines
    }

    static func escape(_ text: String) -> String {
        var out = ""
        for c in text.unicodeScalars {
            switch c {
            case "\\": out += "\\\\"
            case "\t": out += "\\t"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    static func wordCount(_ files: [String], lowercase: Bool) throws -> [String] {
        var counts: [String: Int] = [:]
        for file in files {
            for line in try lines(of: file) {
                for word in WordTokenizer.words(in: String(decoding: line, as: UTF8.self), lowercase: lowercase) { counts[word, default: 0] += 1 }
            }
        }
        return counts.map { "\(escape($0.key))\t\($0.value)" }
    }

    static func invertedIndex(_ files: [String]) throws -> [String] {
        var documents: [String: Set<String>] = [:]
        for file in files {
            let name = (file as NSString).lastPathComponent
            for line in try lines(of: file) {
                for word in WordTokenizer.words(in: String(decoding: line, as: UTF8.self), lowercase: false) { documents[word, default: []].insert(name) }
            }
        }
        return documents.map { "\(escape($0.key))\t\($0.value.count)\t\($0.value.sorted().joined(separator: ","))" }
    }

    /// In input order: files sorted by path, lines in file order.
    static func grep(_ files: [String], pattern: String) throws -> [String] {
        var out: [String] = []
        for file in files.sorted() {
            let name = (file as NSString).lastPathComponent
            for (i, line) in try lines(of: file).enumerated() where contains(line, Array(pattern.utf8)) {
                out.append("\(escape("\(name):\(i + 1)"))\t\(escape(String(decoding: line, as: UTF8.self)))")
            }
        }
        return out
    }

    static func sort(_ files: [String]) throws -> [UInt8] {
        let all = try files.flatMap { try lines(of: $0) }.sorted { $0.lexicographicallyPrecedes($1) }
        var out: [UInt8] = []
        for line in all { out += line + [0x0A] }
        return out
    }

    private static func contains(_ hay: [UInt8], _ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty else { return true }
        guard hay.count >= needle.count else { return false }
        for i in 0...(hay.count - needle.count) where Array(hay[i..<(i + needle.count)]) == needle { return true }
        return false
    }
}

/// Reads a job's output directory.
struct JobOutput {
    let directory: String

    var partFiles: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasPrefix("part-") }.sorted().map { "\(directory)/\($0)" }
    }

    /// All part files concatenated in order.
    func concatenated() throws -> [UInt8] { try partFiles.flatMap { [UInt8](try Data(contentsOf: URL(fileURLWithPath: $0))) } }

    /// All output lines, in part-file order.
    func lines() throws -> [String] {
        try partFiles.flatMap { try String(contentsOfFile: $0, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init) }
    }

    /// Whether every part file is sorted by key (the text before the first tab), compared as bytes.
    func eachPartIsSortedByKey() throws -> Bool {
        for file in partFiles {
            let keys = try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n").map { Array($0.split(separator: "\t", maxSplits: 1, omittingEmptySubsequences: false)[0].utf8) }
            for (a, b) in zip(keys, keys.dropFirst()) where !a.lexicographicallyPrecedes(b) { return false }
        }
        return true
    }

    var succeeded: Bool { FileManager.default.fileExists(atPath: "\(directory)/_SUCCESS") }

    /// The counters recorded in `_SUCCESS`.
    func counters() throws -> [String: Int] {
        let data = try Data(contentsOf: URL(fileURLWithPath: "\(directory)/_SUCCESS"))
        let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        return (object?["counters"] as? [String: Int]) ?? [:]
    }
}

/// Text inputs for the MapReduce tests: several files (one large, several small, one empty), with
/// non-ASCII words, tabs, backslashes, long lines and invalid UTF-8.
enum TextFixtures {
    static func write(into dir: String, seed: UInt64) throws -> [String] {
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        var rng = SplitMix(seed: seed)
        let pieces: [[UInt8]] = ["the", "The", "quick", "fox", "Ünïcödé", "naïve", "ΣΊΣΥΦΟΣ", "σίσυφος", "日本語", "ǅemal", "ʰaspirated", "Straße",
                                 "a\tb", "back\\slash", "x1y2", "emoji🙂ok", "don't", "—dash—", "ok"].map { Array($0.utf8) }
            + [[0xFF, 0x61], [0xC3], [0xE2, 0x82], [0xED, 0xA0, 0x80], [0x80, 0x62, 0x63]]
        var paths: [String] = []
        for (index, lineCount) in [4_000, 60, 3, 0, 250, 1].enumerated() {
            var bytes: [UInt8] = []
            for i in 0..<lineCount {
                let words = Int(rng.next() % 16)
                for j in 0..<words {
                    if j > 0 { bytes.append(rng.next() % 7 == 0 ? 0x09 : 0x20) }
                    bytes += pieces[Int(rng.next() % UInt64(pieces.count))]
                }
                if i < lineCount - 1 || index % 2 == 0 { bytes.append(0x0A) }
            }
            let path = "\(dir)/doc-\(index).txt"
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            paths.append(path)
        }
        return paths
    }
}
