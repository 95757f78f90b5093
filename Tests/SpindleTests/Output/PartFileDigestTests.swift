import Foundation
import SpindleCore
import SpindlePosix
import Testing

@testable import Spindle

/// A part file's size and CRC32C come from its writer, computed while writing: they equal what reading the
/// file gives, and the coordinator journals them after checking only the committed file's size.
@Suite struct PartFileDigestTests {
    @Test func theWritersDigestEqualsTheFilesOwnOverSmallAndLargeWrites() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("part-00000")
        let writer = try OutputLineWriter(path: path)
        for i in 0..<50_000 { try writer.write(keyText: Array("key\t\(i)".utf8), field: "value \(i)") }
        // Past the 1 MiB buffer: written straight through, and checksummed on the way.
        let large = [UInt8](repeating: 0x61, count: 3 << 20) + [0x0A]
        try large.withUnsafeBytes { try writer.writeRawLines($0, count: 1) }
        try writer.write(keyText: Array("last".utf8), field: "line")
        try writer.finish()
        let read = try OutputFileDigest.of(path, name: "part-00000")
        #expect(writer.digest == OutputDigest(size: read.size, checksum: read.checksum))
        #expect(writer.digest.size == writer.bytes)
    }

    @Test func theReportedDigestIsJournaledWhenTheFileHasItsSize() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("part-00001")
        try FileSystem.writeFileAtomically(path, Array("a\t1\n".utf8))
        let entry = try OutputFileDigest.reported(OutputDigest(size: 4, checksum: 77), at: path, name: "part-00001")
        #expect(entry == CommittedTaskRecord.OutputFile(name: "part-00001", size: 4, checksum: 77))
    }

    @Test func aSizeThatDiffersFromTheCommittedFileOrNoDigestIsRefused() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("part-00002")
        try FileSystem.writeFileAtomically(path, Array("a\t1\n".utf8))
        #expect(throws: TaskFailure.self) { try OutputFileDigest.reported(OutputDigest(size: 5, checksum: 0), at: path, name: "part-00002") }
        #expect(throws: TaskFailure.self) { try OutputFileDigest.reported(nil, at: path, name: "part-00002") }
    }
}
