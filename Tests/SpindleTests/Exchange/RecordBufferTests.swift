@testable import Spindle
import SpindleCore
import Testing

extension ExchangeTests {
    /// Buffering map output in memory: stable sort by (partition, key bytes), writing, reuse.
    @Suite struct RecordBufferTests {
        static func fill(_ buffer: RecordBuffer, _ records: [TestRecord]) {
            for r in records {
                r.key.withUnsafeBytes { k in r.value.withUnsafeBytes { v in buffer.append(partition: r.partition, key: k, value: v) } }
            }
        }

        static func contents(_ buffer: RecordBuffer) -> [TestRecord] {
            (0..<buffer.count).map { TestRecord(partition: buffer.partition(at: $0), key: Array(buffer.key(at: $0)), value: Array(buffer.value(at: $0))) }
        }

        /// Keys of 0...12 bytes over a tiny alphabet (including 0x00 and 0xFF) so prefixes, prefix-keys and duplicates are common.
        static func randomRecords(_ count: Int, partitions: Int, seed: UInt64, emptyValues: Bool = false) -> [TestRecord] {
            var rng = SplitMix64(seed: seed)
            return (0..<count).map { i in
                let key = randomBytes(Int(rng.next() % 13), &rng, alphabet: [0, 1, 0x7F, 0x80, 0xFF])
                let value = emptyValues && rng.next() % 2 == 0 ? [] : Array("\(i)".utf8)
                return TestRecord(partition: Int(rng.next() % UInt64(partitions)), key: key, value: value)
            }
        }

        @Test(arguments: [(1, 0 as UInt64), (5, 1), (300, 2)])
        func sortMatchesAStableReferenceSort(partitions: Int, seed: UInt64) {
            let records = Self.randomRecords(50_000, partitions: partitions, seed: seed)
            let buffer = RecordBuffer()
            Self.fill(buffer, records)
            #expect(buffer.count == records.count)
            buffer.sort()
            #expect(Self.contents(buffer) == stableSorted(records))
        }

        @Test func zeroLengthRecordsKeepInsertionOrder() {
            // Empty records share an arena offset with the record after them; order must still be insertion order.
            var records: [TestRecord] = []
            for i in 0..<200 {
                records.append(TestRecord(partition: i % 2, key: [], value: i % 3 == 0 ? [UInt8(i)] : []))
                records.append(TestRecord(partition: i % 2, key: i % 5 == 0 ? [1] : [], value: []))
            }
            records += Self.randomRecords(2000, partitions: 2, seed: 9, emptyValues: true)
            let buffer = RecordBuffer()
            Self.fill(buffer, records)
            buffer.sort()
            #expect(Self.contents(buffer) == stableSorted(records))
        }

        @Test(arguments: [100, 5000, 60_000])
        func appendingAfterASortAndSortingAgainStaysStable(count: Int) {
            // Sizes on both sides of the radix threshold; many empty values so zero-length records share offsets.
            let first = Self.randomRecords(count, partitions: 3, seed: 11, emptyValues: true)
            let second = Self.randomRecords(count, partitions: 3, seed: 12, emptyValues: true)
            let buffer = RecordBuffer()
            Self.fill(buffer, first)
            buffer.sort()
            #expect(Self.contents(buffer) == stableSorted(first))
            Self.fill(buffer, second)
            buffer.sort()
            #expect(Self.contents(buffer) == stableSorted(first + second))
        }

        @Test func longKeysSharingAPrefixSortByTheirTail() {
            let shared = [UInt8](repeating: 0x41, count: 8)
            let records = [
                TestRecord(partition: 0, key: shared + [3], value: [0]),
                TestRecord(partition: 0, key: shared, value: [1]),
                TestRecord(partition: 0, key: shared + [0], value: [2]),
                TestRecord(partition: 0, key: Array(shared.prefix(7)), value: [3]),
                TestRecord(partition: 0, key: Array(shared.prefix(7)) + [0], value: [4]),
                TestRecord(partition: 0, key: shared + [3], value: [5]),
                TestRecord(partition: 0, key: shared + [2, 9, 9, 9, 9, 9, 9, 9, 9, 9], value: [6]),
            ]
            let buffer = RecordBuffer()
            Self.fill(buffer, records)
            buffer.sort()
            #expect(Self.contents(buffer).map { $0.value[0] } == [3, 4, 1, 2, 6, 0, 5])
        }

        @Test func writeProducesASortedPartitionedFile() throws {
            let dir = try TemporaryDirectory()
            let records = Self.randomRecords(20_000, partitions: 7, seed: 5, emptyValues: true)
            let buffer = RecordBuffer()
            Self.fill(buffer, records)
            let writer = try PartitionedFileWriter(path: dir.file("spill-0"), partitionCount: 7)
            try buffer.write(to: writer)
            try writer.finish(sync: false)
            #expect(try readPartitioned(PartitionedFile(path: dir.file("spill-0"))) == stableSorted(records))
        }

        @Test func byteCountAndRemoveAllKeepingCapacity() {
            let buffer = RecordBuffer(arenaCapacity: 16, entryCapacity: 1)
            #expect(buffer.byteCount == 0)
            let records = Self.randomRecords(1000, partitions: 3, seed: 3)
            Self.fill(buffer, records)
            let data = records.reduce(0) { $0 + $1.key.count + $1.value.count }
            #expect(buffer.arenaCount == data)
            #expect(buffer.byteCount == data + 1000 * MemoryLayout<RecordBuffer.Entry>.stride)
            #expect(MemoryLayout<RecordBuffer.Entry>.stride == 24)
            let allocated = buffer.allocatedByteCount
            #expect(allocated >= buffer.byteCount)
            buffer.removeAll()
            #expect(buffer.count == 0 && buffer.byteCount == 0)
            #expect(buffer.allocatedByteCount == allocated)
            let again = Self.randomRecords(500, partitions: 3, seed: 4)
            Self.fill(buffer, again)
            buffer.sort()
            #expect(Self.contents(buffer) == stableSorted(again))
        }

        @Test func presortedAndReversedInputsSortCorrectly() {
            let sorted = stableSorted(Self.randomRecords(10_000, partitions: 4, seed: 8))
            for input in [sorted, sorted.reversed()] {
                let buffer = RecordBuffer()
                Self.fill(buffer, Array(input))
                buffer.sort()
                #expect(Self.contents(buffer) == stableSorted(Array(input)))
            }
        }
    }
}
