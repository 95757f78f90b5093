import Testing

@testable import Spindle

@Suite struct AggregatorTests {
    /// Contributions folded one at a time from the identity, as a partition does.
    private func contribute(_ amounts: [Double], to aggregator: Aggregator) -> Double {
        amounts.reduce(aggregator.identity) { aggregator.add($1, to: $0) }
    }

    private let amounts: [Double] = [3, -7.5, 0, 12, 2.25, -1]

    @Test func sumAddsContributionsAndPartials() {
        let sum = Aggregator.sum("total")
        #expect(sum.name == "total")
        #expect(sum.identity == 0)
        #expect(contribute(amounts, to: sum) == 8.75)
        #expect(sum.fold(8.75, 1.25) == 10)
    }

    @Test func minAndMaxKeepTheExtremes() {
        let min = Aggregator.min("low")
        let max = Aggregator.max("high")
        #expect(min.identity == .infinity && max.identity == -.infinity)
        #expect(contribute(amounts, to: min) == -7.5)
        #expect(contribute(amounts, to: max) == 12)
        #expect(contribute([], to: min) == .infinity)
        #expect(min.fold(-7.5, -8) == -8 && min.fold(-7.5, 3) == -7.5)
        #expect(max.fold(12, 13) == 13 && max.fold(12, -3) == 12)
    }

    @Test func countCountsContributionsNotAmounts() {
        let count = Aggregator.count("n")
        #expect(count.identity == 0)
        #expect(contribute(amounts, to: count) == 6)
        #expect(contribute([0, 0, 0], to: count) == 3)
        #expect(count.add(100, to: 4) == 5)
        // Partials of several partitions add up.
        #expect(count.fold(6, 3) == 9)
    }

    @Test func customFoldFoldsContributions() {
        let product = Aggregator("product", identity: 1, fold: *)
        #expect(contribute([2, 3, -4], to: product) == -24)
        #expect(product.fold(-24, 0.5) == -12)
    }

    /// A built-in aggregator whose fold is replaced afterwards folds with the new closure.
    @Test func reassignedFoldIsUsed() {
        var product = Aggregator.sum("product")
        product.fold = { $0 * $1 }
        product.identity = 1
        #expect(contribute([2, 3, -4], to: product) == -24)
        #expect(product.fold(2, 5) == 10)

        var larger = Aggregator.min("larger")
        larger.fold = { Swift.max($0, $1) }
        #expect(larger.add(5, to: 1) == 5)

        // A count with another fold still contributes 1 per contribution.
        var saturating = Aggregator.count("seen")
        saturating.fold = { Swift.min($0 + $1, 2) }
        #expect(contribute([7, 7, 7, 7], to: saturating) == 2)
    }

    @Test func aggregatorValuesFoldPartialsElementwise() {
        let aggregators = [Aggregator.sum("s"), .min("lo"), .max("hi"), .count("n")]
        var global = AggregatorValues(aggregators)
        #expect(global.values == [0, .infinity, -.infinity, 0])
        global.fold(AggregatorValues(values: [1.5, 4, 4, 2]), with: aggregators)
        global.fold(AggregatorValues(values: [2, -1, 3, 5]), with: aggregators)
        #expect(global == AggregatorValues(values: [3.5, -1, 4, 7]))
    }
}
