import Foundation
import SpindleCore
import SpindlePosix
import Testing

@testable import Spindle

/// Streaming a chunk's lines through a small buffer gives exactly the lines ``LineScanner`` finds in the
/// whole file, whatever the chunking, the buffer size and the line lengths.
@Suite struct LineBlockReaderTests {
    enum Line: Equatable {
        case line(offset: Int, text: String)
        case tooLong(offset: Int, length: Int)
    }

    /// A file of `lines` lines of random lengths (some long), the last with or without a newline.
    static func makeFile(_ path: String, lines: Int, seed: UInt64, finalNewline: Bool) throws -> [UInt8] {
        var rng = SplitMix64(seed: seed)
        var bytes: [UInt8] = []
        for k in 0..<lines {
            let length = rng.next() % 10 == 0 ? Int(rng.next() % 300) : Int(rng.next() % 20)
            bytes += (0..<length).map { _ in UInt8(ascii: "a") + UInt8(rng.next() % 26) }
            if k < lines - 1 || finalNewline { bytes.append(0x0A) }
        }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return bytes
    }

    /// The reference: every owned line of `start..<end`, from the whole file in memory.
    static func expected(_ bytes: [UInt8], start: Int, end: Int, maxRecord: Int) -> [Line] {
        var result: [Line] = []
        bytes.withUnsafeBytes { all in
            LineScanner(bytes: all).forEachLine(start: start, end: end) { s, e in
                result.append(
                    e - s > maxRecord ? .tooLong(offset: s, length: e - s) : .line(offset: s, text: String(decoding: all[s..<e], as: UTF8.self)))
                return true
            }
        }
        return result
    }

    static func read(_ chunk: FileChunk, maxRecord: Int, blockSize: Int) throws -> [Line] {
        var result: [Line] = []
        let file = try InputFileReader(chunk)
        try LineBlockReader(file: file, chunk: chunk, maxRecord: maxRecord, blockSize: blockSize).forEachBlock(
            tooLong: { result.append(.tooLong(offset: $0, length: $1)) }
        ) { block, offset, limit in
            #expect(block.count == 0 || block.last == 0x0A || offset + block.count == file.size, "blocks hold whole lines")
            LineScanner(bytes: block).forEachLine(start: 0, end: limit) { s, e in
                result.append(
                    e - s > maxRecord
                        ? .tooLong(offset: offset + s, length: e - s) : .line(offset: offset + s, text: String(decoding: block[s..<e], as: UTF8.self))
                )
                return true
            }
        }
        return result
    }

    @Test(arguments: [true, false], [16, 100, 4096])
    func equalsTheScannerForEveryChunkingAndBufferSize(finalNewline: Bool, blockSize: Int) throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("in.txt")
        let bytes = try Self.makeFile(path, lines: 400, seed: UInt64(blockSize) + (finalNewline ? 1 : 0), finalNewline: finalNewline)
        let identity = try FileIdentity.of(path: path)
        for splitSize in [1, 13, 500, bytes.count] {
            for maxRecord in [50, 1 << 20] {
                var all: [Line] = []
                for start in stride(from: 0, to: bytes.count, by: splitSize) {
                    let end = min(bytes.count, start + splitSize)
                    let chunk = FileChunk(path: path, start: start, end: end, identity: identity)
                    let lines = try Self.read(chunk, maxRecord: maxRecord, blockSize: blockSize)
                    #expect(lines == Self.expected(bytes, start: start, end: end, maxRecord: maxRecord), "chunk \(start)..<\(end)")
                    all += lines
                }
                #expect(all == Self.expected(bytes, start: 0, end: bytes.count, maxRecord: maxRecord), "split \(splitSize), max \(maxRecord)")
            }
        }
    }

    @Test func aLineLongerThanMaxRecordIsReportedWithoutBeingHeld() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("in.txt")
        let text = "short\n" + String(repeating: "x", count: 10_000) + "\nend"
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        let chunk = FileChunk(path: path, start: 0, end: text.utf8.count, identity: try FileIdentity.of(path: path))
        #expect(
            try Self.read(chunk, maxRecord: 100, blockSize: 64)
                == [.line(offset: 0, text: "short"), .tooLong(offset: 6, length: 10_000), .line(offset: 10_007, text: "end")])
        // A buffer that may grow to maxRecord holds the long line whole.
        let whole = try Self.read(chunk, maxRecord: 20_000, blockSize: 64)
        #expect(whole.count == 3 && whole[1] == .line(offset: 6, text: String(repeating: "x", count: 10_000)))
    }
}

/// A task's input file is checked against the identity it was planned with; any change is an
/// ``InputError`` naming the file and what changed, and a file is never read past its planned size.
@Suite struct InputFileReaderTests {
    private func plan(_ text: String, in dir: TemporaryDirectory) throws -> (path: String, identity: FileIdentity) {
        let path = dir.file("in.txt")
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return (path, try FileIdentity.of(path: path))
    }

    private func message(_ body: () throws -> Void) -> String? {
        do {
            try body()
            return nil
        } catch let error as InputError {
            return error.message
        } catch {
            return "unexpected \(error)"
        }
    }

    @Test func aTruncatedFileIsRefusedAtOpening() throws {
        let dir = try TemporaryDirectory()
        let (path, identity) = try plan("one\ntwo\nthree\n", in: dir)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.truncate(atOffset: 4)
        try handle.close()
        let text = message { _ = try InputFileReader(path: path, planned: identity) }
        #expect(text?.hasPrefix("'\(path)' changed while the job ran: its size went from 14 to 4 bytes") == true, "\(text ?? "no error")")
        #expect(text?.hasSuffix("; rerun the job on a stable copy") == true)
    }

    @Test func aFileReplacedByRenameIsRefused() throws {
        let dir = try TemporaryDirectory()
        let (path, identity) = try plan("one\ntwo\nthree\n", in: dir)
        try Data("ONE\nTWO\nTHREE\n".utf8).write(to: URL(fileURLWithPath: dir.file("new.txt")))
        try FileSystem.rename(dir.file("new.txt"), to: path)
        let text = message { _ = try InputFileReader(path: path, planned: identity) }
        #expect(text?.contains("changed while the job ran: it was replaced by another file") == true, "\(text ?? "no error")")
    }

    @Test func aRemovedFileIsRefused() throws {
        let dir = try TemporaryDirectory()
        let (path, identity) = try plan("one\n", in: dir)
        try FileSystem.unlink(path)
        #expect(
            message { _ = try InputFileReader(path: path, planned: identity) }
                == "'\(path)' changed while the job ran: it was removed; rerun the job on a stable copy")
    }

    @Test func aFileRewrittenInPlaceIsRefused() throws {
        let dir = try TemporaryDirectory()
        let (path, identity) = try plan("one\ntwo\n", in: dir)
        var later = identity
        later.modifiedSeconds -= 10  // as if planned ten seconds before the file was last written
        let text = message { _ = try InputFileReader(path: path, planned: later) }
        #expect(text?.contains("its modification time went from") == true, "\(text ?? "no error")")
    }

    /// The file shrinks while a task reads it: the reader notices on its next read, and (it never maps the
    /// file) no SIGBUS can reach the process.
    @Test func aFileTruncatedWhileItIsReadFailsTheRead() throws {
        let dir = try TemporaryDirectory()
        let line = String(repeating: "w ", count: 40) + "\n"
        let (path, identity) = try plan(String(repeating: line, count: 20_000), in: dir)
        let chunk = FileChunk(path: path, start: 0, end: identity.size, identity: identity)
        let file = try InputFileReader(chunk)
        var blocks = 0
        let text = message {
            try LineBlockReader(file: file, chunk: chunk, maxRecord: 1 << 20, blockSize: 64 << 10).forEachBlock(tooLong: { _, _ in }) { _, _, _ in
                blocks += 1
                if blocks == 1 {
                    let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
                    try handle.truncate(atOffset: 1000)
                    try handle.close()
                }
            }
        }
        #expect(blocks == 1)
        #expect(
            text?.hasPrefix("'\(path)' changed while the job ran: its size went from \(identity.size) to 1000 bytes") == true, "\(text ?? "no error")"
        )
    }

    @Test func aFileThatGrewIsRefusedAndNeverReadPastItsPlannedSize() throws {
        let dir = try TemporaryDirectory()
        let (path, identity) = try plan("one\ntwo\n", in: dir)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("three\n".utf8))
        try handle.close()
        #expect(message { _ = try InputFileReader(path: path, planned: identity) }?.contains("its size went from 8 to 14 bytes") == true)
        // Unplanned (no identity): reads what is there, and only up to the size at opening.
        let reader = try InputFileReader(path: path, planned: nil)
        #expect(try reader.read(0..<100) == Array("one\ntwo\nthree\n".utf8))
    }
}
