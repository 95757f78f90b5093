@testable import Spindle
@testable import SpindleTools
import Testing

/// Medians, minima and maxima of repeated measurements.
@Suite struct SampleSummaryTests {
    @Test func medianOfAnOddCountIsTheMiddleValue() throws {
        let summary = try #require(SampleSummary([5.0, 1.0, 3.0]))
        #expect(summary.median == 3.0)
        #expect(summary.min == 1.0)
        #expect(summary.max == 5.0)
        #expect(summary.count == 3)
    }

    @Test func medianOfAnEvenCountIsTheMeanOfTheTwoMiddleValues() throws {
        let summary = try #require(SampleSummary([4.0, 1.0, 10.0, 2.0]))
        #expect(summary.median == 3.0)
        #expect(summary.min == 1.0)
        #expect(summary.max == 10.0)
    }

    @Test func aSingleValueIsItsOwnMedianMinimumAndMaximum() throws {
        let summary = try #require(SampleSummary([2.5]))
        #expect(summary == SampleSummary([2.5]))
        #expect(summary.median == 2.5 && summary.min == 2.5 && summary.max == 2.5)
    }

    @Test func noValuesGiveNoSummary() {
        #expect(SampleSummary([]) == nil)
        #expect(SampleSummary.median([Int]()) == nil)
    }

    @Test func integerMedianRoundsTheMeanOfTheMiddlePair() {
        #expect(SampleSummary.median([10, 20, 30]) == 20)
        #expect(SampleSummary.median([10, 13]) == 12)  // 11.5 rounds away from zero
        #expect(SampleSummary.median([7, 1, 100, 3]) == 5)
    }
}
