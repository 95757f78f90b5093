import Foundation

@testable import SpindleCore

/// Test inputs made at run time: sample text made by the test, compressed by the system's `gzip` and by
/// Python's `zlib`, and helpers that decode with ``GzipDecoder`` as a file reader would.
enum GzipFixtures {
    /// About `size` bytes mixing words, numbers, long repeats, short-period runs and random bytes, so that
    /// every kind of block and match distance occurs.
    static func sample(size: Int, seed: UInt64) -> [UInt8] {
        var state = seed &+ 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        let words = ["the", "spindle", "map", "reduce", "vertex", "edge", "rank", "of", "a", "gzip", "member", "window"]
        var bytes: [UInt8] = []
        bytes.reserveCapacity(size + 300)
        while bytes.count < size {
            switch next() % 10 {
            case 0: bytes += (0..<Int(next() % 200)).map { _ in UInt8(truncatingIfNeeded: next()) }
            case 1:
                let byte = UInt8(truncatingIfNeeded: next())
                bytes += [UInt8](repeating: byte, count: Int(next() % 300))
            case 2 where bytes.count > 40_000:
                let distance = 1 + Int(next() % 32768)
                let start = bytes.count - distance
                for k in 0..<Int(3 + next() % 255) { bytes.append(bytes[start + k]) }
            default:
                for _ in 0..<Int(1 + next() % 12) {
                    bytes += Array(words[Int(next() % UInt64(words.count))].utf8)
                    bytes.append(next() % 7 == 0 ? 0x0A : 0x20)
                }
                bytes += Array(String(next() % 100_000).utf8) + [0x0A]
            }
        }
        return Array(bytes.prefix(size))
    }

    /// A fresh temporary directory.
    static func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "spindle-gzip-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Runs `executable arguments` and returns its standard output.
    /// - Throws: when it exits with a failure.
    static func run(_ executable: String, _ arguments: [String], input: [UInt8]? = nil) throws -> [UInt8] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        let inputPipe = Pipe()
        if input != nil { process.standardInput = inputPipe }
        try process.run()
        if let input {
            inputPipe.fileHandleForWriting.write(Data(input))
            try inputPipe.fileHandleForWriting.close()
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw FixtureError(message: "\(executable) \(arguments.joined(separator: " ")) exited with \(process.terminationStatus)")
        }
        return [UInt8](data)
    }

    struct FixtureError: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }

    /// `bytes` compressed by the system's `gzip` with `flags` (such as `-9`, `--rsyncable`).
    static func gzip(_ bytes: [UInt8], _ flags: [String]) throws -> [UInt8] {
        try run("/usr/bin/env", ["gzip", "-c"] + flags, input: bytes)
    }

    /// `bytes` as a raw DEFLATE stream made by Python's zlib with `level` and `strategy` (a `zlib.Z_...` name).
    static func pythonDeflate(_ bytes: [UInt8], level: Int, strategy: String) throws -> [UInt8] {
        let script = """
            import sys, zlib
            data = sys.stdin.buffer.read()
            c = zlib.compressobj(\(level), zlib.DEFLATED, -15, 9, zlib.\(strategy))
            sys.stdout.buffer.write(c.compress(data) + c.flush())
            """
        return try run("/usr/bin/env", ["python3", "-c", script], input: bytes)
    }

    /// A gzip member around `deflate` (the raw stream of `original`) with the header fields given.
    static func member(
        _ deflate: [UInt8], of original: [UInt8], extra: [UInt8]? = nil, name: String? = nil, comment: String? = nil,
        headerCRC: Bool = false
    ) -> [UInt8] {
        var flags: UInt8 = 0
        if headerCRC { flags |= 2 }
        if extra != nil { flags |= 4 }
        if name != nil { flags |= 8 }
        if comment != nil { flags |= 16 }
        var header: [UInt8] = [0x1F, 0x8B, 8, flags, 0, 0, 0, 0, 0, 3]
        if let extra { header += [UInt8(extra.count & 0xFF), UInt8(extra.count >> 8)] + extra }
        if let name { header += Array(name.utf8) + [0] }
        if let comment { header += Array(comment.utf8) + [0] }
        if headerCRC {
            let crc = CRC32.checksum(header)
            header += [UInt8(crc & 0xFF), UInt8((crc >> 8) & 0xFF)]
        }
        return header + deflate + littleEndian(CRC32.checksum(original)) + littleEndian(UInt32(truncatingIfNeeded: original.count))
    }

    static func littleEndian(_ value: UInt32) -> [UInt8] {
        (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
    }

    /// Decodes `file` with a ``GzipDecoder``, offering it `piece` bytes at a time as a reader with a bounded
    /// buffer would (keeping the unconsumed rest), and checks every output chunk against the decoder's bound.
    static func decode(_ file: [UInt8], piece: Int = 1 << 20, chunkSize: Int = 64 << 10) throws(InflateError) -> [UInt8] {
        let decoder = GzipDecoder(chunkSize: chunkSize)
        var output: [UInt8] = []
        var start = 0
        var available = min(file.count, piece)
        while true {
            let step: GzipDecoder.Step
            do {
                step = try file.withUnsafeBytes { all in
                    try decoder.decode(UnsafeRawBufferPointer(rebasing: all[start..<available]), endOfInput: available == file.count)
                }
            } catch let error as InflateError {
                throw error
            } catch {
                preconditionFailure("\(error)")
            }
            precondition(step.output.count <= decoder.chunkSize, "a chunk larger than the bound")
            output += step.output
            start += step.consumed
            if step.finished { return output }
            if step.consumed == 0 && step.output.isEmpty {
                precondition(available < file.count, "no progress with all input given")
                available = min(file.count, available + piece)
            }
        }
    }
}
