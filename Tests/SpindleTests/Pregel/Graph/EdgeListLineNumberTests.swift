import Testing

@testable import Spindle
@testable import SpindleTools

@Suite struct EdgeListLineNumberTests {
    private func lineNumber(_ offset: Int, _ bytes: [UInt8]) -> Int {
        bytes.withUnsafeBytes { EdgeListParser.lineNumber(of: offset, in: $0) }
    }

    @Test func firstLineIsOne() {
        #expect(lineNumber(0, Array("a\nb\n".utf8)) == 1)
        #expect(lineNumber(0, []) == 1)
    }

    @Test func countsNewlinesBeforeTheOffsetOnly() {
        let bytes = Array("ab\ncd\n\nef\n".utf8)
        #expect(lineNumber(2, bytes) == 1)  // the '\n' itself ends line 1
        #expect(lineNumber(3, bytes) == 2)
        #expect(lineNumber(6, bytes) == 3)
        #expect(lineNumber(7, bytes) == 4)
        #expect(lineNumber(bytes.count, bytes) == 5)
    }

    @Test func clampsOffsetsOutsideTheFile() {
        let bytes = Array("a\nb\n".utf8)
        #expect(lineNumber(-5, bytes) == 1)
        #expect(lineNumber(100, bytes) == 3)
    }

    @Test func matchesANaiveCountOnRandomData() {
        var random = SeededRandom(seed: 42)
        for round in 0..<200 {
            let count = Int.random(in: 0...300, using: &random)
            // Mix bytes next to '\n' (0x0A) in value, and high-bit bytes, to catch carry mistakes.
            let alphabet: [UInt8] = [0x0A, 0x0A, 0x0B, 0x09, 0x8A, 0x00, 0xFF, 0x30, 0x20, 0x0A ^ 0x80]
            let bytes = (0..<count).map { _ in
                round % 2 == 0 ? alphabet.randomElement(using: &random)! : UInt8.random(in: 0...255, using: &random)
            }
            // An offset anywhere (and a sliced buffer, so words are unaligned).
            let start = count == 0 ? 0 : Int.random(in: 0..<min(count, 8), using: &random)
            let slice = Array(bytes[start...])
            for offset in [0, slice.count / 3, slice.count / 2, slice.count - 1, slice.count] where offset >= 0 {
                let naive = 1 + slice.prefix(offset).filter { $0 == 0x0A }.count
                #expect(lineNumber(offset, slice) == naive)
                let unaligned = bytes.withUnsafeBytes {
                    EdgeListParser.lineNumber(of: offset, in: UnsafeRawBufferPointer(rebasing: $0[start...]))
                }
                #expect(unaligned == naive)
            }
        }
    }
}
