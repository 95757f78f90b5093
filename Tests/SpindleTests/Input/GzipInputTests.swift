import Foundation
import SpindleCore
import SpindlePosix
import Testing

@testable import Spindle

/// `.gz` input is read transparently: the lines of the decompressed text, one split per file, and a corrupt,
/// truncated or mislabelled file fails the job at the first attempt with a sentence naming it and the
/// compressed offset.
@Suite struct GzipInputTests {
    /// Writes `bytes` gzip-compressed (by the system's `gzip`, with `flags`) to `path`.
    static func writeGzip(_ bytes: [UInt8], to path: String, flags: [String] = []) throws {
        let source = path + ".plain"
        try Data(bytes).write(to: URL(fileURLWithPath: source))
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["gzip", "-c"] + flags + [source]
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try process.run()
        process.waitUntilExit()
        try FileManager.default.removeItem(atPath: source)
        #expect(process.terminationStatus == 0)
    }

    /// The lines the block reader gives for `chunk`, as ``LineBlockReaderTests/read(_:maxRecord:blockSize:)``
    /// does for plain files; `textSize` is the decompressed size.
    static func read(_ chunk: FileChunk, maxRecord: Int, blockSize: Int, textSize: Int) throws -> [LineBlockReaderTests.Line] {
        var result: [LineBlockReaderTests.Line] = []
        let file = try InputFileReader(chunk)
        try LineBlockReader(file: file, chunk: chunk, maxRecord: maxRecord, blockSize: blockSize).forEachBlock(
            tooLong: { result.append(.tooLong(offset: $0, length: $1)) }
        ) { block, offset, limit in
            #expect(block.count == 0 || block.last == 0x0A || offset + block.count == textSize, "blocks hold whole lines")
            LineScanner(bytes: block).forEachLine(start: 0, end: limit) { s, e in
                result.append(
                    e - s > maxRecord
                        ? .tooLong(offset: offset + s, length: e - s) : .line(offset: offset + s, text: String(decoding: block[s..<e], as: UTF8.self)))
                return true
            }
        }
        return result
    }

    @Test(arguments: [16, 100, 4096])
    func theLinesOfAGzipFileAreThoseOfItsText(blockSize: Int) throws {
        let dir = try TemporaryDirectory()
        let bytes = try LineBlockReaderTests.makeFile(dir.file("in.txt"), lines: 400, seed: UInt64(blockSize), finalNewline: blockSize != 100)
        // Two members, as `cat a.gz b.gz` makes them.
        try Self.writeGzip(Array(bytes[0..<1000]), to: dir.file("a.gz"))
        try Self.writeGzip(Array(bytes[1000...]), to: dir.file("b.gz"), flags: ["-9"])
        let path = dir.file("in.txt.gz")
        try Data(Data(contentsOf: URL(fileURLWithPath: dir.file("a.gz"))) + Data(contentsOf: URL(fileURLWithPath: dir.file("b.gz"))))
            .write(to: URL(fileURLWithPath: path))
        let identity = try FileIdentity.of(path: path)
        for maxRecord in [50, 1 << 20] {
            let chunk = FileChunk(path: path, start: 0, end: identity.size, identity: identity)
            #expect(
                try Self.read(chunk, maxRecord: maxRecord, blockSize: blockSize, textSize: bytes.count)
                    == LineBlockReaderTests.expected(bytes, start: 0, end: bytes.count, maxRecord: maxRecord))
            // Only the chunk at byte 0 owns lines (a gzip file is never cut; a sample's later parts read nothing).
            let later = FileChunk(path: path, start: 10, end: identity.size, identity: identity)
            #expect(try Self.read(later, maxRecord: maxRecord, blockSize: blockSize, textSize: bytes.count) == [])
        }
        let file = try InputFileReader(path: path, planned: identity)
        #expect(try GzipLineBlockReader.lineNumber(of: bytes.count, in: file) == bytes.filter { $0 == 0x0A }.count + 1)
    }

    @Test func aGzipFileIsOneSplitOfItsOwn() throws {
        let files = [InputFile(path: "/d/a.txt", size: 10), InputFile(path: "/d/b.gz", size: 25), InputFile(path: "/d/c.txt", size: 10)]
        let splits = InputSplitter.split(files, splitSize: 8)
        #expect(splits.filter { $0.chunks.contains { $0.path == "/d/b.gz" } } == [InputSplit(chunks: [FileChunk(path: "/d/b.gz", start: 0, end: 25)])])
        let plainBytes: Int = splits.flatMap(\.chunks).filter { $0.path != "/d/b.gz" }.map { $0.end - $0.start }.reduce(0, +)
        #expect(plainBytes == 20)
    }

    /// The same job over gzip parts and over the plain parts, with 2 workers, gives the same output.
    @Test(arguments: [
        ("wordcount", [String]()), ("pagerank", ["--param", "iterations=5"]), ("grep", ["--param", "pattern=7"]),
    ])
    func aJobOverGzipPartsEqualsTheJobOverThePlainParts(job: String, parameters: [String]) throws {
        let dir = try TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: dir.file("plain"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: dir.file("gz"), withIntermediateDirectories: true)
        for part in 0..<3 {
            var text = ""
            for k in 0..<4000 {
                let a = (k * 7 + part * 13) % 997
                text += job == "wordcount" || job == "grep" ? "w\(a) x\(k % 31) the\n" : "\(a) \((a * 31 + k) % 997)\n"
            }
            try Data(text.utf8).write(to: URL(fileURLWithPath: dir.file("plain/part\(part).txt")))
            try Self.writeGzip(Array(text.utf8), to: dir.file("gz/part\(part).txt.gz"), flags: part == 1 ? ["-1"] : ["-9"])
        }
        func output(_ input: String) throws -> [String] {
            let result = try SpindleProcess.run(
                ["run", job, "--input", dir.file(input), "--output", dir.file("out-\(input)"), "--workers", "2"] + parameters, in: dir.path)
            #expect(result.exitCode == 0, "stderr: \(result.stderr)")
            let names = try FileManager.default.contentsOfDirectory(atPath: dir.file("out-\(input)")).filter { $0.hasPrefix("part-") }
            // grep's keys name the file: part0.txt.gz:LINE for part0.txt:LINE.
            return try names.flatMap { name in
                try String(contentsOfFile: dir.file("out-\(input)/\(name)"), encoding: .utf8).split(separator: "\n")
                    .map { $0.replacingOccurrences(of: ".txt.gz:", with: ".txt:") }
            }.sorted()
        }
        let plain = try output("plain")
        #expect(!plain.isEmpty)
        #expect(try output("gz") == plain)
    }

    @Test func aTruncatedGzipFileFailsTheJobNamingTheFileAndOffset() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("in.txt.gz")
        try Self.writeGzip(Array(String(repeating: "some words here\n", count: 5000).utf8), to: path)
        let whole = try Data(contentsOf: URL(fileURLWithPath: path))
        try whole.prefix(whole.count - 5).write(to: URL(fileURLWithPath: path))
        let result = try SpindleProcess.run(
            ["run", "wordcount", "--input", path, "--output", dir.file("out"), "--workers", "1", "--max-attempts", "3"], in: dir.path)
        #expect(result.exitCode == 2, "stderr: \(result.stderr)")
        #expect(
            result.stderr.contains(
                "'\(path)' is truncated: its gzip data ends inside a member at compressed byte \(whole.count - 5); copy the file again"),
            "stderr: \(result.stderr)")
    }

    @Test func aGzNameOnAFileThatIsNotGzipFailsTheJob() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("plain.gz")
        try Data("PK not gzip\n".utf8).write(to: URL(fileURLWithPath: path))
        let result = try SpindleProcess.run(["run", "wordcount", "--input", path, "--output", dir.file("out"), "--workers", "1"], in: dir.path)
        #expect(result.exitCode == 2, "stderr: \(result.stderr)")
        #expect(
            result.stderr.contains("'\(path)' is not valid gzip at compressed byte 0: the byte is 50 where a gzip member has 1f (not a gzip file)"),
            "stderr: \(result.stderr)")
    }

    @Test func aMalformedEdgeInAGzipFileIsNamedByItsDecompressedLine() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("g.txt.gz")
        try Self.writeGzip(Array("# graph\n1 2\n2 3\n3 x\n3 1\n".utf8), to: path)
        let result = try SpindleProcess.run(["run", "pagerank", "--input", path, "--output", dir.file("out"), "--workers", "2"], in: dir.path)
        #expect(result.exitCode == 2, "stderr: \(result.stderr)")
        #expect(result.stderr.contains("malformed edge at \(path):4: 'x' is not an integer"), "stderr: \(result.stderr)")
    }
}
