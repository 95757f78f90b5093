import Testing
@testable import SpindleCore

@Suite struct ArgumentParserTests {
    typealias Fixtures = CommandLineFixtures

    struct ErrorCase: Sendable, CustomTestStringConvertible {
        var arguments: [String]
        var message: String
        var spec: CommandSpec = Fixtures.run
        var testDescription: String { arguments.joined(separator: " ") }
    }

    static let errorCases: [ErrorCase] = [
        ErrorCase(arguments: ["wc", "--wrokers", "4"],
                  message: "unknown option '--wrokers' for 'spindle run'; did you mean '--workers'?"),
        ErrorCase(arguments: ["wc", "--wrokers=4"],
                  message: "unknown option '--wrokers' for 'spindle run'; did you mean '--workers'?"),
        ErrorCase(arguments: ["wc", "--overwrit"],
                  message: "unknown option '--overwrit' for 'spindle run'; did you mean '--overwrite'?"),
        ErrorCase(arguments: ["wc", "--hlep"],
                  message: "unknown option '--hlep' for 'spindle run'; did you mean '--help'?"),
        ErrorCase(arguments: ["wc", "-workers", "4"],
                  message: "unknown option '-workers' for 'spindle run'; did you mean '--workers'?"),
        ErrorCase(arguments: ["wc", "--frobnicate"], message: "unknown option '--frobnicate' for 'spindle run'"),
        ErrorCase(arguments: ["wc", "-v"], message: "unknown option '-v' for 'spindle run'"),
        ErrorCase(arguments: ["--verbose"], message: "unknown option '--verbose' for 'spindle jobs'", spec: Fixtures.jobs),
        ErrorCase(arguments: ["wc", "--output"], message: "option '--output' requires a value"),
        ErrorCase(arguments: ["wc", "--output="], message: "option '--output' requires a value"),
        ErrorCase(arguments: ["wc", "--output", ""], message: "option '--output' requires a value"),
        ErrorCase(arguments: ["wc", "--output", "--overwrite"], message: "option '--output' requires a value"),
        ErrorCase(arguments: ["wc", "--output", "--"], message: "option '--output' requires a value"),
        ErrorCase(arguments: ["wc", "--overwrite=yes"], message: "option '--overwrite' does not take a value"),
        ErrorCase(arguments: ["wc", "--overwrite="], message: "option '--overwrite' does not take a value"),
        ErrorCase(arguments: ["wc", "--help=yes"], message: "option '--help' does not take a value"),
        ErrorCase(arguments: ["wc", "--workers", "2", "--workers", "3"], message: "option '--workers' may only be given once"),
        ErrorCase(arguments: ["wc", "--output=a", "--output=b"], message: "option '--output' may only be given once"),
        ErrorCase(arguments: [], message: "missing argument JOB for 'spindle run'"),
        ErrorCase(arguments: ["--overwrite"], message: "missing argument JOB for 'spindle run'"),
        ErrorCase(arguments: ["/tmp"], message: "missing argument SOURCE for 'spindle copy'", spec: Fixtures.copy),
        ErrorCase(arguments: ["wc", "extra"], message: "unexpected argument 'extra' for 'spindle run'"),
        ErrorCase(arguments: ["wc", "--", "--overwrite"], message: "unexpected argument '--overwrite' for 'spindle run'"),
        ErrorCase(arguments: ["run", "worker"], message: "unexpected argument 'worker' for 'spindle help'", spec: Fixtures.help),
        ErrorCase(arguments: ["x"], message: "unexpected argument 'x' for 'spindle jobs'", spec: Fixtures.jobs),
        // The first problem wins.
        ErrorCase(arguments: ["--bogus", "--overwrite=1"], message: "unknown option '--bogus' for 'spindle run'"),
    ]

    @Test(arguments: errorCases)
    func badArgumentsThrowExactMessage(_ testCase: ErrorCase) {
        #expect(throws: UsageError(testCase.message)) {
            _ = try ArgumentParser.parse(testCase.arguments, for: testCase.spec)
        }
    }

    @Test func errorDescriptionIsTheBareMessage() {
        let error = UsageError("option '--output' requires a value")
        #expect(error.description == "option '--output' requires a value")
        #expect("\(error)" == error.message)
    }

    @Test func programNameAppearsInMessages() {
        #expect(throws: UsageError("unknown option '--nope' for 'tool run'")) {
            _ = try ArgumentParser.parse(["wc", "--nope"], for: Fixtures.run, programName: "tool")
        }
        let bare = CommandSpec(name: "", summary: "A tool.")
        #expect(throws: UsageError("unexpected argument 'x' for 'tool'")) {
            _ = try ArgumentParser.parse(["x"], for: bare, programName: "tool")
        }
    }

    @Test(arguments: [
        ["wc", "--output", "out", "--workers", "3"],
        ["wc", "--output=out", "--workers=3"],
        ["--output", "out", "wc", "--workers=3"],
        ["--workers", "3", "--output=out", "wc"],
    ])
    func separateAndEqualsFormsAgree(_ arguments: [String]) throws {
        let parsed = try ArgumentParser.parse(arguments, for: Fixtures.run)
        #expect(parsed.positionals == ["wc"])
        #expect(parsed.value("output") == "out")
        #expect(parsed.value("workers") == "3")
        #expect(parsed.helpRequested == false)
    }

    @Test func equalsValueMayContainEqualsAndDashes() throws {
        let parsed = try ArgumentParser.parse(["wc", "--param=a=b=c", "--output=--weird"], for: Fixtures.run)
        #expect(parsed.values("param") == ["a=b=c"])
        #expect(parsed.value("output") == "--weird")
    }

    @Test func repeatableOptionsKeepEveryValueInOrder() throws {
        let parsed = try ArgumentParser.parse(
            ["--input", "a.txt", "wc", "--input=b.txt", "--input", "c.txt"], for: Fixtures.run)
        #expect(parsed.values("input") == ["a.txt", "b.txt", "c.txt"])
        #expect(parsed.value("input") == "c.txt")
        #expect(parsed.values("param").isEmpty)
        #expect(parsed.value("event-log") == nil)
    }

    @Test func flagsAreFalseUnlessGivenAndMayRepeat() throws {
        let parsed = try ArgumentParser.parse(["wc", "--overwrite", "--overwrite"], for: Fixtures.run)
        #expect(parsed.flag("overwrite"))
        #expect(!parsed.flag("no-speculation"))
    }

    @Test(arguments: [["wc", "--x", "-3"], ["wc", "--x=-3"], ["--x", "-3", "wc"]])
    func negativeNumberIsAValue(_ arguments: [String]) throws {
        let parsed = try ArgumentParser.parse(arguments, for: Fixtures.run)
        #expect(parsed.value("x") == "-3")
        #expect(try parsed.int("x", default: 0) == -3)
        #expect(parsed.positionals == ["wc"])
    }

    @Test func negativeNumbersAndLoneDashArePositionals() throws {
        let parsed = try ArgumentParser.parse(["-2.5"], for: Fixtures.run)
        #expect(parsed.positionals == ["-2.5"])
        let dash = try ArgumentParser.parse(["--output", "-", "-"], for: Fixtures.run)
        #expect(dash.value("output") == "-")
        #expect(dash.positionals == ["-"])
    }

    @Test func doubleDashEndsOptions() throws {
        let parsed = try ArgumentParser.parse(["--", "--help"], for: Fixtures.help)
        #expect(parsed.positionals == ["--help"])
        #expect(!parsed.helpRequested)
        let second = try ArgumentParser.parse(["--", "--", "-h"], for: Fixtures.copy)
        #expect(second.positionals == ["--", "-h"])
    }

    @Test func variadicPositionalTakesTheRest() throws {
        let parsed = try ArgumentParser.parse(["/dst", "a", "b", "--", "-c"], for: Fixtures.copy)
        #expect(parsed.positionals == ["/dst", "a", "b", "-c"])
    }

    @Test func optionalPositionalMayBeOmitted() throws {
        #expect(try ArgumentParser.parse([], for: Fixtures.help).positionals == [])
        #expect(try ArgumentParser.parse(["run"], for: Fixtures.help).positionals == ["run"])
    }

    @Test(arguments: [
        ["--help"], ["-h"], ["wc", "--help"], ["--wrokers", "3", "-h"], ["wc", "extra", "--help"],
        ["--overwrite=yes", "--help"], ["--output", "--help"],
    ])
    func helpFlagWinsOverOtherErrors(_ arguments: [String]) throws {
        let parsed = try ArgumentParser.parse(arguments, for: Fixtures.run)
        #expect(parsed.helpRequested)
    }

    @Test func helpIsAcceptedByCommandsWithoutOptions() throws {
        #expect(try ArgumentParser.parse(["-h"], for: Fixtures.jobs).helpRequested)
        #expect(try ArgumentParser.parse([], for: Fixtures.jobs).helpRequested == false)
    }

    static let nearNames: [(typed: String, expected: String)] = [
        ("wrokers", "workers"), ("overwite", "overwrite"), ("ouptut", "output"),
        ("memroy", "memory"), ("inptu", "input"), ("workers", "workers"),
    ]

    @Test(arguments: nearNames)
    func closestMatchFindsNearbyNames(_ typed: String, _ expected: String) {
        let names = Fixtures.run.options.map(\.name)
        #expect(ArgumentParser.closestMatch(to: typed[...], in: names) == expected)
    }

    @Test(arguments: ["zzzzzz", "work", "q", "x", ""])
    func closestMatchOmitsFarNames(_ typed: String) {
        #expect(ArgumentParser.closestMatch(to: typed[...], in: ["workers", "output", "run", "y"]) == nil)
    }

    static let distances: [(String, String, Int)] = [("kitten", "sitting", 3), ("", "abc", 3), ("abc", "", 3), ("flaw", "lawn", 2), ("same", "same", 0)]

    @Test(arguments: distances)
    func editDistanceCountsEdits(_ a: String, _ b: String, _ distance: Int) {
        #expect(ArgumentParser.editDistance(a[...], b) == distance)
    }

    @Test func undeclaredOptionLookupIsAProgrammingError() async {
        await #expect(processExitsWith: .failure) {
            let parsed = try ArgumentParser.parse(["wc"], for: CommandLineFixtures.run)
            _ = parsed.value("not-declared")
        }
    }

    @Test func askingAFlagForItsValueIsAProgrammingError() async {
        await #expect(processExitsWith: .failure) {
            let parsed = try ArgumentParser.parse(["wc"], for: CommandLineFixtures.run)
            _ = parsed.value("overwrite")
        }
    }
}
