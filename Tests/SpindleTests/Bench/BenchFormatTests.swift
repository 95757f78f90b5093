@testable import Spindle
@testable import SpindleTools
import Testing

/// Locale-independent number and date formatting of the benchmark output.
@Suite struct BenchFormatTests {
    @Test(arguments: [
        (2.5, 3, "2.500"), (0.0004, 3, "0.000"), (0.0005, 3, "0.001"), (1.999, 2, "2.00"), (12.0, 0, "12"),
        (-1.25, 1, "-1.3"), (-0.0001, 2, "0.00"), (Double.nan, 2, "-"), (Double.infinity, 2, "-"),
    ])
    func fixedRoundsToTheGivenDecimals(value: Double, digits: Int, expected: String) {
        #expect(BenchFormat.fixed(value, digits) == expected)
    }

    @Test(arguments: [
        (Int64(0), "1970-01-01 00:00 UTC"),
        (Int64(951_782_400_000), "2000-02-29 00:00 UTC"),
        (Int64(1_709_251_199_000), "2024-02-29 23:59 UTC"),
        (Int64(1_798_761_540_000), "2026-12-31 23:59 UTC"),
        (Int64(-60_000), "1969-12-31 23:59 UTC"),
    ])
    func utcDateShowsTheCalendarDateAndMinute(milliseconds: Int64, expected: String) {
        #expect(BenchFormat.utcDate(unixMilliseconds: milliseconds) == expected)
    }

    @Test func tableAlignsNumbersRightAndTheFirstColumnLeft() {
        let table = TextTable(header: ["workers", "median"], rows: [["1", "10.000"], ["baseline", "2.5"]])
        #expect(
            table.lines() == [
                "  workers   median",
                "  1         10.000",
                "  baseline     2.5",
            ])
    }
}
