import Foundation
import SpindlePosix
import Testing

/// The CLI's contract with scripts: one-line errors on stderr and exit code 2 for bad usage or input.
@Suite struct CommandLineTests {
    @Test(arguments: [
        (["bogus"], "unknown command 'bogus'"),
        (["run", "nosuchjob", "--input", "x"], "unknown job 'nosuchjob'"),
        (["run", "checksum", "--wrokers", "2"], "did you mean '--workers'?"),
        (["run", "checksum", "--workers"], "option '--workers' requires a value"),
        (["run", "checksum", "--workers", "two"], "invalid value 'two' for '--workers'"),
        (["run", "checksum", "--memory", "lots"], "invalid value 'lots' for '--memory'"),
        (["run", "checksum", "--heartbeat-timeout", "5"], "invalid value '5' for '--heartbeat-timeout'"),
        (["run", "pagerank", "--recovery", "partial"], "--recovery takes 'confined' or 'full', not 'partial'"),
        (["run", "checksum"], "job 'checksum' needs --input"),
        (["run", "checksum", "--input", "/nonexistent/file.txt"], "input '/nonexistent/file.txt' does not exist"),
        (["run", "checksum", "--input", "/nonexistent/*.txt"], "input pattern '/nonexistent/*.txt' matches no files"),
        (["run", "checksum", "--input", "/etc/hostname", "--param", "nope=1"], "job 'checksum' has no parameter 'nope'"),
        (["run", "checksum", "--input", "/etc/hostname", "--param", "delay=soon"], "parameter 'delay' of job 'checksum' expects a duration"),
        (["run", "checksum", "--input", "/etc/hostname", "--listen", "127.0.0.1:0"], "needs the shared secret"),
        (["worker"], "missing required option '--coordinator'"),
    ])
    func badUsageGivesOneLineErrorAndExitCode2(arguments: [String], message: String) throws {
        let dir = try TemporaryDirectory()
        let result = try SpindleProcess.run(arguments, environment: ["SPINDLE_SECRET": ""], in: dir.path, timeout: .seconds(30))
        #expect(result.exitCode == 2)
        #expect(result.stderr.contains(message), "stderr: \(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1, "stderr: \(result.stderr)")
    }

    @Test func existingOutputDirectoryIsRefusedUnlessOverwrite() throws {
        let dir = try TemporaryDirectory()
        try FileSystem.createDirectory(dir.file("out"), intermediate: true)
        try Data("hello\n".utf8).write(to: URL(fileURLWithPath: dir.file("in.txt")))
        let refused = try SpindleProcess.run(["run", "checksum", "--input", dir.file("in.txt"), "--output", dir.file("out"), "--workers", "1"], in: dir.path)
        #expect(refused.exitCode == 2)
        #expect(refused.stderr.contains("already exists; remove it or pass --overwrite"))
        let ok = try SpindleProcess.run(
            ["run", "checksum", "--input", dir.file("in.txt"), "--output", dir.file("out"), "--workers", "1", "--overwrite"], in: dir.path)
        #expect(ok.exitCode == 0, "stderr: \(ok.stderr)")
    }

    @Test func helpJobsAndVersionSucceed() throws {
        let dir = try TemporaryDirectory()
        let help = try SpindleProcess.run(["--help"], in: dir.path)
        #expect(help.exitCode == 0)
        #expect(help.stdout.contains("Commands:"))
        let runHelp = try SpindleProcess.run(["help", "run"], in: dir.path)
        #expect(runHelp.stdout.contains("--expect-workers"))
        let jobs = try SpindleProcess.run(["jobs"], in: dir.path)
        #expect(jobs.stdout.contains("checksum"))
        #expect(jobs.stdout.contains("--param delay=<duration>"))
        let version = try SpindleProcess.run(["version"], in: dir.path)
        #expect(version.stdout.hasPrefix("spindle "))
    }
}
