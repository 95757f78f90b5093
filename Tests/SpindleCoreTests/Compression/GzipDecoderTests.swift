import Foundation
import Testing

@testable import SpindleCore

/// The gzip decoder against real encoders: the system's `gzip` at its levels and `--rsyncable`, Python's zlib
/// with every strategy and level 0...9, multi-member files, empty members and every header field; and fed in
/// pieces of every size, since a file reader offers the input a buffer at a time.
@Suite struct GzipDecoderTests {
    static let text = GzipFixtures.sample(size: 300_000, seed: 7)

    @Test(arguments: [["-1"], ["-6"], ["-9"], ["--rsyncable"], ["-9", "--rsyncable"]])
    func decodesTheSystemGzip(_ flags: [String]) throws {
        let file = try GzipFixtures.gzip(Self.text, flags)
        #expect(try GzipFixtures.decode(file) == Self.text)
    }

    @Test(arguments: ["Z_DEFAULT_STRATEGY", "Z_FILTERED", "Z_HUFFMAN_ONLY", "Z_RLE", "Z_FIXED"])
    func decodesPythonZlibAtEveryLevel(_ strategy: String) throws {
        for level in 0...9 {
            let deflate = try GzipFixtures.pythonDeflate(Self.text, level: level, strategy: strategy)
            let file = GzipFixtures.member(deflate, of: Self.text)
            #expect(try GzipFixtures.decode(file) == Self.text, "level \(level)")
        }
    }

    @Test func decodesAnEmptyInput() throws {
        let file = try GzipFixtures.gzip([], ["-9"])
        #expect(try GzipFixtures.decode(file) == [])
        let stored = GzipFixtures.member(try GzipFixtures.pythonDeflate([], level: 0, strategy: "Z_DEFAULT_STRATEGY"), of: [])
        #expect(try GzipFixtures.decode(stored) == [])
    }

    @Test func decodesMembersOneAfterAnother() throws {
        let first = Array(Self.text[0..<100_000])
        let second = Array(Self.text[100_000...])
        let file = try GzipFixtures.gzip(first, ["-1"]) + GzipFixtures.gzip([], ["-1"]) + GzipFixtures.gzip(second, ["-9"])
        #expect(try GzipFixtures.decode(file) == Self.text)
    }

    @Test func skipsEveryHeaderField() throws {
        let deflate = try GzipFixtures.pythonDeflate(Self.text, level: 6, strategy: "Z_DEFAULT_STRATEGY")
        let file = GzipFixtures.member(
            deflate, of: Self.text, extra: [UInt8](repeating: 0x41, count: 70_000 & 0xFFFF), name: "input.txt",
            comment: "made by a test", headerCRC: true)
        #expect(try GzipFixtures.decode(file) == Self.text)
    }

    @Test(arguments: [1, 2, 3, 7, 64, 1000, 65_537])
    func decodesInputOfferedInSmallPieces(_ piece: Int) throws {
        let sample = Array(Self.text[0..<(piece < 100 ? 40_000 : 300_000)])
        let file =
            try GzipFixtures.gzip(sample, ["-9"])
            + GzipFixtures.member(try GzipFixtures.pythonDeflate(sample, level: 0, strategy: "Z_DEFAULT_STRATEGY"), of: sample)
            + GzipFixtures.member(try GzipFixtures.pythonDeflate(sample, level: 6, strategy: "Z_FIXED"), of: sample)
        #expect(try GzipFixtures.decode(file, piece: piece) == sample + sample + sample)
    }

    /// Repeats of every short period and matches of every length (3...258) at distances below 8, between 8
    /// and 16 and beyond, so that each way of copying a match (byte by byte, a fill, 8- and 16-byte words)
    /// runs, also where a match ends a chunk.
    @Test func decodesMatchesOfEveryDistanceAndLength() throws {
        var data: [UInt8] = []
        for period in 1...40 {
            let pattern = Array(Self.text[(period * 1000)..<(period * 1000 + period)])
            for length in [3, 4, 7, 8, 9, 15, 16, 17, 31, 100, 257, 258, 259, 1000] {
                for k in 0..<(period + length) { data.append(pattern[k % period]) }
                data.append(contentsOf: Self.text[(period * 100)..<(period * 100 + 13)])
            }
        }
        for flags in [["-1"], ["-9"]] {
            let file = try GzipFixtures.gzip(data, flags)
            #expect(try GzipFixtures.decode(file) == data)
            #expect(try GzipFixtures.decode(file, piece: 1000, chunkSize: 64 << 10) == data)
        }
    }
}
