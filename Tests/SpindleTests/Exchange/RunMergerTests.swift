@testable import Spindle
import SpindleCore
import Testing

extension ExchangeTests {
    /// K-way merging of sorted runs: order, stability across runs, edge counts, corruption.
    @Suite struct RunMergerTests {
        /// `runs` sorted runs of random sizes (some empty) with many duplicate keys across and within runs.
        static func randomRuns(_ runs: Int, seed: UInt64, maxLength: Int) -> [[TestRecord]] {
            var rng = SplitMix64(seed: seed)
            return (0..<runs).map { run in
                let length = rng.next() % 7 == 0 ? 0 : Int(rng.next() % UInt64(maxLength + 1))
                let records = (0..<length).map { i in
                    TestRecord(partition: 0, key: randomBytes(Int(rng.next() % 4), &rng, alphabet: [0, 1, 2, 0xFF]), value: Array("\(run):\(i)".utf8))
                }
                return stableSorted(records)
            }
        }

        static func merge(_ runs: [[TestRecord]]) throws -> [(record: TestRecord, source: Int)] {
            let buffers = try runs.map { BlockBuffer(try encodeBlocks($0)) }
            let merger = RunMerger(cursors: buffers.enumerated().map { $0.element.cursor(source: "run \($0.offset)") })
            #expect(merger.runCount == runs.count)
            var out: [(TestRecord, Int)] = []
            while try merger.next() {
                out.append((TestRecord(partition: 0, key: Array(merger.key), value: Array(merger.value)), merger.source))
            }
            #expect(try !merger.next())
            return out
        }

        /// The runs concatenated in index order, then sorted stably by key.
        static func expected(_ runs: [[TestRecord]]) -> [(record: TestRecord, source: Int)] {
            let tagged = runs.enumerated().flatMap { run in run.element.map { (record: $0, source: run.offset) } }
            return tagged.enumerated().sorted { x, y in
                if x.element.record.key != y.element.record.key { return keyLess(x.element.record.key, y.element.record.key) }
                return x.offset < y.offset
            }.map(\.element)
        }

        @Test(arguments: [(0, 1 as UInt64), (1, 2), (2, 3), (2, 4), (300, 5), (17, 6)])
        func mergeEqualsStableSortOfConcatenation(runs: Int, seed: UInt64) throws {
            let input = Self.randomRuns(runs, seed: seed, maxLength: runs > 100 ? 200 : 3000)
            let merged = try Self.merge(input)
            let expected = Self.expected(input)
            #expect(merged.count == expected.count)
            #expect(merged.map(\.record) == expected.map(\.record))
            #expect(merged.map(\.source) == expected.map(\.source))
        }

        @Test func runsThatAreAllEmptyYieldNothing() throws {
            #expect(try Self.merge([[], [], []]).isEmpty)
            #expect(try Self.merge([]).isEmpty)
        }

        @Test func identicalKeysComeOutInRunOrder() throws {
            let runs = (0..<5).map { run in (0..<3).map { TestRecord(partition: 0, key: [7], value: [UInt8(run), UInt8($0)]) } }
            let merged = try Self.merge(runs.reversed().map { $0 })
            #expect(merged.map(\.source) == [0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4])
            #expect(merged.map { $0.record.value } == (0..<5).reversed().flatMap { run in (0..<3).map { [UInt8(run), UInt8($0)] } })
        }

        @Test func corruptRunSurfacesAsCorruptDataError() throws {
            let good = BlockBuffer(try encodeBlocks([TestRecord(partition: 0, key: [1], value: [1])]))
            var damaged = try encodeBlocks([TestRecord(partition: 0, key: [2], value: [2])])
            damaged[9] ^= 0x10
            let bad = BlockBuffer(damaged)
            let merger = RunMerger(cursors: [good.cursor(source: "good"), bad.cursor(source: "map task 4 output")])
            let error = #expect(throws: CorruptDataError.self) { while try merger.next() {} }
            #expect(error?.source == "map task 4 output")
        }
    }
}
