@testable import Spindle
import SpindleCore
import SpindlePosix
import Testing

extension ExchangeTests {
    /// Writing and reading partitioned shuffle files: round trips, footer validation, truncation and bit rot.
    @Suite struct PartitionedFileTests {
        /// 100k random records, empty keys and values, a 200 KB record; every partition p with p % 5 == 2 stays empty.
        static func randomRecords(partitions: Int, seed: UInt64) -> [TestRecord] {
            var rng = SplitMix64(seed: seed)
            let used = (0..<partitions).filter { partitions == 1 || $0 % 5 != 2 }
            var records: [TestRecord] = []
            for _ in 0..<100_000 {
                let p = used[Int(rng.next() % UInt64(used.count))]
                records.append(TestRecord(partition: p, key: randomBytes(Int(rng.next() % 20), &rng), value: randomBytes(Int(rng.next() % 30), &rng)))
            }
            records.append(TestRecord(partition: used.last!, key: [], value: []))
            records.append(TestRecord(partition: used.first!, key: [], value: [7]))
            records.append(TestRecord(partition: used.first!, key: [9, 9], value: []))
            records.append(TestRecord(partition: used[used.count / 2], key: randomBytes(1000, &rng), value: randomBytes(200_000, &rng)))
            return stableSorted(records)
        }

        @Test(arguments: [1, 3, 17])
        func randomRecordsRoundTripThroughCursors(partitions: Int) throws {
            let dir = try TemporaryDirectory()
            let path = dir.file("map-0.out")
            let records = Self.randomRecords(partitions: partitions, seed: UInt64(partitions))
            let sizes = try writePartitioned(records, partitions: partitions, path: path)
            let file = try PartitionedFile(path: path)
            #expect(file.partitionCount == partitions)
            #expect(file.partitionSizes == sizes)
            #expect(file.fileSize == sizes.reduce(0, +) + 8 * (partitions + 1) + 12)
            #expect(try readPartitioned(file) == records)
            for p in 0..<partitions {
                let expectedEmpty = !records.contains { $0.partition == p }
                #expect((sizes[p] == 0) == expectedEmpty, "partition \(p)")
                #expect(file.segment(p).count == sizes[p])
                _ = try BlockValidator.validate(file.segment(p), source: path, baseOffset: file.range(p).lowerBound)
            }
        }

        @Test func fileWithOnlyEmptyPartitionsHasJustAFooter() throws {
            let dir = try TemporaryDirectory()
            let path = dir.file("empty.out")
            let sizes = try writePartitioned([], partitions: 4, path: path)
            #expect(sizes == [0, 0, 0, 0])
            let file = try PartitionedFile(path: path)
            #expect(file.fileSize == 5 * 8 + 12)
            #expect(try readPartitioned(file).isEmpty)
        }

        @Test func cursorKeepsTheMappingAliveAfterTheFileObjectIsDropped() throws {
            let dir = try TemporaryDirectory()
            let path = dir.file("keep.out")
            try writePartitioned([TestRecord(partition: 1, key: [1, 2], value: [3])], partitions: 2, path: path)
            var cursor = try PartitionedFile(path: path).cursor(1)
            #expect(try cursor.next())
            #expect(Array(cursor.key) == [1, 2] && Array(cursor.value) == [3])
            #expect(try !cursor.next())
        }

        /// A small file of two partitions, a few blocks' worth of tiny records.
        static func smallFile(at path: String) throws -> [UInt8] {
            let records = [
                TestRecord(partition: 0, key: Array("apple".utf8), value: Array("red".utf8)),
                TestRecord(partition: 0, key: Array("pear".utf8), value: []),
                TestRecord(partition: 2, key: [], value: Array("x".utf8)),
                TestRecord(partition: 2, key: Array("zz".utf8), value: Array("last".utf8)),
            ]
            try writePartitioned(records, partitions: 3, path: path)
            return try FileSystem.readFile(path)
        }

        @Test func everySingleBitFlipIsDetected() throws {
            let dir = try TemporaryDirectory()
            let original = try Self.smallFile(at: dir.file("small.out"))
            let path = dir.file("flipped.out")
            for bit in 0..<(original.count * 8) {
                var bytes = original
                bytes[bit / 8] ^= UInt8(1 << (bit % 8))
                try writeBytes(bytes, to: path)
                let file: PartitionedFile
                do {
                    file = try PartitionedFile(path: path)
                } catch let error as CorruptDataError {
                    #expect(error.source == path)
                    continue
                }
                // The footer survived, so the flip is in the blocks: both the validator and the cursor must see it.
                var validatorCaught = false, cursorCaught = false
                for p in 0..<file.partitionCount {
                    do { _ = try BlockValidator.validate(file.segment(p), source: path) } catch { validatorCaught = true }
                    var cursor = file.cursor(p)
                    do { while try cursor.next() {} } catch { cursorCaught = true }
                }
                #expect(validatorCaught && cursorCaught, "bit \(bit) of \(original.count * 8) went unnoticed")
            }
        }

        @Test func damagedFooterIsRejectedWithAClearError() throws {
            let dir = try TemporaryDirectory()
            let original = try Self.smallFile(at: dir.file("small.out"))
            let path = dir.file("map-3.out")
            let footerStart = original.count - (4 * 8 + 12)
            var badOffset = original
            badOffset[footerStart + 8] ^= 0x04
            try writeBytes(badOffset, to: path)
            let error = #expect(throws: CorruptDataError.self) { try PartitionedFile(path: path) }
            #expect(error?.description == "corrupt shuffle data in \(path) at byte \(original.count - 8): footer checksum mismatch")

            var badMagic = original
            badMagic[original.count - 1] = UInt8(ascii: "2")
            try writeBytes(badMagic, to: path)
            let magicError = #expect(throws: CorruptDataError.self) { try PartitionedFile(path: path) }
            #expect(magicError?.detail.contains("SPX1") == true)
            #expect(magicError?.description.contains(path) == true)
        }

        @Test func footerWithConsistentChecksumButBadOffsetsIsRejected() throws {
            // Offsets that decrease, with a correct checksum: caught by the monotonicity check.
            let footer = PartitionedFileWriter.footer(offsets: [0, 10, 5])
            let bytes = [UInt8](repeating: 0, count: 10) + footer
            let error = #expect(throws: CorruptDataError.self) {
                try bytes.withUnsafeBytes { _ = try PartitionedFile.readFooter($0, source: "crafted") }
            }
            #expect(error?.detail.contains("partition offset 2") == true)
            // Offsets that end before the footer starts.
            let short = [UInt8](repeating: 0, count: 12) + PartitionedFileWriter.footer(offsets: [0, 10])
            #expect(throws: CorruptDataError.self) { try short.withUnsafeBytes { _ = try PartitionedFile.readFooter($0, source: "crafted") } }
        }

        @Test func everyTruncationIsRejected() throws {
            let dir = try TemporaryDirectory()
            let original = try Self.smallFile(at: dir.file("small.out"))
            let path = dir.file("truncated.out")
            for length in 0..<original.count {
                try writeBytes(Array(original[..<length]), to: path)
                #expect(throws: CorruptDataError.self, "length \(length)") { try PartitionedFile(path: path) }
            }
        }

        @Test func missingFileThrowsASystemError() throws {
            let dir = try TemporaryDirectory()
            #expect(throws: SystemError.self) { try PartitionedFile(path: dir.file("absent.out")) }
        }
    }
}
