import Testing

@Suite struct OracleOutputTests {
    @Test func distancesPrintIntegralValuesAsIntegers() {
        #expect(PregelOutput.distanceText(3) == "3")
        #expect(PregelOutput.distanceText(0) == "0")
        #expect(PregelOutput.distanceText(3.5) == "3.5")
        #expect(PregelOutput.distanceText(0.1 + 0.2) == "0.30000000000000004")
        #expect(PregelOutput.distanceText(1e15) == "1000000000000000.0")
        #expect(PregelOutput.distanceText(1e300) == "1e+300")
        #expect(PregelOutput.distanceText(999_999_999_999_999) == "999999999999999")
        #expect(PregelOutput.distanceText(nil) == "inf")
        #expect(PregelOutput.distanceText(.infinity) == "inf")
    }

    @Test func linesUseTabsAndSwiftDoubleDescriptions() {
        #expect(PregelOutput.pagerankLines([2: 0.25, -1: 1.0 / 3, 7: 1e-05]) == ["-1\t0.3333333333333333", "2\t0.25", "7\t1e-05"])
        #expect(PregelOutput.componentLines([5: 1, 1: 1, -9: -9]) == ["-9\t-9", "1\t1", "5\t1"])
        #expect(PregelOutput.ssspLines([1: 0, 2: 2.5, 3: nil, 4: 4]) == ["1\t0", "2\t2.5", "3\tinf", "4\t4"])
    }

    @Test func parsedLinesRoundTrip() throws {
        let ranks: [Int64: Double] = [.min: 0.1, .max: 0.2, 0: 1.0 / 7]
        #expect(try PregelOutput.numbers(PregelOutput.pagerankLines(ranks).reversed()) == ranks)
        #expect(try PregelOutput.labels(["3\t-2", "-2\t-2"]) == [3: -2, -2: -2])
        #expect(try PregelOutput.numbers(["1\t0", "2\tinf", "3\t2.5"]) == [1: 0, 2: .infinity, 3: 2.5])
        #expect(try PregelOutput.values(["1\tinf", "2\t3"]) == [1: "inf", 2: "3"])
    }

    @Test func malformedOrDuplicateOutputLinesThrow() {
        #expect(throws: PregelOutput.ParseError.self) { try PregelOutput.values(["1\t2", "1\t3"]) }
        #expect(throws: PregelOutput.ParseError.self) { try PregelOutput.values(["1 2"]) }
        #expect(throws: PregelOutput.ParseError.self) { try PregelOutput.values(["x\t2"]) }
        #expect(throws: PregelOutput.ParseError.self) { try PregelOutput.numbers(["1\tabc"]) }
        #expect(throws: PregelOutput.ParseError.self) { try PregelOutput.labels(["1\t2.5"]) }
    }

    @Test func rankComparisonUsesRelativeTolerance() {
        let expected: [Int64: Double] = [1: 0.5, 2: 1e-6]
        #expect(PregelOutput.ranksAgree(expected, [1: 0.5 * (1 + 5e-10), 2: 1e-6 * (1 - 5e-10)]))
        #expect(!PregelOutput.ranksAgree(expected, [1: 0.5, 2: 1e-6 * (1 + 2e-9)]))
        #expect(!PregelOutput.ranksAgree(expected, [1: 0.5]))
        #expect(!PregelOutput.ranksAgree(expected, [1: 0.5, 2: 1e-6, 3: 0]))
        #expect(!PregelOutput.ranksAgree(expected, [1: 0.5, 2: .nan]))
        let problems = PregelOutput.rankMismatches(expected: expected, actual: [2: 2e-6, 9: 1])
        #expect(problems.count == 3)
        #expect(problems[0].contains("vertex 1 missing"))
        #expect(abs(PregelOutput.maxRelativeDifference(expected, [1: 0.5, 2: 2e-6]) - 0.5) < 1e-15)
    }
}
