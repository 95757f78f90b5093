import Foundation
import SpindleCore
import SpindlePosix
import Testing

@testable import Spindle

/// Spindle's own scratch files (shuffle outputs, spills, fetched segments) stay mapped; a file truncated
/// under its mapping gives zeros instead of SIGBUS, and the blocks' checksums reject them.
@Suite struct ScratchFileTruncationTests {
    private func truncate(_ path: String, to size: UInt64) throws {
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.truncate(atOffset: size)
        try handle.close()
    }

    @Test func readingAMappedFilePastItsNewEndGivesZerosNotSIGBUS() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("scratch.bin")
        try Data(repeating: 0x5A, count: 1 << 20).write(to: URL(fileURLWithPath: path))
        let file = try MappedFile(path: path)
        #expect(!file.wasTruncated)
        try truncate(path, to: 1000)
        var sum = 0
        for byte in file.bytes { sum += Int(byte) }  // SIGBUS here before the fix
        #expect(file.wasTruncated)
        #expect(file.bytes[0] == 0x5A, "the page still backed by the file reads as before")
        #expect(file.bytes[(1 << 20) - 1] == 0, "pages past the new end read as zeros")
        #expect(sum < 0x5A * (1 << 20))
    }

    @Test func aShuffleFileTruncatedAfterOpeningIsCorruptData() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("map.out")
        var rng = SplitMix64(seed: 12)
        let records = stableSorted(
            (0..<20_000).map { i in TestRecord(partition: i % 3, key: randomBytes(12, &rng), value: randomBytes(40, &rng)) })
        try writePartitioned(records, partitions: 3, path: path)
        let file = try PartitionedFile(path: path)
        #expect(try readPartitioned(file) == records)
        try truncate(path, to: UInt64(file.fileSize / 2))
        // Partition 2 lies wholly past the new end: its blocks now read as zeros and fail validation.
        let error = #expect(throws: CorruptDataError.self) { try readPartitioned(file) }
        #expect(error?.source == path)
        #expect(throws: CorruptDataError.self) { _ = try BlockValidator.validate(file.segment(2), source: path) }
    }
}
