import Foundation
@testable import Spindle
import SpindlePosix
import Testing

/// A user's own tool (`Spindle.main(jobs:)` in a package named `myjobs`) names itself in usage and error
/// lines: the last component of its argv[0].
@Suite struct ProgramNameTests {
    /// Runs the `spindle` executable through a symbolic link named `myjobs`, so its argv[0] ends in `myjobs`.
    static func myjobs(_ arguments: [String], in dir: TemporaryDirectory) throws -> ProcessResult {
        let link = dir.file("myjobs")
        if !FileSystem.exists(link) { try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: SpindleProcess.executable) }
        let process = try ChildProcess.spawn(
            executable: link, arguments: arguments, stdoutPath: dir.file("myjobs.stdout"), stderrPath: dir.file("myjobs.stderr"))
        return try SpindleProcess(process: process, stdoutPath: dir.file("myjobs.stdout"), stderrPath: dir.file("myjobs.stderr")).finish()
    }

    @Test func usageAndErrorLinesNameTheExecutable() throws {
        let dir = try TemporaryDirectory()
        let help = try Self.myjobs(["--help"], in: dir)
        #expect(help.stdout.hasPrefix("Usage: myjobs COMMAND"))
        #expect(help.stdout.contains("Run 'myjobs help COMMAND'"))
        #expect(!help.stdout.contains("spindle "), "\(help.stdout)")
        let runHelp = try Self.myjobs(["run", "--help"], in: dir)
        #expect(runHelp.stdout.hasPrefix("Usage: myjobs run [options] JOB"))
        #expect(runHelp.stdout.contains("(`myjobs worker`)"))
        let bogus = try Self.myjobs(["bogus"], in: dir)
        #expect(bogus.exitCode == 2)
        #expect(bogus.stderr == "myjobs: unknown command 'bogus'; run 'myjobs --help' for the commands\n")
        let unknownJob = try Self.myjobs(["run", "nosuchjob"], in: dir)
        #expect(unknownJob.stderr == "myjobs: unknown job 'nosuchjob'; run 'myjobs jobs' to list them\n")
        let badOption = try Self.myjobs(["worker", "--json"], in: dir)
        #expect(badOption.stderr == "myjobs: unknown option '--json' for 'myjobs worker'\n")
        let version = try Self.myjobs(["version"], in: dir)
        #expect(version.stdout.hasPrefix("myjobs "))
    }

    @Test func consoleLinesOfARunNameTheExecutable() throws {
        let dir = try TemporaryDirectory()
        try Data("a b a\n".utf8).write(to: URL(fileURLWithPath: dir.file("in.txt")))
        let result = try Self.myjobs(["run", "wordcount", "--input", dir.file("in.txt"), "--output", dir.file("out"), "--workers", "1", "--ui", "off"], in: dir)
        #expect(result.exitCode == 0, "stderr: \(result.stderr)")
        let lines = result.stderr.split(separator: "\n")
        #expect(!lines.isEmpty)
        #expect(lines.allSatisfy { $0.hasPrefix("myjobs: ") }, "\(result.stderr)")
    }

    @Test func theNameIsArgumentZerosLastComponent() {
        #expect(ProgramName.name(fromArgument0: "/home/me/myjobs/.build/debug/myjobs") == "myjobs")
        #expect(ProgramName.name(fromArgument0: "letters") == "letters")
        #expect(ProgramName.name(fromArgument0: "") == "spindle")
        #expect(ProgramName.substituted("Run `spindle jobs`; spindle run X; spindle-worker-1; Spindle's", name: "myjobs")
            == "Run `myjobs jobs`; myjobs run X; spindle-worker-1; Spindle's")
        #expect(ProgramName.substituted("spindle worker (`spindle run`)", name: "spindle") == "spindle worker (`spindle run`)")
        #expect(ProgramName.substituted("spindle spindle x", name: "t") == "t t x")
        #expect(ProgramName.substituted("myspindle run", name: "t") == "myspindle run")
    }
}
