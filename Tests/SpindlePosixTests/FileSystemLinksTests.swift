import Glibc
import Testing
@testable import SpindlePosix

@Suite struct FileSystemLinksTests {
    @Test func danglingLinkIsToldFromAMissingPathAndALiveLink() throws {
        let dir = try FileSystem.makeTemporaryDirectory(prefix: "spindle-links-")
        defer { try? FileSystem.removeTree(dir) }
        try FileSystem.writeFileAtomically("\(dir)/file", Array("x".utf8))
        #expect(symlink("file", "\(dir)/live") == 0)
        #expect(symlink("\(dir)/gone", "\(dir)/dangling") == 0)
        #expect(FileSystem.symbolicLinkTarget("\(dir)/live") == "file")
        #expect(!FileSystem.isDanglingLink("\(dir)/live"))
        #expect(FileSystem.symbolicLinkTarget("\(dir)/dangling") == "\(dir)/gone")
        #expect(FileSystem.isDanglingLink("\(dir)/dangling"))
        #expect(FileSystem.symbolicLinkTarget("\(dir)/file") == nil)
        #expect(FileSystem.symbolicLinkTarget("\(dir)/missing") == nil)
        #expect(!FileSystem.isDanglingLink("\(dir)/missing"))
    }
}
