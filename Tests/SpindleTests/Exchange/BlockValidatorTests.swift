@testable import Spindle
import SpindleCore
import Testing

extension ExchangeTests {
    /// Validating segments and cutting them into network-sized chunks of whole blocks.
    @Suite struct BlockValidatorTests {
        static func segment(seed: UInt64) throws -> [UInt8] {
            var rng = SplitMix64(seed: seed)
            var records = (0..<20_000).map { _ in
                TestRecord(partition: 0, key: randomBytes(Int(rng.next() % 16), &rng), value: randomBytes(Int(rng.next() % 64), &rng))
            }
            records.insert(TestRecord(partition: 0, key: [1], value: randomBytes(150_000, &rng)), at: 10_000)
            return try encodeBlocks(records)
        }

        @Test func validateCountsBlocksOfAGoodSegment() throws {
            let bytes = try Self.segment(seed: 1)
            let count = try bytes.withUnsafeBytes { try BlockValidator.validate($0, source: "seg") }
            #expect(count == blockLayout(bytes).count)
            #expect(count > 3)
            #expect(try BlockValidator.validate(UnsafeRawBufferPointer(start: nil, count: 0), source: "seg") == 0)
        }

        /// Blocks built in memory with their checksums pending are read here unchecked, and validate as the
        /// exchange server sends them: each payload behind a header of its own with the checksum.
        @Test func pendingChecksumsAreFilledInForSending() throws {
            let builder = DirectBlockFileBuilder(name: "dense", partitionCount: 3, expectedBytes: 16)
            for (q, size) in [(0, 40), (0, 70_000), (2, 5)] {
                builder.append(partition: q, key: UnsafeRawBufferPointer(start: nil, count: 0), valueCount: size) { out in
                    for k in 0..<size { out[k] = UInt8(truncatingIfNeeded: k &* 31 &+ q) }
                }
            }
            let (file, sizes) = try builder.finish()
            #expect(file.checksumsPending && file.isInMemory)
            #expect(sizes[1] == 0)
            var cursor = RecordCursor(blocks: file.segment(0), source: "dense", owner: file, checksumsVerified: true)
            #expect(try cursor.next() && cursor.value.count == 40)
            let segment = file.segment(0)
            #expect(throws: CorruptDataError.self) { _ = try BlockValidator.validate(segment, source: "dense") }
            let blocks = RecordBlock.blockRanges(segment)
            #expect(blocks.map(\.count) == [40 + 2, 70_000 + 4])  // each payload: empty key, value length, value
            var sent: [UInt8] = []
            for block in blocks {
                var header = [UInt8](repeating: 0, count: RecordBlock.headerSize)
                RecordBlock.storeHeader(payload: UnsafeRawBufferPointer(rebasing: segment[block]), into: &header, at: 0)
                sent += header + Array(segment[block])
            }
            #expect(sent.count == segment.count)
            #expect(try sent.withUnsafeBytes { try BlockValidator.validate($0, source: "dense") } == 2)
        }

        @Test func validateReportsDamageWithOffset() throws {
            var bytes = try Self.segment(seed: 2)
            let third = blockLayout(bytes)[2]
            bytes[third.offset + 8 + third.length / 2] ^= 1
            let error = #expect(throws: CorruptDataError.self) {
                try bytes.withUnsafeBytes { _ = try BlockValidator.validate($0, source: "seg", baseOffset: 100) }
            }
            #expect(error?.offset == 100 + third.offset)
            #expect(error?.detail == "block checksum mismatch")
            let truncated = Array(try Self.segment(seed: 2).dropLast(3))
            #expect(throws: CorruptDataError.self) { try truncated.withUnsafeBytes { _ = try BlockValidator.validate($0, source: "seg") } }
        }

        @Test(arguments: [1, 100, 8 + 64 * 1024, 100_000, 300_000, 1 << 30])
        func boundariesReassembleExactlyFromWholeBlocks(maxChunk: Int) throws {
            let bytes = try Self.segment(seed: 3)
            let chunks = bytes.withUnsafeBytes { BlockValidator.boundaries(of: $0, maxChunk: maxChunk) }
            #expect(chunks.first?.lowerBound == 0)
            #expect(chunks.last?.upperBound == bytes.count)
            for (a, b) in zip(chunks, chunks.dropFirst()) { #expect(a.upperBound == b.lowerBound) }
            var reassembled: [UInt8] = []
            for chunk in chunks {
                #expect(!chunk.isEmpty)
                let blocks = try bytes[chunk].withUnsafeBytes { try BlockValidator.validate($0, source: "chunk") }
                #expect(chunk.count <= maxChunk || blocks == 1, "chunk \(chunk) of \(blocks) blocks exceeds \(maxChunk)")
                reassembled += bytes[chunk]
            }
            #expect(reassembled == bytes)
            if maxChunk == 1 { #expect(chunks.count == blockLayout(bytes).count) }
            if maxChunk == 1 << 30 { #expect(chunks == [0..<bytes.count]) }
        }

        @Test func boundariesOfAnEmptySegmentAreEmpty() {
            #expect(BlockValidator.boundaries(of: UnsafeRawBufferPointer(start: nil, count: 0), maxChunk: 10).isEmpty)
        }
    }
}
