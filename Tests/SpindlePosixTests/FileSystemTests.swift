import Testing
@testable import SpindlePosix

@Suite struct FileSystemTests {
    @Test func atomicWriteReplacesContentAndLeavesNoTempFiles() throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/state.bin"
            try FileSystem.writeFileAtomically(path, Array("old contents".utf8))
            try FileSystem.writeFileAtomically(path, [1, 2, 3])
            #expect(try FileSystem.readFile(path) == [1, 2, 3])
            #expect(try FileSystem.listDirectory(dir) == ["state.bin"])
        }
    }

    @Test func atomicWriteIntoMissingDirectoryThrowsNamingTheTempPath() throws {
        try withTemporaryDirectory { dir in
            let error = #expect(throws: SystemError.self) {
                try FileSystem.writeFileAtomically(dir + "/missing/file", [1])
            }
            #expect(error?.errno == Errno.noSuchFile)
            #expect(error?.context.contains("/missing/.file.tmp-") == true)
        }
    }

    @Test func removeTreeDeletesNestedDirectoriesAndToleratesMissingPaths() throws {
        try withTemporaryDirectory { dir in
            let root = dir + "/tree"
            try FileSystem.createDirectory(root + "/a/b/c", intermediate: true)
            try FileSystem.writeFileAtomically(root + "/a/b/c/leaf", [1])
            try FileSystem.writeFileAtomically(root + "/a/top", [2])
            try FileSystem.createDirectory(root + "/empty", intermediate: false)
            #expect(FileSystem.isDirectory(root + "/a/b/c"))
            try FileSystem.removeTree(root)
            #expect(!FileSystem.exists(root))
            try FileSystem.removeTree(root)
            try FileSystem.removeTree(dir + "/never-existed")
        }
    }

    @Test func createDirectoryAcceptsExistingDirectoryButNotFile() throws {
        try withTemporaryDirectory { dir in
            try FileSystem.createDirectory(dir + "/x", intermediate: false)
            try FileSystem.createDirectory(dir + "/x", intermediate: false)
            try FileSystem.writeFileAtomically(dir + "/file", [])
            let error = #expect(throws: SystemError.self) {
                try FileSystem.createDirectory(dir + "/file", intermediate: true)
            }
            #expect(error?.errno == Errno.fileExists)
            #expect(throws: SystemError.self) {
                try FileSystem.createDirectory(dir + "/no/parent", intermediate: false)
            }
        }
    }

    @Test func listDirectoryIsSortedBytewiseWithoutDotEntries() throws {
        try withTemporaryDirectory { dir in
            for name in ["b", "a", "C", "é", "aa", "_"] {
                try FileSystem.writeFileAtomically(dir + "/" + name, [])
            }
            #expect(try FileSystem.listDirectory(dir) == ["C", "_", "a", "aa", "b", "é"])
        }
    }

    @Test func globMatchesSortedPathsAndEmptyWhenNothingMatches() throws {
        try withTemporaryDirectory { dir in
            for name in ["part-2.txt", "part-10.txt", "part-1.txt", "other.bin"] {
                try FileSystem.writeFileAtomically(dir + "/" + name, [0])
            }
            #expect(try FileSystem.glob(dir + "/part-*.txt") == [
                dir + "/part-1.txt", dir + "/part-10.txt", dir + "/part-2.txt",
            ])
            #expect(try FileSystem.glob(dir + "/*.none") == [])
        }
    }

    @Test func sizeExistenceAndReadabilityQueries() throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/f"
            #expect(!FileSystem.exists(path))
            #expect(!FileSystem.isReadable(path))
            try FileSystem.writeFileAtomically(path, patternBytes(1234))
            #expect(FileSystem.exists(path))
            #expect(FileSystem.isReadable(path))
            #expect(!FileSystem.isDirectory(path))
            #expect(FileSystem.isDirectory(dir))
            #expect(try FileSystem.fileSize(path) == 1234)
            let error = #expect(throws: SystemError.self) { _ = try FileSystem.fileSize(dir + "/nope") }
            #expect(error?.isNotFound == true)
        }
    }

    @Test func readFileHandlesFilesOfUnknownSize() throws {
        let status = try FileSystem.readFile("/proc/self/status")
        #expect(status.count > 100)
        #expect(String(decoding: status, as: UTF8.self).contains("Pid:"))
    }

    @Test func readFileOfMissingPathThrowsNotFound() {
        let error = #expect(throws: SystemError.self) { _ = try FileSystem.readFile("/no/such/file") }
        #expect(error?.description == "open /no/such/file failed: No such file or directory (errno 2)")
    }

    @Test func renameAndUnlinkMoveAndDeleteFiles() throws {
        try withTemporaryDirectory { dir in
            try FileSystem.writeFileAtomically(dir + "/a", [5])
            try FileSystem.rename(dir + "/a", to: dir + "/b")
            #expect(try FileSystem.readFile(dir + "/b") == [5])
            #expect(!FileSystem.exists(dir + "/a"))
            try FileSystem.unlink(dir + "/b")
            try FileSystem.unlink(dir + "/b")
            #expect(try FileSystem.listDirectory(dir).isEmpty)
            try FileSystem.syncDirectory(dir)
        }
    }

    @Test func temporaryDirectoriesAreFreshAndDistinct() throws {
        let a = try FileSystem.makeTemporaryDirectory(prefix: "spindle-tmp-")
        let b = try FileSystem.makeTemporaryDirectory(prefix: "spindle-tmp-")
        defer { try? FileSystem.removeTree(a); try? FileSystem.removeTree(b) }
        #expect(a != b)
        #expect(FileSystem.isDirectory(a) && FileSystem.isDirectory(b))
        #expect(a.contains("/spindle-tmp-"))
    }

    @Test func absolutePathNormalizesLexically() {
        #expect(FileSystem.absolutePath("/a/./b//c/../d") == "/a/b/d")
        #expect(FileSystem.absolutePath("/") == "/")
        let relative = FileSystem.absolutePath("x/y")
        #expect(relative.hasPrefix("/") && relative.hasSuffix("/x/y"))
    }

    @Test func freeBytesIsPositiveForTmp() throws {
        #expect(try FileSystem.freeBytes(atPath: "/tmp") > 0)
    }
}
