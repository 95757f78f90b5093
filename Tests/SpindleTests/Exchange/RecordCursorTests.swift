@testable import Spindle
@testable import SpindleTools
import SpindleCore
import Testing

extension ExchangeTests {
    /// Iterating records of block segments, and how damage is reported.
    @Suite struct RecordCursorTests {
        /// Builds a block around `payload` with a correct header.
        static func block(_ payload: [UInt8]) -> [UInt8] {
            var bytes: [UInt8] = []
            withUnsafeBytes(of: UInt32(payload.count).littleEndian) { bytes += $0 }
            withUnsafeBytes(of: CRC32C.checksum(payload).littleEndian) { bytes += $0 }
            return bytes + payload
        }

        @Test func emptySegmentHasNoRecords() throws {
            var cursor = RecordCursor(blocks: UnsafeRawBufferPointer(start: nil, count: 0), source: "nothing")
            #expect(try !cursor.next())
            #expect(try !cursor.next())
        }

        @Test func recordsComeBackInOrderAcrossBlocks() throws {
            var rng = SplitMix64(seed: 42)
            let records = (0..<5000).map { i in TestRecord(partition: 0, key: Array("k\(i)".utf8), value: randomBytes(Int(rng.next() % 100), &rng)) }
            let buffer = BlockBuffer(try encodeBlocks(records))
            #expect(blockLayout(Array(buffer.bytes)).count > 1)
            var cursor = buffer.cursor(source: "memory")
            var seen: [TestRecord] = []
            while try cursor.next() { seen.append(TestRecord(partition: 0, key: Array(cursor.key), value: Array(cursor.value))) }
            #expect(seen == records)
            #expect(cursor.recordIndex == records.count)
        }

        @Test func checksumMismatchNamesSourceAndFileOffset() throws {
            var bytes = try encodeBlocks([TestRecord(partition: 0, key: [1], value: [2, 3])])
            bytes[bytes.count - 1] ^= 0x80
            let buffer = BlockBuffer(bytes)
            var cursor = buffer.cursor(source: "map-3.out", baseOffset: 65536)
            let error = #expect(throws: CorruptDataError.self) { _ = try cursor.next() }
            #expect(error?.description == "corrupt shuffle data in map-3.out at byte 65536: block checksum mismatch")
        }

        @Test func badFramingWithAValidChecksumIsReported() throws {
            // Key length 5 but only 2 bytes follow in the block.
            let keyTooLong = BlockBuffer(Self.block([5, 1, 2]))
            var cursor = keyTooLong.cursor(source: "s")
            #expect(throws: CorruptDataError(source: "s", offset: 8, detail: "bad key length in record framing")) { _ = try cursor.next() }
            // A good record followed by a value length running past the block end.
            let valueTooLong = BlockBuffer(Self.block([1, 7, 0, 1, 9, 3, 1]))
            var second = valueTooLong.cursor(source: "s")
            #expect(try second.next())
            #expect(Array(second.key) == [7] && second.value.isEmpty)
            #expect(throws: CorruptDataError(source: "s", offset: 11, detail: "bad value length in record framing")) { _ = try second.next() }
            // A varint that never ends.
            let endless = BlockBuffer(Self.block([0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01]))
            var third = endless.cursor(source: "s")
            #expect(throws: CorruptDataError.self) { _ = try third.next() }
        }

        @Test func emptyPayloadAndShortHeaderAreReported() throws {
            let empty = BlockBuffer([0, 0, 0, 0, 0, 0, 0, 0])
            var cursor = empty.cursor(source: "s")
            let error = #expect(throws: CorruptDataError.self) { _ = try cursor.next() }
            #expect(error?.detail == "block with empty payload")
            let good = Self.block([1, 7, 1, 8])
            let trailing = BlockBuffer(good + [1, 2, 3])
            var second = trailing.cursor(source: "s")
            #expect(try second.next())
            let tail = #expect(throws: CorruptDataError.self) { _ = try second.next() }
            #expect(tail?.offset == good.count)
            #expect(tail?.detail.contains("truncated block header") == true)
        }
    }
}
