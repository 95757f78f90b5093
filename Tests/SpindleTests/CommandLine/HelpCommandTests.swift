import Foundation
import SpindlePosix
import Testing

/// Help that answers the user's question (a job's parameters, one job, the three APIs), without defects, and
/// commands that refuse what they do not understand.
@Suite struct HelpCommandTests {
    /// `text` with every run of spaces and newlines made one space, so that wrapped help reads as one line.
    static func flattened(_ text: String) -> String {
        text.split(whereSeparator: { $0 == " " || $0 == "\n" }).joined(separator: " ")
    }

    @Test func runJobHelpShowsTheJobsParametersWithTypesAndDefaults() throws {
        let dir = try TemporaryDirectory()
        let result = try SpindleProcess.run(["run", "pagerank", "--help"], in: dir.path)
        #expect(result.exitCode == 0)
        let text = Self.flattened(result.stdout)
        #expect(text.hasPrefix("Usage: spindle run [options] JOB"))
        #expect(text.contains("Job pagerank: PageRank"))
        #expect(text.contains("--param damping=<number> probability of following an edge; between 0 and 1, both excluded (default: 0.85)"))
        #expect(text.contains("--param iterations=<integer> iterations (the cap when a tolerance is given); 0...1000000 (default: 20)"))
        #expect(!text.contains("Job wordcount"))
        let grep = Self.flattened(try SpindleProcess.run(["run", "grep", "-h"], in: dir.path).stdout)
        #expect(grep.contains("--param pattern=<text> the text to look for (required)"))
        let checksum = Self.flattened(try SpindleProcess.run(["run", "checksum", "-h"], in: dir.path).stdout)
        #expect(checksum.contains("Input: --input PATH (required)"))
    }

    @Test func jobsNameShowsOneJob() throws {
        let dir = try TemporaryDirectory()
        let result = try SpindleProcess.run(["jobs", "sssp"], in: dir.path)
        #expect(result.exitCode == 0)
        #expect(result.stdout.hasPrefix("sssp: Shortest path"))
        #expect(result.stdout.contains("--param source=<integer>"))
        #expect(result.stdout.contains("Usage: spindle run sssp [options]"))
        #expect(!result.stdout.contains("pagerank"))
        let unknown = try SpindleProcess.run(["jobs", "pagernak"], in: dir.path)
        #expect(unknown.exitCode == 2)
        #expect(unknown.stderr == "spindle: unknown job 'pagernak'; did you mean 'pagerank'?; run 'spindle jobs' to list them\n")
    }

    @Test func topLevelHelpNamesAllThreeAPIs() throws {
        let dir = try TemporaryDirectory()
        for arguments in [["--help"], ["help"], []] {
            let result = try SpindleProcess.run(arguments, in: dir.path)
            #expect(result.exitCode == 0)
            let text = result.stdout.replacingOccurrences(of: "\n", with: " ")
            for api in ["MapReduce", "Pregel", "BSP"] { #expect(text.contains(api), "\(arguments): \(result.stdout)") }
        }
    }

    /// Every option's help states "(repeatable)" and its default at most once.
    @Test(arguments: ["run", "worker", "jobs", "report", "version", "help", "generate", "bench"])
    func helpStatesEachFactOnce(command: String) throws {
        let dir = try TemporaryDirectory()
        let result = try SpindleProcess.run(["help", command], in: dir.path)
        #expect(result.exitCode == 0)
        // Options are the rows starting with "  --"; their wrapped lines follow, indented further.
        var rows: [String] = []
        for line in result.stdout.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("  -") { rows.append(String(line)) } else if line.hasPrefix("    "), !rows.isEmpty { rows[rows.count - 1] += " " + line }
        }
        #expect(!rows.isEmpty)
        for row in rows {
            let text = row.split(separator: " ").joined(separator: " ")
            #expect(text.components(separatedBy: "(repeatable)").count <= 2, "\(command): \(text)")
            #expect(text.components(separatedBy: "default").count <= 2, "\(command): \(text)")
        }
    }

    @Test func workersHelpShowsOneDefault() throws {
        let dir = try TemporaryDirectory()
        let result = try SpindleProcess.run(["run", "--help"], in: dir.path)
        let text = Self.flattened(result.stdout)
        #expect(text.contains("--workers N local worker processes to start (default: the cores; 0 with --listen)"), "\(result.stdout)")
        #expect(text.contains("--input PATH input file, directory or glob; default: the job's sample data (repeatable) --output"))
    }

    /// Every command refuses an option it does not declare, with one line and exit code 2.
    @Test(arguments: [
        ["version", "--json"], ["--version", "--json"], ["version", "extra"], ["jobs", "--all"], ["jobs", "wordcount", "extra"],
        ["help", "--json"], ["help", "run", "extra"], ["run", "wordcount", "--json"], ["worker", "--json"], ["report", "--json", "x"],
        ["generate", "--json", "text", "x"], ["bench", "wordcount", "--json"],
    ])
    func unknownOptionsAreErrorsForEveryCommand(arguments: [String]) throws {
        let dir = try TemporaryDirectory()
        let result = try SpindleProcess.run(arguments, in: dir.path)
        #expect(result.exitCode == 2, "stdout: \(result.stdout)")
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.hasPrefix("spindle: unknown option '--") || result.stderr.hasPrefix("spindle: unexpected argument"), "\(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
    }
}
