import Foundation
import SpindlePosix
import Testing

@testable import Spindle

@Suite struct EdgeListReaderTests {
    /// What reading yields: edges (weights as bit patterns, so NaN-free comparison is exact) and rejected lines.
    enum Item: Equatable {
        case edge(Int64, Int64, UInt64?)
        case malformed(offset: Int, line: String)
    }

    /// Lines of every shape the fast path takes or must hand over to the parser.
    static let lineShapes: [String] = [
        "1 2", "10\t20", "3    4", "5\t \t6", "0 0", "007 0008", "123456789012345678 876543210987654321",
        "1234567890123456789 1", "1 9223372036854775807", "1 9223372036854775808", "-5 6", "+5 6", "5 -6",
        "# comment 1 2", "", "   ", "\t7 8", "7 8 ", "7 8\r", "9 10 0.5", "9 10 -2e3", "9 10 x", "9", "9 ",
        "a b", "1 2 3 4", "11 12", "1x 2", "1 2x",
    ]

    /// A file of `lines` random shapes, and the reference: each line through ``EdgeListParser``.
    static func makeFile(_ path: String, lines: Int, seed: UInt64, finalNewline: Bool) throws -> (bytes: [UInt8], expected: [Item]) {
        var rng = SplitMix64(seed: seed)
        var bytes: [UInt8] = []
        var expected: [Item] = []
        for k in 0..<lines {
            let common = rng.next() % 3 != 0
            let line =
                common
                ? "\(rng.next() % 1_000_000) \(rng.next() % 1_000_000)" : lineShapes[Int(rng.next() % UInt64(lineShapes.count))]
            let offset = bytes.count
            bytes += Array(line.utf8)
            if k < lines - 1 || finalNewline { bytes.append(0x0A) }
            let parsed = Array(line.utf8).withUnsafeBytes { EdgeListParser.parse($0) }
            switch parsed {
            case .edge(let s, let t, let w)?: expected.append(.edge(s, t, w?.bitPattern))
            case .skip?: break
            case nil: expected.append(.malformed(offset: offset, line: line))
            }
        }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return (bytes, expected)
    }

    static func read(_ splits: [InputSplit], maxRecord: Int = 1 << 20, skipBadRecords: Bool = false) throws -> [Item] {
        var items: [Item] = []
        for split in splits {
            try EdgeListReader.forEachEdge(
                in: split, maxRecord: maxRecord, skipBadRecords: skipBadRecords, counters: Counters(), context: nil,
                edge: { items.append(.edge($0, $1, $2?.bitPattern)) },
                malformed: { record, _ in items.append(.malformed(offset: record.offset, line: String(decoding: record.bytes, as: UTF8.self))) })
        }
        return items
    }

    /// Splits of `size` bytes (the last one shorter) over the file.
    static func splits(_ path: String, fileSize: Int, size: Int) -> [InputSplit] {
        stride(from: 0, to: fileSize, by: size).map { InputSplit(chunks: [FileChunk(path: path, start: $0, end: min(fileSize, $0 + size))]) }
    }

    @Test(arguments: [true, false], [1, 7, 64, 1000, 1 << 20])
    func equalsTheParserOnEveryLineAcrossSplits(finalNewline: Bool, splitSize: Int) throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("edges.txt")
        let (bytes, expected) = try Self.makeFile(path, lines: 3000, seed: UInt64(splitSize), finalNewline: finalNewline)
        let items = try Self.read(Self.splits(path, fileSize: bytes.count, size: splitSize))
        #expect(items.count == expected.count)
        if let k = items.indices.first(where: { $0 < expected.count && items[$0] != expected[$0] }) {
            Issue.record("item \(k): read \(items[k]), expected \(expected[k])")
        }
    }

    /// Every prefix of digits, followed by every kind of byte, read eight bytes at a time.
    @Test func eightDigitsReadsTheLeadingDigitsOfAWord() {
        let digits = Array("31415926".utf8)
        for length in 0...8 {
            for next in UInt8(0)...UInt8(255) {
                var bytes = Array(digits[0..<length]) + [next] + Array(repeating: UInt8(ascii: "7"), count: 8)
                bytes = Array(bytes[0..<8])
                let word = bytes.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
                let text = bytes.prefix { $0 >= 0x30 && $0 <= 0x39 }
                let result = EdgeListReader.eightDigits(word)
                #expect(result.length == text.count, "\(bytes)")
                #expect(result.value == (text.isEmpty ? 0 : UInt64(String(decoding: text, as: UTF8.self))!), "\(bytes)")
            }
        }
    }

    @Test func everyShapeAloneEqualsTheParser() throws {
        let dir = try TemporaryDirectory()
        for (k, line) in Self.lineShapes.enumerated() {
            for newline in [true, false] {
                let path = dir.file("shape\(k)-\(newline)")
                let bytes = Array(line.utf8) + (newline ? [0x0A] : [])
                try Data(bytes).write(to: URL(fileURLWithPath: path))
                let items = try Self.read([InputSplit(chunks: [FileChunk(path: path, start: 0, end: bytes.count)])])
                let expected: [Item] =
                    switch Array(line.utf8).withUnsafeBytes({ EdgeListParser.parse($0) }) {
                    case .edge(let s, let t, let w)?: [.edge(s, t, w?.bitPattern)]
                    case .skip?: []
                    case nil: [.malformed(offset: 0, line: line)]
                    }
                #expect(items == expected, "line '\(line)'")
            }
        }
    }

    @Test func aLineLongerThanMaxRecordIsAnErrorOrSkipped() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("edges.txt")
        let text = "1 2\n123456 654321\n3 4\n"
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        let split = [InputSplit(chunks: [FileChunk(path: path, start: 0, end: text.utf8.count)])]
        #expect(try Self.read(split, maxRecord: 13) == [.edge(1, 2, nil), .edge(123_456, 654_321, nil), .edge(3, 4, nil)])
        let error = #expect(throws: InputError.self) { try Self.read(split, maxRecord: 12) }
        #expect(error?.message.contains("\(path) byte 4 is 13 bytes, longer than --max-record") == true)
        #expect(try Self.read(split, maxRecord: 12, skipBadRecords: true) == [.edge(1, 2, nil), .edge(3, 4, nil)])
    }
}
