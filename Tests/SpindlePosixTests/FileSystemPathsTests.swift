import Glibc
import Testing
@testable import SpindlePosix

/// Path resolution as the kernel does it, for paths that exist and paths about to be created.
@Suite struct FileSystemPathsTests {
    @Test func realPathResolvesLinksDotsAndDotDots() throws {
        try withTemporaryDirectory { dir in
            let real = try FileSystem.realPath(dir)
            try FileSystem.createDirectory("\(dir)/a/b", intermediate: true)
            #expect(symlink("\(dir)/a/b", "\(dir)/link") == 0)
            #expect(try FileSystem.realPath("\(dir)/link") == "\(real)/a/b")
            #expect(try FileSystem.realPath("\(dir)/link/..") == "\(real)/a")  // ".." of the target, not of the link
            #expect(try FileSystem.realPath("\(dir)/./a//b/") == "\(real)/a/b")
            #expect(throws: SystemError.self) { try FileSystem.realPath("\(dir)/missing") }
        }
    }

    @Test func resolvedPathResolvesTheDeepestExistingAncestor() throws {
        try withTemporaryDirectory { dir in
            let real = try FileSystem.realPath(dir)
            try FileSystem.createDirectory("\(dir)/a/b", intermediate: true)
            #expect(symlink("\(dir)/a/b", "\(dir)/link") == 0)
            #expect(try FileSystem.resolvedPath("\(dir)/link/new/file") == "\(real)/a/b/new/file")
            #expect(try FileSystem.resolvedPath("\(dir)/link/../new") == "\(real)/a/new")
            #expect(try FileSystem.resolvedPath("\(dir)/new/./x/../y") == "\(real)/new/y")
            let parent = String(real[..<real.lastIndex(of: "/")!])
            #expect(try FileSystem.resolvedPath("\(dir)/new/../..") == (parent.isEmpty ? "/" : parent))
            #expect(try FileSystem.resolvedPath("\(dir)/a") == "\(real)/a")
            #expect(try FileSystem.resolvedPath("/") == "/")
            #expect(try FileSystem.resolvedPath("/../..") == "/")
        }
    }

    @Test func resolvedPathOfARelativePathStartsAtTheCurrentDirectory() throws {
        let cwd = try FileSystem.currentDirectory()
        #expect(try FileSystem.resolvedPath(".") == (try FileSystem.realPath(cwd)))
        #expect(try FileSystem.resolvedPath("no-such-name-here/x") == (try FileSystem.realPath(cwd)) + "/no-such-name-here/x")
    }

    @Test func resolvedPathBelowAFileKeepsTheRest() throws {
        try withTemporaryDirectory { dir in
            let real = try FileSystem.realPath(dir)
            try FileSystem.writeFileAtomically("\(dir)/f", [1])
            #expect(try FileSystem.resolvedPath("\(dir)/f/x") == "\(real)/f/x")
        }
    }

    @Test func homeDirectoryIsAbsolute() {
        #expect(FileSystem.homeDirectory()?.hasPrefix("/") ?? true)
    }

    @Test func removeDirectoryIfEmptyLeavesADirectoryWithEntries() throws {
        try withTemporaryDirectory { dir in
            try FileSystem.createDirectory("\(dir)/full", intermediate: true)
            try FileSystem.writeFileAtomically("\(dir)/full/x", [1])
            #expect(try FileSystem.removeDirectoryIfEmpty("\(dir)/full") == false)
            #expect(FileSystem.exists("\(dir)/full/x"))
            try FileSystem.createDirectory("\(dir)/empty", intermediate: true)
            #expect(try FileSystem.removeDirectoryIfEmpty("\(dir)/empty"))
            #expect(!FileSystem.exists("\(dir)/empty"))
            #expect(try FileSystem.removeDirectoryIfEmpty("\(dir)/missing") == false)
        }
    }
}
