@testable import Spindle
import SpindleCore
import SpindlePosix
import Testing

extension ExchangeTests {
    /// Packing records into blocks: sizes, oversized records, counters and sinks.
    @Suite struct RecordBlockWriterTests {
        @Test func blocksStayNearTargetAndBigRecordsGetTheirOwnBlock() throws {
            var rng = SplitMix64(seed: 7)
            var records = (0..<3000).map { _ in TestRecord(partition: 0, key: randomBytes(10, &rng), value: randomBytes(Int(rng.next() % 1000), &rng)) }
            records.insert(TestRecord(partition: 0, key: [1, 2, 3], value: randomBytes(200_000, &rng)), at: 1500)
            let bytes = try encodeBlocks(records)
            let layout = blockLayout(bytes)
            #expect(layout.reduce(0) { $0 + 8 + $1.length } == bytes.count)
            let big = layout.filter { $0.length > RecordBlock.targetPayloadSize }
            #expect(big.count == 1)
            #expect(big.first?.length == RecordBlock.encodedSize(keyCount: 3, valueCount: 200_000))
            let bigIndex = layout.firstIndex { $0.length > RecordBlock.targetPayloadSize }!
            for (i, block) in layout.enumerated() where i != bigIndex && i != bigIndex - 1 && i != layout.count - 1 {
                // A block is closed only when the next record would not fit (records here are under 1.1 KB).
                #expect(block.length <= RecordBlock.targetPayloadSize)
                #expect(block.length > RecordBlock.targetPayloadSize - 1100)
            }
            #expect(layout.allSatisfy { $0.length > 0 })
        }

        @Test func countersTrackRecordsBlocksAndBytes() throws {
            let writer = RecordBlockWriter()
            #expect(writer.recordCount == 0 && writer.bytesWritten == 0)
            try writer.flush()
            #expect(writer.blockCount == 0 && writer.memoryBytes.isEmpty)
            let key: [UInt8] = [1, 2], value = [UInt8](repeating: 5, count: 300)
            try key.withUnsafeBytes { k in try value.withUnsafeBytes { v in try writer.append(key: k, value: v) } }
            #expect(writer.recordCount == 1)
            #expect(writer.pendingBytes == 1 + 2 + 2 + 300)
            #expect(writer.bytesWritten == 0)
            try writer.flush()
            #expect(writer.blockCount == 1)
            #expect(writer.bytesWritten == 8 + 305)
            #expect(writer.takeMemoryBytes().count == 313)
            #expect(writer.memoryBytes.isEmpty)
        }

        @Test func fileSinkWritesTheSameBytesAsMemorySink() throws {
            let dir = try TemporaryDirectory()
            var rng = SplitMix64(seed: 9)
            let records = (0..<10_000).map { _ in TestRecord(partition: 0, key: randomBytes(Int(rng.next() % 12), &rng), value: randomBytes(Int(rng.next() % 40), &rng)) }
            let file = try FileWriter(path: dir.file("blocks"), mode: .createTruncate)
            let writer = RecordBlockWriter(file: file)
            for r in records {
                try r.key.withUnsafeBytes { k in try r.value.withUnsafeBytes { v in try writer.append(key: k, value: v) } }
            }
            try writer.flush()
            try file.close()
            let onDisk = try FileSystem.readFile(dir.file("blocks"))
            #expect(onDisk == (try encodeBlocks(records)))
            #expect(writer.bytesWritten == onDisk.count)
        }

        @Test func varintsRoundTripAtSizeBoundaries() {
            var scratch = [UInt8](repeating: 0, count: 16)
            for value in [0, 1, 127, 128, 16383, 16384, 1 << 21, (1 << 28) - 1, 1 << 28, Int(UInt32.max)] {
                scratch.withUnsafeMutableBytes { raw in
                    let written = RecordBlock.storeVarint(value, at: raw.baseAddress!)
                    #expect(written == RecordBlock.varintSize(value))
                    var position = 0
                    #expect(RecordBlock.loadVarint(raw.baseAddress!, &position, written) == value)
                    #expect(position == written)
                    var short = 0
                    #expect(RecordBlock.loadVarint(raw.baseAddress!, &short, written - 1) == nil)
                }
            }
        }
    }
}
