@testable import Spindle
import SpindleCore
import Testing

/// The pure rules of what a run may delete (`--output`, `--overwrite`) and overwrite (`--event-log`).
@Suite struct OutputGuardTests {
    static let paths = OutputGuard(
        homeDirectory: "/home/ann", currentDirectory: "/home/ann/work/project", executableDirectory: "/opt/spindle/bin",
        inputs: ["/data/in.txt", "/data/corpus", "/home/ann/work/project/input.txt"])

    static func refusal(output: String) -> String? {
        do {
            try paths.checkOutput(output, shown: output)
            return nil
        } catch {
            return error.message
        }
    }

    static func refusal(eventLog: String, output: String = "/scratch/out") -> String? {
        do {
            try paths.checkEventLog(eventLog, shown: eventLog, output: output)
            return nil
        } catch {
            return error.message
        }
    }

    @Test(arguments: [
        ("/", "it is the root directory"),
        ("/home/ann", "it is your home directory"),
        ("/home", "it holds your home directory '/home/ann'"),
        ("/home/ann/work/project", "it is the current directory"),
        ("/home/ann/work", "it holds the current directory '/home/ann/work/project'"),
        ("/opt/spindle/bin", "it is the directory of the running executable"),
        ("/opt/spindle", "it holds the directory of the running executable, '/opt/spindle/bin'"),
        ("/data", "it holds the input '/data/in.txt'"),
        ("/data/in.txt", "it is the input '/data/in.txt'"),
        ("/data/corpus", "it is the input '/data/corpus'"),
        ("/data/corpus/out", "it is inside the input directory '/data/corpus'"),
    ])
    func outputThatWouldDestroySomethingIsRefused(output: String, reason: String) {
        let message = Self.refusal(output: output)
        #expect(message == "refusing --output '\(output)': \(reason); choose a new directory for the output")
    }

    @Test(arguments: ["/scratch/out", "/home/ann/work/project/out", "/home/ann/work/other", "/data/corpus-out", "/data/in.txt.out", "/opt/spindle/bin/out", "/homework"])
    func outputBesideOrBelowProtectedPathsIsAllowed(output: String) {
        #expect(Self.refusal(output: output) == nil)
    }

    @Test func unknownHomeAndExecutableDirectoriesProtectNothing() throws {
        let paths = OutputGuard(homeDirectory: nil, currentDirectory: "/w", executableDirectory: nil, inputs: [])
        try paths.checkOutput("/home/ann", shown: "x")
        try paths.checkOutput("/opt/spindle/bin", shown: "x")
        #expect(throws: UsageError.self) { try paths.checkOutput("/", shown: "/") }
    }

    @Test(arguments: [
        ("/data/in.txt", "it is the input '/data/in.txt', which the log would overwrite"),
        ("/data/corpus/events.jsonl", "it is inside the input directory '/data/corpus'"),
        ("/data/corpus", "it is the input '/data/corpus', which the log would overwrite"),
        ("/scratch/out/events.jsonl", "it is inside the output directory '/scratch/out', which the run replaces"),
        ("/scratch/out", "it is inside the output directory '/scratch/out', which the run replaces"),
    ])
    func eventLogThatWouldOverwriteSomethingIsRefused(eventLog: String, reason: String) {
        #expect(Self.refusal(eventLog: eventLog) == "refusing --event-log '\(eventLog)': \(reason); write the event log somewhere else")
    }

    @Test(arguments: ["/scratch/events.jsonl", "/data/events.jsonl", "/scratch/out-events.jsonl", "/home/ann/work/project/events.jsonl"])
    func eventLogBesideInputsAndOutputIsAllowed(eventLog: String) {
        #expect(Self.refusal(eventLog: eventLog) == nil)
    }

    @Test(arguments: [
        ("/a/b", "/a/b", true), ("/a/b/c", "/a/b", true), ("/a/bc", "/a/b", false), ("/a", "/a/b", false),
        ("/x", "/", true), ("/", "/", true), ("/a/b", "/a/b/", false),
    ])
    func containmentComparesWholeComponents(path: String, ancestor: String, expected: Bool) {
        #expect(OutputGuard.isSameOrInside(path, ancestor) == expected)
    }

    static func entries(_ names: [String], directories: Set<String> = ["_temporary"]) -> [OutputGuard.Entry] {
        names.map { OutputGuard.Entry(name: $0, isDirectory: directories.contains($0)) }
    }

    @Test(arguments: [
        [String](), ["_SUCCESS"], ["_temporary"], ["part-00000", "part-00001"], ["_SUCCESS", "_temporary", "part-00000"],
        [".part-00003.tmp-123-abc", "part-00000"], ["._SUCCESS.tmp-9-ff", "part-00000"],
    ])
    func emptyOrSpindleOutputMayBeReplaced(names: [String]) throws {
        try OutputGuard.checkReplaceable(entries: Self.entries(names), shown: "out")
    }

    @Test(arguments: [
        (["notes.txt"], "it holds 'notes.txt', which"),
        (["_SUCCESS", "part-00000", "thesis.tex"], "it holds 'thesis.tex', which"),
        (["_temporary", ".git"], "it holds '.git', which"),
        (["a", "b", "c", "d", "part-0"], "it holds 'a', 'b', 'c' and 1 more, which"),
        ([".notes.tmp-1-2"], "it holds '.notes.tmp-1-2', which"),
    ])
    func directoryWithForeignEntriesIsNotReplaced(names: [String], phrase: String) {
        #expect {
            try OutputGuard.checkReplaceable(entries: Self.entries(names), shown: "out")
        } throws: { error in
            let message = (error as? UsageError)?.message ?? ""
            return message.hasPrefix("refusing to replace --output 'out': \(phrase) Spindle did not write; delete the directory yourself")
        }
    }

    @Test func entryKindsMatter() {
        #expect(!OutputGuard.isSpindleEntry(.init(name: "part-00000", isDirectory: true)))
        #expect(!OutputGuard.isSpindleEntry(.init(name: "_SUCCESS", isDirectory: true)))
        #expect(!OutputGuard.isSpindleEntry(.init(name: "_temporary", isDirectory: false)))
        #expect(OutputGuard.isSpindleEntry(.init(name: "_temporary", isDirectory: true)))
    }
}
