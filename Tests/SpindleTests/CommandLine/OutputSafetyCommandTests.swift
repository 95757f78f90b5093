import Foundation
import SpindlePosix
import Testing

/// `spindle run` never destroys what it reads, runs from or lives in: refused outputs and event logs exit 2
/// before any worker starts, and everything they pointed at is still there afterwards.
@Suite struct OutputSafetyCommandTests {
    /// Runs `spindle ARGS...` with `cwd` as its current directory (through /bin/sh, which changes to it and execs).
    static func run(_ arguments: [String], cwd: String, logs: TemporaryDirectory) throws -> ProcessResult {
        let script = "cd \"$1\" && shift && exec \"$@\""
        let process = try ChildProcess.spawn(
            executable: "/bin/sh", arguments: ["-c", script, "sh", cwd, SpindleProcess.executable] + arguments,
            stdoutPath: logs.file("spindle.stdout"), stderrPath: logs.file("spindle.stderr"))
        return try SpindleProcess(process: process, stdoutPath: logs.file("spindle.stdout"), stderrPath: logs.file("spindle.stderr"))
            .finish(timeout: .seconds(60))
    }

    static func write(_ text: String, to path: String) throws {
        try FileSystem.writeFileAtomically(path, Array(text.utf8))
    }

    static func read(_ path: String) throws -> String {
        String(decoding: try FileSystem.readFile(path), as: UTF8.self)
    }

    /// Expects exit code 2, one line on stderr containing `message`, and no worker started.
    static func expectRefused(_ result: ProcessResult, _ message: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(result.exitCode == 2, "stderr: \(result.stderr)", sourceLocation: sourceLocation)
        #expect(result.stderr.contains(message), "stderr: \(result.stderr)", sourceLocation: sourceLocation)
        #expect(result.stderr.split(separator: "\n").count == 1, "stderr: \(result.stderr)", sourceLocation: sourceLocation)
        #expect(!result.stderr.contains("joined"), sourceLocation: sourceLocation)
    }

    @Test func overwritingTheCurrentDirectoryIsRefusedAndItsFilesStay() throws {
        // The working directory is two levels inside the test's own directory, so that even a regression that
        // deleted '..' could only reach the test's own files (never the shared temporary directory).
        let root = try TemporaryDirectory(), logs = try TemporaryDirectory()
        let cwd = root.file("a/b")
        try FileSystem.createDirectory(cwd, intermediate: true)
        try Self.write("keep me\n", to: cwd + "/thesis.txt")
        try Self.write("keep me too\n", to: root.file("a/sibling.txt"))
        try Self.write("a b c\n", to: cwd + "/in.txt")
        for output in [".", "./", "sub/..", cwd] {
            let result = try Self.run(["run", "wordcount", "--input", "in.txt", "--output", output, "--overwrite", "--workers", "1"], cwd: cwd, logs: logs)
            Self.expectRefused(result, "refusing --output '\(output)': it is the current directory")
        }
        let parent = try Self.run(["run", "wordcount", "--input", "in.txt", "--output", "..", "--overwrite", "--workers", "1"], cwd: cwd, logs: logs)
        Self.expectRefused(parent, "refusing --output '..': it holds the current directory")
        #expect(try Self.read(cwd + "/thesis.txt") == "keep me\n")
        #expect(try Self.read(root.file("a/sibling.txt")) == "keep me too\n")
    }

    @Test func anOutputThatHoldsOrIsInsideTheInputIsRefusedAndTheInputStays() throws {
        let dir = try TemporaryDirectory(), logs = try TemporaryDirectory()
        try FileSystem.createDirectory(dir.file("d"), intermediate: true)
        try Self.write("words to count\n", to: dir.file("d/in.txt"))
        let holds = try Self.run(["run", "wordcount", "--input", "d/in.txt", "--output", "d", "--overwrite", "--workers", "1"], cwd: dir.path, logs: logs)
        Self.expectRefused(holds, "refusing --output 'd': it holds the input")
        let inside = try Self.run(["run", "wordcount", "--input", "d", "--output", "d/out", "--workers", "1"], cwd: dir.path, logs: logs)
        Self.expectRefused(inside, "refusing --output 'd/out': it is inside the input directory")
        #expect(symlink(dir.file("d"), dir.file("alias")) == 0)
        let throughLink = try Self.run(["run", "wordcount", "--input", "d/in.txt", "--output", "alias", "--overwrite", "--workers", "1"], cwd: dir.path, logs: logs)
        Self.expectRefused(throughLink, "refusing --output 'alias': it holds the input")
        #expect(try Self.read(dir.file("d/in.txt")) == "words to count\n")
        #expect(!FileSystem.exists(dir.file("d/out")))
    }

    /// The root directory is refused by the unit tests of ``OutputGuard`` only: a multi-process test must never
    /// hand '/' to a binary (a regression would wipe the machine). The executable's directory is tested with a
    /// copy of the binary in a directory of the test's own, so that a regression can only delete that copy.
    @Test func homeAndTheExecutablesDirectoryAreRefused() throws {
        let dir = try TemporaryDirectory(), logs = try TemporaryDirectory()
        try Self.write("a\n", to: dir.file("in.txt"))
        let home = try TemporaryDirectory()
        try Self.write("precious\n", to: home.file("notes"))
        let binaries = try TemporaryDirectory()
        let copy = binaries.file("spindle")
        try FileManager.default.copyItem(atPath: SpindleProcess.executable, toPath: copy)
        try Self.write("precious\n", to: binaries.file("notes"))
        let cases: [(executable: String, output: String, environment: [String: String], message: String)] = [
            (SpindleProcess.executable, home.path, ["HOME": home.path], "refusing --output '\(home.path)': it is your home directory"),
            (copy, binaries.path, [:], "it is the directory of the running executable"),
        ]
        for c in cases {
            let process = try ChildProcess.spawn(
                executable: c.executable,
                arguments: ["run", "wordcount", "--input", dir.file("in.txt"), "--output", c.output, "--overwrite", "--workers", "1"],
                environment: c.environment, stdoutPath: logs.file("spindle.stdout"), stderrPath: logs.file("spindle.stderr"))
            let result = try SpindleProcess(process: process, stdoutPath: logs.file("spindle.stdout"), stderrPath: logs.file("spindle.stderr"))
                .finish(timeout: .seconds(60))
            Self.expectRefused(result, c.message)
        }
        #expect(try Self.read(home.file("notes")) == "precious\n")
        #expect(try Self.read(binaries.file("notes")) == "precious\n")
        #expect(FileSystem.exists(copy))
    }

    @Test func overwriteReplacesOnlyWhatLooksLikeASpindleOutput() throws {
        let dir = try TemporaryDirectory(), logs = try TemporaryDirectory()
        try Self.write("a b a\n", to: dir.file("in.txt"))
        try FileSystem.createDirectory(dir.file("mine"), intermediate: true)
        try Self.write("my data\n", to: dir.file("mine/data.csv"))
        let refused = try Self.run(["run", "wordcount", "--input", "in.txt", "--output", "mine", "--overwrite", "--workers", "1"], cwd: dir.path, logs: logs)
        Self.expectRefused(refused, "refusing to replace --output 'mine': it holds 'data.csv', which Spindle did not write; delete the directory yourself")
        #expect(try Self.read(dir.file("mine/data.csv")) == "my data\n")

        let first = try Self.run(["run", "wordcount", "--input", "in.txt", "--output", "out", "--workers", "1"], cwd: dir.path, logs: logs)
        #expect(first.exitCode == 0, "stderr: \(first.stderr)")
        let again = try Self.run(["run", "wordcount", "--input", "in.txt", "--output", "out", "--overwrite", "--workers", "1"], cwd: dir.path, logs: logs)
        #expect(again.exitCode == 0, "stderr: \(again.stderr)")
        #expect(FileSystem.exists(dir.file("out/_SUCCESS")))
    }

    @Test func anEventLogThatIsAnInputOrInsideAnInputOrTheOutputIsRefused() throws {
        let dir = try TemporaryDirectory(), logs = try TemporaryDirectory()
        try FileSystem.createDirectory(dir.file("d"), intermediate: true)
        try Self.write("alpha beta\n", to: dir.file("d/in.txt"))
        let run = { (extra: [String]) in
            try Self.run(["run", "wordcount", "--input", "d", "--output", "out", "--workers", "1"] + extra, cwd: dir.path, logs: logs)
        }
        Self.expectRefused(try run(["--event-log", "d/in.txt"]), "refusing --event-log 'd/in.txt': it is the input")
        Self.expectRefused(try run(["--event-log", "d/events.jsonl"]), "refusing --event-log 'd/events.jsonl': it is inside the input directory")
        #expect(symlink(dir.file("d/in.txt"), dir.file("log-alias")) == 0)
        Self.expectRefused(try run(["--event-log", "log-alias"]), "refusing --event-log 'log-alias': it is the input")
        Self.expectRefused(try run(["--event-log", "nodir/events.jsonl"]), "--event-log 'nodir/events.jsonl': its directory 'nodir' does not exist")
        Self.expectRefused(try run(["--event-log", "d"]), "--event-log 'd' is a directory")
        #expect(try Self.read(dir.file("d/in.txt")) == "alpha beta\n")

        let first = try run([])
        #expect(first.exitCode == 0, "stderr: \(first.stderr)")
        Self.expectRefused(try run(["--overwrite", "--event-log", "out/events.jsonl"]), "refusing --event-log 'out/events.jsonl': it is inside the output directory")
        #expect(FileSystem.exists(dir.file("out/_SUCCESS")))
        let logged = try run(["--overwrite", "--event-log", "events.jsonl"])
        #expect(logged.exitCode == 0, "stderr: \(logged.stderr)")
        #expect(try Self.read(dir.file("events.jsonl")).contains("\"job_succeeded\""))
    }
}
