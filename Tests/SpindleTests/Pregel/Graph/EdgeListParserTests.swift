import Testing

@testable import Spindle
@testable import SpindleTools

/// Parses `text` as one line.
private func parse(_ text: String) -> EdgeLine? {
    Array(text.utf8).withUnsafeBytes { EdgeListParser.parse($0) }
}

/// The problem `EdgeListParser` reports for `text`.
private func problem(_ text: String) -> String {
    Array(text.utf8).withUnsafeBytes { EdgeListParser.problem($0) }
}

private func edge(_ source: Int64, _ target: Int64, _ weight: Double? = nil) -> EdgeLine {
    .edge(source: source, target: target, weight: weight)
}

@Suite struct EdgeListParserTests {
    @Test func parsesTwoFieldsSeparatedByATab() {
        #expect(parse("1\t2") == edge(1, 2))
    }

    @Test func parsesFieldsSeparatedByRunsOfSpacesAndTabs() {
        #expect(parse("1   2") == edge(1, 2))
        #expect(parse("1 \t \t2") == edge(1, 2))
        #expect(parse("  \t30\t\t40  \t") == edge(30, 40))
        #expect(parse("5 6 \t 0.5 ") == edge(5, 6, 0.5))
    }

    @Test func ignoresATrailingCarriageReturn() {
        #expect(parse("1\t2\r") == edge(1, 2))
        #expect(parse("1 2 3.5\r") == edge(1, 2, 3.5))
        #expect(parse("1 2 \r") == edge(1, 2))
    }

    @Test func parsesSignedIdsIncludingTheInt64Extremes() {
        #expect(parse("-1 +2") == edge(-1, 2))
        #expect(parse("-9223372036854775808 9223372036854775807") == edge(.min, .max))
        #expect(parse("+9223372036854775807 -9223372036854775807") == edge(.max, -.max))
        #expect(parse("0 -0") == edge(0, 0))
        #expect(parse("0000000000000000000000000042 -00000000000000000000009223372036854775808") == edge(42, .min))
        #expect(parse("1000000000000000000 999999999999999999") == edge(1_000_000_000_000_000_000, 999_999_999_999_999_999))
    }

    @Test func parsesWeightsInSeveralNotations() {
        #expect(parse("1 2 1") == edge(1, 2, 1))
        #expect(parse("1 2 2.5") == edge(1, 2, 2.5))
        #expect(parse("1 2 -3e-2") == edge(1, 2, -0.03))
        #expect(parse("1 2 +4E3") == edge(1, 2, 4000))
        #expect(parse("1 2 .5") == edge(1, 2, 0.5))
        #expect(parse("1 2 7.") == edge(1, 2, 7))
        #expect(parse("1 2 0.1") == edge(1, 2, 0.1))
        #expect(parse("1 2 1e300") == edge(1, 2, 1e300))
        #expect(parse("1 2 1e-400") == edge(1, 2, 0))
        #expect(parse("1 2 0.000000000000000000000000000123") == edge(1, 2, 1.23e-28))
        #expect(parse("1 2 3.14159265358979323846264338327950288") == edge(1, 2, 3.14159265358979323846264338327950288))
        #expect(parse("1 2 123456789012345678901234567890") == edge(1, 2, 123456789012345678901234567890.0))
    }

    @Test func negativeZeroWeightKeepsItsSign() throws {
        guard case .edge(_, _, let weight)? = parse("1 2 -0.0") else {
            Issue.record("not an edge")
            return
        }
        let w = try #require(weight)
        #expect(w == 0 && w.sign == .minus)
    }

    @Test func weightsMatchTheStandardLibraryOnRandomDecimals() {
        var random = SeededRandom(seed: 7)
        for _ in 0..<20_000 {
            let digits = String(Int.random(in: 0...999_999_999_999, using: &random))
            let point = Int.random(in: 0...digits.count, using: &random)
            var text = String(digits.prefix(point)) + "." + String(digits.dropFirst(point))
            if text == "." { text = "0" }
            if Bool.random(using: &random) { text += "e\(Int.random(in: -30...30, using: &random))" }
            if Bool.random(using: &random) { text = "-" + text }
            let expected = Double(text)
            #expect(parse("1 2 \(text)") == edge(1, 2, expected), "weight \(text)")
        }
    }

    @Test func skipsBlankLines() {
        #expect(parse("") == .skip)
        #expect(parse("   \t ") == .skip)
        #expect(parse("\r") == .skip)
        #expect(parse(" \t\r") == .skip)
    }

    @Test func skipsCommentLines() {
        #expect(parse("# FromNodeId\tToNodeId") == .skip)
        #expect(parse("#") == .skip)
        #expect(parse("  \t# indented comment 1 2") == .skip)
        #expect(problem("# comment") == "no problem")
    }

    @Test func rejectsWrongFieldCounts() {
        #expect(parse("1") == nil)
        #expect(problem("1") == "expected 2 or 3 fields, found 1")
        #expect(parse("1 2 3 4") == nil)
        #expect(problem("1 2 3 4") == "expected 2 or 3 fields, found 4")
        #expect(parse("1 2 # trailing comment") == nil)
        #expect(problem("1 2 # trailing comment") == "expected 2 or 3 fields, found 5")
    }

    @Test func rejectsIdsThatAreNotIntegers() {
        let cases = ["12x": "'12x' is not an integer", "abc": "'abc' is not an integer", "-": "'-' is not an integer",
                     "+": "'+' is not an integer", "1.5": "'1.5' is not an integer", "--1": "'--1' is not an integer",
                     "1e3": "'1e3' is not an integer", "0x10": "'0x10' is not an integer"]
        for (field, reason) in cases {
            #expect(parse("\(field) 2") == nil, "source \(field)")
            #expect(problem("\(field) 2") == reason)
            #expect(parse("1 \(field)") == nil, "target \(field)")
            #expect(problem("1 \(field)") == reason)
        }
    }

    @Test func rejectsIdsOneDigitOrOneUnitPastInt64() {
        for field in ["9223372036854775808", "-9223372036854775809", "92233720368547758070", "-92233720368547758080",
                      "18446744073709551616", "99999999999999999999", "+9223372036854775808"] {
            #expect(parse("\(field) 2") == nil, "source \(field)")
            #expect(parse("2 \(field)") == nil, "target \(field)")
            #expect(problem("2 \(field)") == "'\(field)' is out of range for a 64-bit integer")
        }
    }

    @Test func rejectsWeightsThatAreNotNumbers() {
        for field in ["abc", "inf", "-inf", "nan", "infinity", "0x1p3", "1e", "1e+", "-", ".", "1.2.3", "1,5", "1e5x", "e5", "--1"] {
            #expect(parse("1 2 \(field)") == nil, "weight \(field)")
            #expect(problem("1 2 \(field)") == "weight '\(field)' is not a number")
        }
    }

    @Test func rejectsWeightsTooLargeForADouble() {
        #expect(parse("1 2 1e999") == nil)
        #expect(problem("1 2 1e999") == "weight '1e999' is out of range")
        #expect(parse("1 2 -1e309") == nil)
    }

    @Test func rejectsCarriageReturnsOtherThanTheLastByte() {
        #expect(parse("1\r2") == nil)
        #expect(parse("1 2\r\r") == nil)
    }

    @Test func problemCutsLongFieldsShort() {
        let long = String(repeating: "x", count: 100)
        #expect(problem("\(long) 2") == "'\(String(repeating: "x", count: 40))…' is not an integer")
    }

    @Test func problemSaysNoProblemForAValidLine() {
        #expect(problem("1 2 0.5") == "no problem")
    }
}
