import Testing
@testable import SpindleCore

@Suite struct CommandSpecTests {
    @Test func helpTextHasUsageSummaryAndAlignedOptions() {
        let spec = CommandSpec(
            name: "worker", summary: "Serve tasks for a coordinator.",
            discussion: "Connects and waits for work.",
            options: [
                .value("coordinator", placeholder: "HOST:PORT", help: "Coordinator address"),
                .value("connect-timeout", placeholder: "DURATION", default: "10s", help: "Give up after this"),
                .repeatable("tag", placeholder: "T", help: "Worker tag"),
                .flag("verbose", help: "Log more"),
            ])
        let expected = """
            Usage: spindle worker [options]

            Serve tasks for a coordinator.

            Connects and waits for work.

            Options:
              --coordinator HOST:PORT     Coordinator address
              --connect-timeout DURATION  Give up after this (default: 10s)
              --tag T                     Worker tag (repeatable)
              --verbose                   Log more
              -h, --help                  Show this help

            """
        #expect(spec.helpText(programName: "spindle") == expected)
    }

    @Test func helpTextListsPositionalsInUsageAndArguments() {
        let text = CommandLineFixtures.copy.helpText(programName: "spindle")
        #expect(text.hasPrefix("Usage: spindle copy DEST SOURCE...\n\nCopy files.\n"))
        #expect(text.contains("Arguments:\n  DEST    Destination\n  SOURCE  Sources\n"))
        #expect(text.contains("Options:\n  -h, --help  Show this help\n"))
        let help = CommandLineFixtures.help.helpText(programName: "spindle")
        #expect(help.hasPrefix("Usage: spindle help [COMMAND]\n"))
    }

    @Test func runHelpShowsEveryOptionWithDefaults() {
        let text = CommandLineFixtures.run.helpText(programName: "spindle")
        #expect(text.hasPrefix("Usage: spindle run [options] JOB\n"))
        for option in CommandLineFixtures.run.options {
            #expect(text.contains("  \(option.synopsis) "), "missing \(option.name)")
        }
        #expect(text.contains("(default: 512MiB)"))
        #expect(text.contains("Input file or directory (repeatable)"))
        let lines = text.split(separator: "\n")
        #expect(lines.allSatisfy { $0.count <= CommandSpec.lineWidth })
        // Every description starts in the same column.
        let optionLines = lines.filter { $0.hasPrefix("  -") }
        let columns = Set(optionLines.map(Self.descriptionColumn))
        #expect(columns.count == 1)
        #expect(optionLines.count == CommandLineFixtures.run.options.count + 1)
    }

    /// The offset where the text after the first two-space gap (following the indent) begins.
    private static func descriptionColumn(_ line: Substring) -> Int? {
        guard let gap = line.dropFirst(2).firstRange(of: "  ") else { return nil }
        let start = line[gap.lowerBound...].firstIndex { $0 != " " } ?? line.endIndex
        return line.distance(from: line.startIndex, to: start)
    }

    @Test func longDescriptionsWrapUnderTheirColumn() {
        let words = Array(repeating: "word", count: 30).joined(separator: " ")
        let spec = CommandSpec(name: "x", summary: "S.", options: [.flag("a", help: words)])
        let lines = spec.helpText(programName: "p").split(separator: "\n")
        let optionLines = lines.drop { $0 != "Options:" }.dropFirst().filter { !$0.hasPrefix("  -h") }
        #expect(optionLines.count > 1)
        #expect(optionLines.dropFirst().allSatisfy { $0.hasPrefix(String(repeating: " ", count: 14) + "word") })
        #expect(lines.allSatisfy { $0.count <= CommandSpec.lineWidth })
    }

    @Test func overviewListsCommandsWithSummaries() {
        let text = CommandSpec.overviewText(
            programName: "spindle", summary: "Parallel batch computation.",
            commands: [CommandLineFixtures.run, CommandLineFixtures.jobs])
        let expected = """
            Usage: spindle COMMAND [options] [arguments]

            Parallel batch computation.

            Commands:
              run   Run a job locally or on a cluster.
              jobs  List the built-in jobs.

            Run 'spindle help COMMAND' for a command's options.

            """
        #expect(text == expected)
    }

    static let wraps: [(text: String, width: Int, lines: [String])] = [
        ("a b c", 5, ["a b c"]), ("aaa bbb ccc", 7, ["aaa bbb", "ccc"]),
        ("", 10, [""]), ("toolongword x", 4, ["toolongword", "x"]),
    ]

    @Test(arguments: wraps)
    func wrapBreaksAtSpaces(_ text: String, _ width: Int, _ expected: [String]) {
        #expect(CommandSpec.wrap(text, width: width) == expected)
    }

    @Test func declaringHelpIsAProgrammingError() async {
        await #expect(processExitsWith: .failure) {
            _ = CommandSpec(name: "x", summary: "", options: [.flag("help", help: "")])
        }
    }
}
