import Testing
@testable import SpindleCore

@Suite struct ParsedArgumentsTests {
    private func parse(_ arguments: String...) throws -> ParsedArguments {
        try ArgumentParser.parse(["wc"] + arguments, for: CommandLineFixtures.run)
    }

    @Test func absentOptionsYieldDefaults() throws {
        let parsed = try parse()
        #expect(try parsed.int("workers", default: 2) == 2)
        #expect(try parsed.size("memory", default: 512 << 20) == 512 << 20)
        #expect(try parsed.duration("heartbeat-interval", default: .milliseconds(200)) == .milliseconds(200))
        #expect(try parsed.double("ratio", default: 0.5) == 0.5)
        #expect(try parsed.intList("fanouts", default: [1, 2]) == [1, 2])
        #expect(try parsed.hostPort("listen") == nil)
        #expect(try parsed.keyValues("param").isEmpty)
    }

    @Test func typedGettersConvertGivenValues() throws {
        let parsed = try parse(
            "--workers", "8", "--memory", "1.5GiB", "--heartbeat-timeout=2s", "--ratio", "0.25",
            "--fanouts", "1,2,4", "--fanouts=8", "--listen", "0.0.0.0:9000", "--max-attempts", "4")
        #expect(try parsed.int("workers", default: 1, range: 1...64) == 8)
        #expect(try parsed.int("max-attempts", default: 1, range: 4...4) == 4)
        #expect(try parsed.size("memory", default: 0) == 1_610_612_736)
        #expect(try parsed.duration("heartbeat-timeout", default: .zero) == .seconds(2))
        #expect(try parsed.double("ratio", default: 1) == 0.25)
        #expect(try parsed.intList("fanouts", default: []) == [1, 2, 4, 8])
        #expect(try parsed.hostPort("listen") == HostPort(host: "0.0.0.0", port: 9000))
    }

    @Test func keyValuesSplitAtFirstEquals() throws {
        let parsed = try parse("--param", "k=v", "--param=expr=a=b", "--param", "empty=")
        let pairs = try parsed.keyValues("param")
        #expect(pairs.map(\.key) == ["k", "expr", "empty"])
        #expect(pairs.map(\.value) == ["v", "a=b", ""])
    }

    /// Found by the FuzzArgumentParser fuzz target: "=" followed by a combining mark is one Character, so
    /// splitting at the first "=" Character missed it and refused `--name=VALUE` and `KEY=VALUE`.
    @Test func valuesStartingWithACombiningMarkSplitAtTheEquals() throws {
        let parsed = try parse("--event-log=\u{308}log", "--param", "k=\u{308}v", "--param=k2=\u{301}")
        #expect(parsed.value("event-log") == "\u{308}log")
        let pairs = try parsed.keyValues("param")
        #expect(pairs.map(\.key) == ["k", "k2"])
        #expect(pairs.map(\.value) == ["\u{308}v", "\u{301}"])
    }

    @Test func requiredValueNamesTheMissingOption() throws {
        let parsed = try ArgumentParser.parse([], for: CommandLineFixtures.worker)
        #expect(throws: UsageError("missing required option '--coordinator' for 'spindle worker'")) {
            _ = try parsed.requiredValue("coordinator")
        }
        let given = try ArgumentParser.parse(["--coordinator", "h:1"], for: CommandLineFixtures.worker)
        #expect(try given.requiredValue("coordinator") == "h:1")
    }

    struct GetterCase: Sendable, CustomTestStringConvertible {
        var option: String
        var text: String
        var message: String
        var testDescription: String { "--\(option) \(text)" }
    }

    static let getterErrors: [GetterCase] = [
        GetterCase(option: "workers", text: "many", message: "invalid value 'many' for '--workers': expected an integer"),
        GetterCase(option: "workers", text: "+3", message: "invalid value '+3' for '--workers': expected an integer"),
        GetterCase(option: "workers", text: "3.0", message: "invalid value '3.0' for '--workers': expected an integer"),
        GetterCase(option: "workers", text: "99999999999999999999",
                   message: "invalid value '99999999999999999999' for '--workers': expected an integer"),
        GetterCase(option: "workers", text: "0", message: "invalid value '0' for '--workers': expected an integer in 1...64"),
        GetterCase(option: "workers", text: "65", message: "invalid value '65' for '--workers': expected an integer in 1...64"),
        GetterCase(option: "workers", text: "-3", message: "invalid value '-3' for '--workers': expected an integer in 1...64"),
        GetterCase(option: "memory", text: "12XB",
                   message: "invalid value '12XB' for '--memory': expected a size such as 512MiB or 1.5GiB"),
        GetterCase(option: "memory", text: "-1MiB",
                   message: "invalid value '-1MiB' for '--memory': expected a size such as 512MiB or 1.5GiB"),
        GetterCase(option: "heartbeat-interval", text: "200",
                   message: "invalid value '200' for '--heartbeat-interval': expected a duration such as 200ms or 2s"),
        GetterCase(option: "heartbeat-interval", text: "soon",
                   message: "invalid value 'soon' for '--heartbeat-interval': expected a duration such as 200ms or 2s"),
        GetterCase(option: "ratio", text: "half", message: "invalid value 'half' for '--ratio': expected a number"),
        GetterCase(option: "ratio", text: "nan", message: "invalid value 'nan' for '--ratio': expected a number"),
        GetterCase(option: "ratio", text: "inf", message: "invalid value 'inf' for '--ratio': expected a number"),
        GetterCase(option: "fanouts", text: "1,,2",
                   message: "invalid value '1,,2' for '--fanouts': expected comma-separated integers such as 1,2,4"),
        GetterCase(option: "fanouts", text: "1,2,",
                   message: "invalid value '1,2,' for '--fanouts': expected comma-separated integers such as 1,2,4"),
        GetterCase(option: "fanouts", text: "1;2",
                   message: "invalid value '1;2' for '--fanouts': expected comma-separated integers such as 1,2,4"),
        GetterCase(option: "listen", text: "7070",
                   message: "invalid value '7070' for '--listen': expected HOST:PORT such as 127.0.0.1:7070"),
        GetterCase(option: "listen", text: "host:70000",
                   message: "invalid value 'host:70000' for '--listen': expected HOST:PORT such as 127.0.0.1:7070"),
        GetterCase(option: "param", text: "novalue", message: "invalid value 'novalue' for '--param': expected KEY=VALUE"),
        GetterCase(option: "param", text: "=v",
                   message: "invalid value '=v' for '--param': expected KEY=VALUE with a non-empty key"),
    ]

    @Test(arguments: getterErrors)
    func badValuesThrowExactMessage(_ testCase: GetterCase) throws {
        let parsed = try parse("--\(testCase.option)=\(testCase.text)")
        #expect(throws: UsageError(testCase.message)) {
            switch testCase.option {
            case "workers": _ = try parsed.int("workers", default: 1, range: 1...64)
            case "memory": _ = try parsed.size("memory", default: 0)
            case "heartbeat-interval": _ = try parsed.duration("heartbeat-interval", default: .zero)
            case "ratio": _ = try parsed.double("ratio", default: 0)
            case "fanouts": _ = try parsed.intList("fanouts", default: [])
            case "listen": _ = try parsed.hostPort("listen")
            case "param": _ = try parsed.keyValues("param")
            default: Issue.record("no getter for \(testCase.option)")
            }
        }
    }

    @Test func intWithoutRangeAcceptsAnyInteger() throws {
        let parsed = try parse("--workers", "-1000")
        #expect(try parsed.int("workers", default: 0) == -1000)
    }

    @Test func lastValueWinsForTypedGettersOnRepeatables() throws {
        let parsed = try parse("--input", "a", "--input", "b")
        #expect(parsed.value("input") == "b")
    }
}
