@testable import Spindle
@testable import SpindleTools
import SpindleCore
import SpindleJobs
import Testing

/// `spindle bench` arguments: defaults, the `spindle run` command line they produce, and usage errors.
@Suite struct BenchSettingsTests {
    static let registry = JobRegistry(jobs: BuiltinJobs.all)

    static func settings(_ arguments: [String], cores: Int = 4) throws -> BenchSettings {
        try BenchSettings.parse(try ArgumentParser.parse(arguments, for: ToolCommandSpecs.bench), registry: registry, cores: cores)
    }

    @Test func defaultsAreThreeRepeatsAndPowersOfTwoUpToTheCores() throws {
        let settings = try Self.settings(["wordcount"], cores: 6)
        #expect(settings.workerCounts == [1, 2, 4, 6])
        #expect(settings.repeats == 3)
        #expect(settings.inputs.isEmpty && settings.baselineCommand == nil && settings.outputDirectory == nil)
        #expect(BenchSettings.defaultWorkerCounts(cores: 1) == [1])
        #expect(BenchSettings.defaultWorkerCounts(cores: 2) == [1, 2])
        #expect(BenchSettings.defaultWorkerCounts(cores: 8) == [1, 2, 4, 8])
    }

    @Test func workerCountsAreSortedAndEveryOptionReachesTheRunCommandLine() throws {
        let settings = try Self.settings([
            "grep", "--input", "a.txt", "--input", "b/", "--workers", "4,1,2", "--repeat", "2", "--param", "pattern=x=y",
            "--baseline", "grep -c x a.txt", "--output-dir", "out", "--run-arg=--memory=64MiB", "--run-arg=--no-speculation",
        ])
        #expect(settings.workerCounts == [1, 2, 4])
        #expect(settings.repeats == 2)
        #expect(settings.baselineCommand == "grep -c x a.txt")
        #expect(settings.outputDirectory == "out")
        #expect(
            settings.spindleRunArguments(workers: 2, output: "/tmp/o", eventLog: "/tmp/e.jsonl") == [
                "run", "grep", "--input", "a.txt", "--input", "b/", "--workers", "2", "--output", "/tmp/o", "--overwrite", "--quiet",
                "--event-log", "/tmp/e.jsonl", "--param", "pattern=x=y", "--memory=64MiB", "--no-speculation",
            ])
    }

    @Test(arguments: [
        (["wordcount", "--workers", "1,,2"], "invalid value '1,,2' for '--workers'"),
        (["wordcount", "--workers", "two"], "invalid value 'two' for '--workers'"),
        (["wordcount", "--workers", "0,2"], "worker counts must be in 1...1024"),
        (["wordcount", "--workers", "2,1,2"], "worker count 2 is listed twice"),
        (["wordcount", "--repeat", "0"], "invalid value '0' for '--repeat'"),
        (["wordcount", "--param", "novalue"], "invalid value 'novalue' for '--param'"),
        (["wordcount", "--baseline", " "], "'--baseline' needs a command"),
        (["checksum"], "job 'checksum' needs --input"),
        (["wordcount", "extra"], "unexpected argument 'extra'"),
    ])
    func badArgumentsAreUsageErrors(arguments: [String], message: String) {
        let error = #expect(throws: UsageError.self) { try Self.settings(arguments) }
        #expect(error?.message.contains(message) == true, "\(String(describing: error))")
    }

    @Test func anUnknownJobIsLeftToTheRunToReport() throws {
        #expect(try Self.settings(["nosuchjob", "--input", "x"]).job == "nosuchjob")
    }
}
