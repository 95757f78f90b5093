@testable import Spindle
import SpindleCore
import SpindlePosix
import Testing

extension ExchangeTests {
    /// Releasing the pages of mapped shuffle files as they are read: the resident set shrinks, the bytes
    /// stay readable and the records come back unchanged.
    @Suite struct PageReleasingTests {
        /// Pages of the process's mappings of `path` that are resident, from /proc/self/smaps (kB).
        static func residentKilobytes(ofMappingsOf path: String) throws -> Int {
            let text = String(decoding: try FileSystem.readFile("/proc/self/smaps"), as: UTF8.self)
            var inMapping = false
            var total = 0
            for line in text.split(separator: "\n") {
                if line.first?.isHexDigit == true && line.contains("-") && line.contains(" ") {
                    inMapping = line.hasSuffix(path)
                } else if inMapping, line.hasPrefix("Rss:") {
                    total += Int(line.split(separator: " ", omittingEmptySubsequences: true)[1]) ?? 0
                }
            }
            return total
        }

        @Test func releasedPagesLeaveTheResidentSetAndStayReadable() throws {
            let dir = try TemporaryDirectory()
            let path = dir.file("big.bin")
            var rng = SplitMix64(seed: 7)
            let bytes = randomBytes(16 << 20, &rng)
            try writeBytes(bytes, to: path)
            let file = try MappedFile(path: path)
            var sum: UInt64 = 0
            for b in file.bytes { sum &+= UInt64(b) }
            let before = try Self.residentKilobytes(ofMappingsOf: path)
            #expect(before >= 15 * 1024)
            file.releasePages(0..<file.count)
            let after = try Self.residentKilobytes(ofMappingsOf: path)
            #expect(after < 1024, "resident after release: \(after) kB")
            #expect(Array(file.bytes) == bytes)
            #expect(sum == bytes.reduce(0) { $0 &+ UInt64($1) })
        }

        @Test func cursorsThatReleasePagesReturnTheSameRecords() throws {
            let dir = try TemporaryDirectory()
            let path = dir.file("map-0.out")
            let records = PartitionedFileTests.randomRecords(partitions: 3, seed: 11)
            _ = try writePartitioned(records, partitions: 3, path: path)
            let file = try PartitionedFile(path: path)
            var read: [TestRecord] = []
            for p in 0..<3 {
                var cursor = file.cursor(p, releasingPages: true)
                while try cursor.next() { read.append(TestRecord(partition: p, key: Array(cursor.key), value: Array(cursor.value))) }
                file.releasePages(of: p)
            }
            #expect(read == records)
            #expect(try readPartitioned(file) == records)
        }
    }
}
