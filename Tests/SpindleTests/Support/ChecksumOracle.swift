import Foundation
import SpindleCore

/// The sequential reference for the `checksum` demo job: checks that the job's lines cover the input
/// exactly once, at line boundaries, with the right CRC32C and line count for every range.
enum ChecksumOracle {
    /// Writes `lines` pseudo-random lines (ASCII words, some multi-byte UTF-8, some invalid bytes),
    /// the last without a newline.
    static func writeInput(_ path: String, lines: Int, seed: UInt64) throws {
        var rng = SplitMix(seed: seed)
        var bytes: [UInt8] = []
        let words: [[UInt8]] = ["alpha", "beta", "γάμμα", "délta", "日本語", "x"].map { Array($0.utf8) } + [[0xFF, 0xFE, 0x41]]
        for i in 0..<lines {
            let count = Int(rng.next() % 14)
            for j in 0..<count {
                if j > 0 { bytes.append(0x20) }
                bytes += words[Int(rng.next() % UInt64(words.count))]
            }
            if i < lines - 1 { bytes.append(0x0A) }
        }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    /// Returns the problems found in the job's `part-00000` for input `path` (empty when correct).
    static func problems(output: String, input path: String) throws -> [String] {
        let data = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let text = try String(contentsOfFile: output + "/part-00000", encoding: .utf8)
        var problems: [String] = []
        var expectedStart = 0
        var totalLines = 0
        for line in text.split(separator: "\n") {
            let f = line.split(separator: "\t").map(String.init)
            if f[0] == "total" {
                if f[1] != "\(totalLines) lines" { problems.append("total line count \(f[1]) != \(totalLines)") }
                continue
            }
            guard f.count == 6, let start = Int(f[2]), let end = Int(f[3]), let lines = Int(f[4]) else {
                problems.append("malformed line \(line)")
                continue
            }
            if start == end { continue }
            if start != expectedStart { problems.append("range \(start)-\(end) does not start at \(expectedStart)") }
            if start > 0 && data[start - 1] != 0x0A { problems.append("range \(start)-\(end) does not start a line") }
            let slice = Array(data[start..<end])
            let newlines = slice.filter { $0 == 0x0A }.count
            let expectLines = newlines + (slice.last == 0x0A ? 0 : 1)
            if lines != expectLines { problems.append("range \(start)-\(end) has \(expectLines) lines, job says \(lines)") }
            let crc = String(CRC32C.checksum(slice), radix: 16)
            if crc != f[5] { problems.append("range \(start)-\(end) CRC \(crc), job says \(f[5])") }
            totalLines += lines
            expectedStart = end
        }
        if expectedStart != data.count { problems.append("ranges end at \(expectedStart), file has \(data.count) bytes") }
        return problems
    }
}

/// A small deterministic generator for test data.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
