@testable import Spindle
import SpindleCore
import SpindlePosix
import Glibc
import Testing

/// What the committer replaces, and what a failed job leaves behind: nothing it committed, no `_temporary`,
/// nothing that looks like a complete output, and never a file it did not write.
@Suite struct OutputCommitterTests {
    /// A guard whose current directory is `dir` (so outputs below it are allowed) and with no inputs.
    static func guardFor(_ dir: TemporaryDirectory) throws -> OutputGuard {
        OutputGuard(homeDirectory: nil, currentDirectory: try FileSystem.realPath(dir.path) + "/cwd", executableDirectory: nil, inputs: [])
    }

    /// Commits `name` the way a reduce attempt does: a file under `_temporary`, renamed into place.
    static func commit(_ committer: OutputCommitter, _ name: String, attempt: UInt64) throws {
        let temporary = committer.temporaryPath(attempt: AttemptID(attempt), name: name)
        try FileSystem.writeFileAtomically(temporary, Array("data of \(name)\n".utf8))
        try committer.commit(temporaryPath: temporary, as: name)
    }

    @Test func abortRemovesWhatTheRunCommittedAndTheDirectoryItCreated() throws {
        let dir = try TemporaryDirectory()
        let committer = try OutputCommitter(directory: dir.file("out"), overwrite: false, guard: Self.guardFor(dir))
        try committer.prepare()
        try Self.commit(committer, "part-00000", attempt: 1)
        try Self.commit(committer, "part-00001", attempt: 2)
        try committer.writeFile("part-00002", Array("x\n".utf8))
        #expect(try FileSystem.listDirectory(dir.file("out")) == ["_logs", "_temporary", "part-00000", "part-00001", "part-00002"])
        #expect(committer.writtenNames == ["part-00000", "part-00001", "part-00002"])
        committer.abort()
        #expect(!FileSystem.exists(dir.file("out")))
    }

    @Test func abortLeavesFilesItDidNotWriteAndKeepsTheirDirectory() throws {
        let dir = try TemporaryDirectory()
        let committer = try OutputCommitter(directory: dir.file("out"), overwrite: false, guard: Self.guardFor(dir))
        try committer.prepare()
        try Self.commit(committer, "part-00000", attempt: 1)
        try FileSystem.writeFileAtomically(dir.file("out/notes.txt"), Array("mine\n".utf8))  // the user's, during the run
        committer.abort()
        #expect(try FileSystem.listDirectory(dir.file("out")) == ["notes.txt"])
    }

    @Test func abortAfterSuccessWasWrittenRemovesSuccessToo() throws {
        let dir = try TemporaryDirectory()
        let committer = try OutputCommitter(directory: dir.file("out"), overwrite: false, guard: Self.guardFor(dir))
        try committer.prepare()
        try Self.commit(committer, "part-00000", attempt: 1)
        try committer.succeed(.object([("job", .string("test"))]))
        #expect(FileSystem.exists(dir.file("out/_SUCCESS")))
        committer.abort()  // e.g. the commit failed after _SUCCESS was written
        #expect(!FileSystem.exists(dir.file("out")))
    }

    @Test func abortKeepsAnOutputDirectoryThatExistedBeforeTheRun() throws {
        let dir = try TemporaryDirectory()
        try FileSystem.createDirectory(dir.file("out"), intermediate: true)
        try FileSystem.writeFileAtomically(dir.file("out/part-00000"), Array("old\n".utf8))
        let committer = try OutputCommitter(directory: dir.file("out"), overwrite: true, guard: Self.guardFor(dir))
        try committer.prepare()
        try Self.commit(committer, "part-00000", attempt: 7)
        committer.abort()
        #expect(FileSystem.isDirectory(dir.file("out")))
        #expect(try FileSystem.listDirectory(dir.file("out")) == [])
    }

    @Test func abortBeforePrepareTouchesNothing() throws {
        let dir = try TemporaryDirectory()
        try FileSystem.createDirectory(dir.file("out/_temporary"), intermediate: true)
        try FileSystem.writeFileAtomically(dir.file("out/part-00000"), Array("old\n".utf8))
        let committer = try OutputCommitter(directory: dir.file("out"), overwrite: true, guard: Self.guardFor(dir))
        committer.abort()
        #expect(try FileSystem.listDirectory(dir.file("out")) == ["_temporary", "part-00000"])
    }

    @Test func overwriteReplacesAPreviousOutputButNotSomeoneElsesDirectory() throws {
        let dir = try TemporaryDirectory()
        try FileSystem.createDirectory(dir.file("out/_temporary"), intermediate: true)
        for name in ["part-00000", "_SUCCESS"] { try FileSystem.writeFileAtomically(dir.file("out/\(name)"), Array("old\n".utf8)) }
        let committer = try OutputCommitter(directory: dir.file("out"), overwrite: true, guard: Self.guardFor(dir))
        try committer.prepare()
        #expect(try FileSystem.listDirectory(dir.file("out")) == ["_logs", "_temporary"])

        try FileSystem.createDirectory(dir.file("photos"), intermediate: true)
        try FileSystem.writeFileAtomically(dir.file("photos/cat.jpg"), Array("meow".utf8))
        #expect(throws: UsageError.self) { try OutputCommitter(directory: dir.file("photos"), overwrite: true, guard: Self.guardFor(dir)) }
        #expect(try FileSystem.readFile(dir.file("photos/cat.jpg")) == Array("meow".utf8))
    }

    @Test func outputIsJudgedByWhatItResolvesTo() throws {
        let dir = try TemporaryDirectory()
        let cwd = try FileSystem.realPath(dir.path) + "/cwd"
        try FileSystem.createDirectory(cwd, intermediate: true)
        let outputGuard = OutputGuard(homeDirectory: nil, currentDirectory: cwd, executableDirectory: nil, inputs: [])
        #expect(symlink(cwd, dir.file("alias")) == 0)
        #expect(throws: UsageError("refusing --output '\(dir.file("alias"))': it is the current directory; choose a new directory for the output")) {
            try OutputCommitter(directory: dir.file("alias"), overwrite: true, guard: outputGuard)
        }
        #expect(throws: UsageError.self) { try OutputCommitter(directory: dir.file("cwd/sub/../.."), overwrite: true, guard: outputGuard) }
        #expect(throws: UsageError.self) { try OutputCommitter(directory: dir.file("alias/new/.."), overwrite: true, guard: outputGuard) }
        let allowed = try OutputCommitter(directory: dir.file("alias/new"), overwrite: false, guard: outputGuard)
        #expect(allowed.resolvedDirectory == cwd + "/new")
    }
}
