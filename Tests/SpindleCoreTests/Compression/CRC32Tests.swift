import Testing

@testable import SpindleCore

/// gzip's CRC-32 against a bit-at-a-time reference: the folding path (64 bytes and more, where the CPU has
/// carry-less multiplies) and the table path (shorter pieces, the tail) give the same value for every
/// length, alignment and split.
@Suite struct CRC32Tests {
    /// The reflected polynomial 0xEDB88320, one bit at a time.
    static func reference(_ bytes: some Sequence<UInt8>) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 != 0 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }

    static let data: [UInt8] = (0..<5000).map { UInt8(truncatingIfNeeded: ($0 &* 2_654_435_761) >> 13) }

    @Test func checkValueOf123456789() {
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(CRC32.checksum([]) == 0)
    }

    @Test func everyLengthAndAlignmentMatchesTheReference() {
        for start in 0..<17 {
            for length in Array(0..<300) + [1000, 1023, 4096, 4983 - start] {
                let slice = Self.data[start..<(start + length)]
                var crc = CRC32()
                slice.withUnsafeBytes { crc.update($0) }
                #expect(crc.value == Self.reference(slice), "start \(start), length \(length)")
            }
        }
    }

    @Test func piecesGiveTheValueOfTheWhole() {
        let whole = Self.reference(Self.data)
        for piece in [1, 7, 63, 64, 65, 100, 128, 1000] {
            var crc = CRC32()
            var start = 0
            while start < Self.data.count {
                let end = min(Self.data.count, start + piece)
                Self.data[start..<end].withUnsafeBytes { crc.update($0) }
                start = end
            }
            #expect(crc.value == whole, "pieces of \(piece)")
        }
    }
}
