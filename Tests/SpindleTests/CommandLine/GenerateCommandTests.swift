import Foundation
import SpindlePosix
import Testing

/// `spindle generate` never overwrites a file unasked, never starts what the disk cannot hold, and never
/// leaves a partial file behind.
@Suite struct GenerateCommandTests {
    /// Runs `spindle generate ARGS...` with the file-size limit `ulimit -f blocks` (SIGXFSZ ignored, so a
    /// write past the limit fails with EFBIG instead of killing the process), or unlimited when nil.
    static func generate(_ arguments: [String], in dir: TemporaryDirectory, fileSizeBlocks: Int? = nil) throws -> ProcessResult {
        let limit = fileSizeBlocks.map { "trap '' XFSZ; ulimit -f \($0); " } ?? ""
        let process = try ChildProcess.spawn(
            executable: "/bin/sh", arguments: ["-c", limit + "cd \"$1\" && shift && exec \"$@\"", "sh", dir.path, SpindleProcess.executable, "generate"] + arguments,
            stdoutPath: dir.file("generate.stdout"), stderrPath: dir.file("generate.stderr"))
        return try SpindleProcess(process: process, stdoutPath: dir.file("generate.stdout"), stderrPath: dir.file("generate.stderr"))
            .finish(timeout: .seconds(120))
    }

    /// The files in `dir` other than the captured stdout and stderr.
    static func files(_ dir: TemporaryDirectory) throws -> [String] {
        try FileSystem.listDirectory(dir.path).filter { !$0.hasPrefix("generate.") }
    }

    @Test func aGraphLargerThanTheFreeSpaceIsRefusedBeforeWriting() throws {
        let dir = try TemporaryDirectory()
        let result = try Self.generate(["graph", "--rmat", "--scale", "40", "g.txt"], in: dir)
        #expect(result.exitCode == 2, "stderr: \(result.stderr)")
        #expect(result.stderr.contains("'g.txt' would need up to 448 TiB but the file system holding '.' has only"), "stderr: \(result.stderr)")
        #expect(try Self.files(dir) == [])
    }

    @Test func textLargerThanTheFreeSpaceIsRefusedBeforeWriting() throws {
        let dir = try TemporaryDirectory()
        let free = try FileSystem.freeBytes(atPath: dir.path)
        let result = try Self.generate(["text", "--size", "\(free + (1 << 30))", "t.txt"], in: dir)
        #expect(result.exitCode == 2, "stderr: \(result.stderr)")
        #expect(result.stderr.contains("choose a smaller --size"), "stderr: \(result.stderr)")
        #expect(try Self.files(dir) == [])
    }

    @Test(arguments: [["text", "--size", "1KiB"], ["graph", "--rmat", "--scale", "4"]])
    func anExistingFileIsReplacedOnlyWithOverwrite(kind: [String]) throws {
        let dir = try TemporaryDirectory()
        try FileSystem.writeFileAtomically(dir.file("data.txt"), Array("mine\n".utf8))
        let refused = try Self.generate(kind + ["data.txt"], in: dir)
        #expect(refused.exitCode == 2)
        #expect(refused.stderr.contains("'data.txt' already exists; pass --overwrite to replace it"), "stderr: \(refused.stderr)")
        #expect(try FileSystem.readFile(dir.file("data.txt")) == Array("mine\n".utf8))
        let replaced = try Self.generate(kind + ["--overwrite", "data.txt"], in: dir)
        #expect(replaced.exitCode == 0, "stderr: \(replaced.stderr)")
        #expect(try FileSystem.readFile(dir.file("data.txt")) != Array("mine\n".utf8))
        #expect(try Self.files(dir) == ["data.txt"])
    }

    @Test func aMissingDirectoryOrADirectoryTargetIsRefused() throws {
        let dir = try TemporaryDirectory()
        let missing = try Self.generate(["text", "--size", "1KiB", "nodir/t.txt"], in: dir)
        #expect(missing.exitCode == 2)
        #expect(missing.stderr.contains("its directory 'nodir' does not exist"), "stderr: \(missing.stderr)")
        try FileSystem.createDirectory(dir.file("sub"), intermediate: true)
        let directory = try Self.generate(["text", "--size", "1KiB", "--overwrite", "sub"], in: dir)
        #expect(directory.exitCode == 2)
        #expect(directory.stderr.contains("'sub' is a directory"), "stderr: \(directory.stderr)")
        #expect(try Self.files(dir) == ["sub"])
    }

    @Test(arguments: [["text", "--size", "4MiB"], ["graph", "--rmat", "--scale", "16"]])
    func aWriteThatFailsLeavesNoPartialFile(kind: [String]) throws {
        let dir = try TemporaryDirectory()
        let result = try Self.generate(kind + ["out.txt"], in: dir, fileSizeBlocks: 256)
        #expect(result.exitCode == 1, "stderr: \(result.stderr)")
        #expect(result.stderr.contains("writing 'out.txt' failed:") && result.stderr.contains("nothing was left behind"), "stderr: \(result.stderr)")
        #expect(try Self.files(dir) == [])
    }

    @Test func aFailedReplacementKeepsTheOldFile() throws {
        let dir = try TemporaryDirectory()
        try FileSystem.writeFileAtomically(dir.file("out.txt"), Array("old\n".utf8))
        let result = try Self.generate(["text", "--size", "4MiB", "--overwrite", "out.txt"], in: dir, fileSizeBlocks: 256)
        #expect(result.exitCode == 1, "stderr: \(result.stderr)")
        #expect(try FileSystem.readFile(dir.file("out.txt")) == Array("old\n".utf8))
        #expect(try Self.files(dir) == ["out.txt"])
    }
}
