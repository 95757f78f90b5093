import Testing

@testable import SpindleCore

/// Every field of a gzip file is checked before use: truncation anywhere, damaged trailers and headers, and
/// hand-made DEFLATE streams that break RFC 1951 each give the right reason at the right offset, never a trap
/// or silently wrong output.
@Suite struct GzipCorruptInputTests {
    /// Writes a DEFLATE bit stream: values first bit lowest, Huffman codes most significant bit first.
    struct BitWriter {
        var bytes: [UInt8] = []
        var bitCount = 0
        mutating func bits(_ value: Int, _ count: Int) {
            for k in 0..<count {
                if bitCount % 8 == 0 { bytes.append(0) }
                bytes[bytes.count - 1] |= UInt8((value >> k) & 1) << (bitCount % 8)
                bitCount += 1
            }
        }
        mutating func code(_ value: Int, _ count: Int) {
            for k in stride(from: count - 1, through: 0, by: -1) { bits((value >> k) & 1, 1) }
        }
    }

    /// The reason `deflate` (wrapped in a gzip member whose trailer is that of no output) is rejected with.
    func failure(_ deflate: [UInt8]) -> InflateError? {
        let file = GzipFixtures.member(deflate, of: [])
        do {
            _ = try GzipFixtures.decode(file)
            return nil
        } catch {
            return error
        }
    }

    func reason(_ deflate: [UInt8]) -> String {
        guard let error = failure(deflate) else { return "accepted" }
        if case .corrupt(let reason) = error.kind { return reason }
        return "truncated"
    }

    static let text = GzipFixtures.sample(size: 20_000, seed: 3)

    @Test func aFileCutAnywhereIsTruncatedAtItsLength() throws {
        let file = try GzipFixtures.gzip(Self.text, ["-9"]) + GzipFixtures.gzip(Self.text, ["-1"])
        let memberEnd = file.count / 2
        for cut in stride(from: 1, to: file.count, by: 7) where cut != memberEnd {
            #expect(throws: InflateError(.truncated, offset: cut)) { try GzipFixtures.decode(Array(file[0..<cut]), piece: 4096) }
        }
    }

    @Test func aDamagedTrailerIsNamed() throws {
        let file = try GzipFixtures.gzip(Self.text, ["-6"])
        var badCRC = file
        badCRC[file.count - 8] ^= 1
        #expect(throws: InflateError.self) { try GzipFixtures.decode(badCRC) }
        do { _ = try GzipFixtures.decode(badCRC) } catch {
            #expect(error.offset == file.count - 8)
            #expect("\(error)".contains("CRC-32"))
        }
        var badSize = file
        badSize[file.count - 1] ^= 1
        do {
            _ = try GzipFixtures.decode(badSize)
            Issue.record("a wrong ISIZE was accepted")
        } catch {
            #expect(error == .corrupt("the member decompresses to 20000 bytes (mod 2^32) but its trailer says 16797216", at: file.count - 4))
        }
    }

    @Test func aDamagedHeaderIsNamed() throws {
        let file = try GzipFixtures.gzip(Self.text, ["-6"])
        var method = file
        method[2] = 7
        #expect(throws: InflateError.corrupt("the compression method is 7, not 8 (deflate)", at: 2)) { try GzipFixtures.decode(method) }
        var flags = file
        flags[3] = 0x20
        #expect(throws: InflateError.corrupt("reserved header flags are set (32)", at: 3)) { try GzipFixtures.decode(flags) }
        #expect(throws: InflateError.corrupt("the byte is 50 where a gzip member has 1f (not a gzip file)", at: 0)) {
            try GzipFixtures.decode([0x50, 0x4B, 3, 4] + file)
        }
        // Trailing bytes after a member that are not another member.
        #expect(throws: InflateError.corrupt("the byte is 0 where a gzip member has 1f (not a gzip file)", at: file.count)) {
            try GzipFixtures.decode(file + [0])
        }
        var headerCRC = GzipFixtures.member(try GzipFixtures.pythonDeflate([], level: 6, strategy: "Z_DEFAULT_STRATEGY"), of: [], headerCRC: true)
        headerCRC[10] ^= 0xFF
        #expect(throws: InflateError.self) { try GzipFixtures.decode(headerCRC) }
    }

    @Test func everyByteFlipIsRejectedOrHarmless() throws {
        let file = try GzipFixtures.gzip(Array(Self.text[0..<3000]), ["-9"])
        for index in 0..<file.count where !(4..<10).contains(index) {
            var damaged = file
            damaged[index] ^= 0x5A
            if let output = try? GzipFixtures.decode(damaged) {
                #expect(output == Array(Self.text[0..<3000]), "byte \(index) changed the output silently")
            }
        }
    }

    @Test func blockHeadersBreakingRFC1951AreRejected() {
        var reserved = BitWriter()
        reserved.bits(1, 1)
        reserved.bits(3, 2)
        #expect(reason(reserved.bytes) == "block type 3 is reserved")

        var stored = BitWriter()
        stored.bits(1, 1)
        stored.bits(0, 2)
        #expect(reason(stored.bytes + [5, 0, 0xFA, 0xFE] + [1, 2, 3, 4, 5]) == "a stored block's length 5 does not match its complement 65274")

        var tooMany = BitWriter()
        tooMany.bits(1, 1)
        tooMany.bits(2, 2)
        tooMany.bits(30, 5)
        tooMany.bits(0, 5)
        tooMany.bits(0, 4)
        #expect(reason(tooMany.bytes + [0, 0, 0, 0]) == "a dynamic block declares 287 literal/length codes (at most 286)")

        var overSubscribed = BitWriter()
        overSubscribed.bits(1, 1)
        overSubscribed.bits(2, 2)
        overSubscribed.bits(0, 5)
        overSubscribed.bits(0, 5)
        overSubscribed.bits(15, 4)
        for _ in 0..<19 { overSubscribed.bits(1, 3) }
        #expect(reason(overSubscribed.bytes + [0, 0, 0, 0]) == "the code-length code has an over-subscribed set of code lengths")

        var incomplete = BitWriter()
        incomplete.bits(1, 1)
        incomplete.bits(2, 2)
        incomplete.bits(0, 5)
        incomplete.bits(0, 5)
        incomplete.bits(0, 4)
        incomplete.bits(0, 3)
        incomplete.bits(0, 3)
        incomplete.bits(0, 3)
        incomplete.bits(2, 3)  // only symbol 0, with a code of length 2
        #expect(reason(incomplete.bytes + [0, 0, 0, 0]) == "the code-length code has an incomplete set of code lengths")

        var repeatFirst = BitWriter()
        repeatFirst.bits(1, 1)
        repeatFirst.bits(2, 2)
        repeatFirst.bits(0, 5)
        repeatFirst.bits(0, 5)
        repeatFirst.bits(0, 4)
        for length in [1, 0, 0, 1] { repeatFirst.bits(length, 3) }  // symbols 16 and 0, one bit each
        repeatFirst.code(1, 1)  // symbol 16
        #expect(reason(repeatFirst.bytes + [0, 0, 0, 0]) == "a code-length repeat comes before any length")
    }

    @Test func symbolsBreakingRFC1951AreRejected() {
        func fixedBlock(_ body: (inout BitWriter) -> Void) -> [UInt8] {
            var writer = BitWriter()
            writer.bits(1, 1)
            writer.bits(1, 2)
            body(&writer)
            return writer.bytes + [0, 0, 0, 0]
        }
        // A match before any output: length 3 (symbol 257, code 0000001), distance 1 (code 00000).
        #expect(
            reason(fixedBlock { $0.code(1, 7); $0.code(0, 5) }) == "a match reaches 1 bytes back, before the start of the stream's output")
        // Literal/length symbol 286 (code 11000110) is reserved.
        #expect(reason(fixedBlock { $0.code(0b1100_0110, 8) }) == "an unassigned or reserved literal/length code")
        // Distance symbol 30 is reserved.
        #expect(
            reason(fixedBlock { $0.code(0b0011_0000 + 65, 8); $0.code(1, 7); $0.code(30, 5) }) == "an unassigned or reserved distance code")
        // A literal 'A' (code 0x30 + 65, 8 bits), then a match 2 bytes back with only one byte of output.
        #expect(
            reason(fixedBlock { $0.code(0x30 + 65, 8); $0.code(1, 7); $0.code(1, 5) })
                == "a match reaches 2 bytes back, before the start of the stream's output")
    }
}
