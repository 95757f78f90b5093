import SpindleCore
import SpindlePosix
import Testing

@testable import Spindle

extension ExchangeTests {
    /// The one spilling partitioned buffer under the map side, the BSP outbox and the graph loaders: spills at
    /// the budget, stable merges, folding, and no scratch file left behind, driven with a `RecordBuffer` store.
    @Suite struct PartitionedSpillBufferTests {
        /// Appends `records` to `store`, letting `spills` spill it whenever it passes the budget.
        static func add(_ records: [TestRecord], to store: RecordBuffer, _ spills: PartitionedSpillBuffer) throws {
            for r in records {
                r.key.withUnsafeBytes { k in r.value.withUnsafeBytes { v in store.append(partition: r.partition, key: k, value: v) } }
                try spills.spillIfFull(store)
            }
        }

        /// Finishes into `dir/out` and checks the returned sizes against the file; returns the file's records.
        static func finish(_ store: RecordBuffer, _ spills: PartitionedSpillBuffer, in dir: TemporaryDirectory) throws -> [TestRecord] {
            let sizes = try spills.finish(store, path: dir.file("out"))
            let file = try PartitionedFile(path: dir.file("out"))
            #expect(sizes == file.partitionSizes)
            #expect(sizes.count == spills.partitionCount)
            #expect(try FileSystem.listDirectory(dir.path) == ["out"], "runs are removed")
            return try readPartitioned(file)
        }

        /// Small budgets spill often (budget 1: every record, so more runs than one merge takes); the file holds
        /// the records sorted by (partition, key) with equal keys in the order they were added.
        @Test(arguments: [1 << 30, 4096, 1])
        func everyRecordArrivesSortedAndStableWhateverTheSpills(budget: Int) throws {
            let dir = try TemporaryDirectory()
            let records = RecordBufferTests.randomRecords(budget == 1 ? 3_000 : 20_000, partitions: 7, seed: UInt64(budget), emptyValues: true)
            let store = RecordBuffer()
            let spills = PartitionedSpillBuffer(partitionCount: 7, budget: budget, scratchPrefix: dir.file("t"))
            try Self.add(records, to: store, spills)
            switch budget {
            case 1 << 30: #expect(spills.spillCount == 0)
            case 1: #expect(spills.spillCount == records.count, "every record spilled at once")
            default: #expect(spills.spillCount > 10)
            }
            #expect(try Self.finish(store, spills, in: dir) == stableSorted(records))
            #expect(spills.spilledRecords == (budget == 1 << 30 ? 0 : records.count))
        }

        /// A store at the budget stays in memory; one byte more spills it, and the spill empties it.
        @Test func aStoreSpillsOnceItHoldsMoreThanTheBudget() throws {
            let dir = try TemporaryDirectory()
            let store = RecordBuffer()
            let record = TestRecord(partition: 0, key: Array("12345678".utf8), value: [])
            let recordBytes = record.key.count + MemoryLayout<RecordBuffer.Entry>.stride
            let spills = PartitionedSpillBuffer(partitionCount: 2, budget: 2 * recordBytes, scratchPrefix: dir.file("t"))
            try Self.add([record, record], to: store, spills)
            #expect(store.byteCount == spills.budget)
            #expect(spills.runs.isEmpty && store.count == 2)
            try Self.add([record], to: store, spills)
            #expect(spills.runs == [dir.file("t-spill-0")])
            #expect(store.count == 0 && spills.spilledRecords == 3)
            #expect(try Self.finish(store, spills, in: dir) == [record, record, record])
        }

        /// Partitions nobody wrote to are empty ranges, with and without spills; so is every partition of an
        /// empty buffer.
        @Test(arguments: [1 << 30, 64])
        func partitionsWithoutRecordsAreEmpty(budget: Int) throws {
            let dir = try TemporaryDirectory()
            let records = (0..<200).map { TestRecord(partition: $0 % 2 == 0 ? 1 : 3, key: Array("k\($0 % 17)".utf8), value: [UInt8($0)]) }
            let store = RecordBuffer()
            let spills = PartitionedSpillBuffer(partitionCount: 5, budget: budget, scratchPrefix: dir.file("t"))
            try Self.add(records, to: store, spills)
            #expect(try Self.finish(store, spills, in: dir) == stableSorted(records))
            let file = try PartitionedFile(path: dir.file("out"))
            #expect(file.partitionSizes.enumerated().allSatisfy { ($0.element == 0) == ![1, 3].contains($0.offset) })

            let emptyDir = try TemporaryDirectory()
            let empty = PartitionedSpillBuffer(partitionCount: 3, budget: budget, scratchPrefix: emptyDir.file("t"))
            #expect(try Self.finish(RecordBuffer(), empty, in: emptyDir).isEmpty)
            #expect(try PartitionedFile(path: emptyDir.file("out")).partitionSizes == [0, 0, 0])
        }

        /// A record far larger than the budget (and than a block) is spilled alone and comes back whole.
        @Test func aRecordLargerThanTheBudgetIsSpilledAndReadBackWhole() throws {
            let dir = try TemporaryDirectory()
            var rng = SplitMix64(seed: 9)
            let huge = TestRecord(partition: 1, key: Array("huge".utf8), value: randomBytes(3 << 20, &rng))
            let small = (0..<50).map { TestRecord(partition: $0 % 3, key: Array("s\($0)".utf8), value: randomBytes(20, &rng)) }
            let records = Array(small[..<25]) + [huge] + Array(small[25...])
            let store = RecordBuffer()
            let spills = PartitionedSpillBuffer(partitionCount: 3, budget: 1024, scratchPrefix: dir.file("t"))
            try Self.add(records, to: store, spills)
            #expect(spills.spillCount >= 2)
            #expect(try Self.finish(store, spills, in: dir) == stableSorted(records))
        }

        /// With a folding, the merge leaves one record per key holding the sum of its values, across runs and
        /// merge passes.
        @Test(arguments: [1 << 30, 256, 1])
        func foldingCombinesEqualKeysAcrossRuns(budget: Int) throws {
            let dir = try TemporaryDirectory()
            let store = RecordBuffer()
            let spills = PartitionedSpillBuffer(
                partitionCount: 2, budget: budget, scratchPrefix: dir.file("t"), folding: CombineFolding<Int> { $0 += $1 })
            var expected: [Int: [String: Int]] = [:]
            var records: [TestRecord] = []
            for i in 0..<600 {
                let key = "w\(i * 7 % 40)", partition = (i * 7 % 40) % 2
                expected[partition, default: [:]][key, default: 0] += i
                records.append(TestRecord(partition: partition, key: Array(key.utf8), value: i.wireEncoded()))
            }
            try Self.add(records, to: store, spills)
            let read = try Self.finish(store, spills, in: dir)
            if budget == 1 << 30 {
                #expect(read == stableSorted(records), "records written without a merge are not folded")
                return
            }
            let sums = Dictionary(grouping: read, by: \.partition).mapValues { group in
                Dictionary(uniqueKeysWithValues: try! group.map { r in (String(decoding: r.key, as: UTF8.self), try WireReader.decode(Int.self, from: r.value)) })
            }
            #expect(sums == expected)
            #expect(read.map(\.key) == stableSorted(read).map(\.key), "sorted by partition and key")
        }

        /// A fold that throws fails the finish, which leaves neither runs nor a partial file behind.
        @Test func aFailedMergeLeavesNoScratchFile() throws {
            struct Refused: Error {}
            final class Refusing: ValueFolding {
                func start(_ value: UnsafeRawBufferPointer) throws { if value.first == 9 { throw Refused() } }
                func add(_ value: UnsafeRawBufferPointer) throws {}
                func withResult(_ body: (UnsafeRawBufferPointer) throws -> Void) throws { try body(UnsafeRawBufferPointer(start: nil, count: 0)) }
            }
            let dir = try TemporaryDirectory()
            let store = RecordBuffer()
            let spills = PartitionedSpillBuffer(partitionCount: 2, budget: 64, scratchPrefix: dir.file("t"), folding: Refusing())
            try Self.add((0..<100).map { TestRecord(partition: $0 % 2, key: [UInt8($0 % 10)], value: [UInt8($0 % 10)]) }, to: store, spills)
            #expect(spills.runs.count > 1)
            #expect(throws: Refused.self) { try spills.finish(store, path: dir.file("out")) }
            #expect(try FileSystem.listDirectory(dir.path) == [])
        }

        /// A run damaged on disk fails the finish with the run's name, and nothing is left behind.
        @Test func aDamagedRunFailsTheFinishAndLeavesNoScratchFile() throws {
            let dir = try TemporaryDirectory()
            let store = RecordBuffer()
            let spills = PartitionedSpillBuffer(partitionCount: 1, budget: 512, scratchPrefix: dir.file("t"))
            try Self.add((0..<100).map { TestRecord(partition: 0, key: Array("key\($0)".utf8), value: []) }, to: store, spills)
            let run = try #require(spills.runs.first)
            var bytes = try FileSystem.readFile(run)
            bytes[12] ^= 0x40
            try writeBytes(bytes, to: run)
            let error = #expect(throws: CorruptDataError.self) { try spills.finish(store, path: dir.file("out")) }
            #expect(error?.source == run)
            #expect(try FileSystem.listDirectory(dir.path) == [])
        }

        /// A buffer dropped before its finish (a task that failed) removes its runs.
        @Test func anUnfinishedBufferRemovesItsRuns() throws {
            let dir = try TemporaryDirectory()
            do {
                let store = RecordBuffer()
                let spills = PartitionedSpillBuffer(partitionCount: 3, budget: 128, scratchPrefix: dir.file("t"))
                try Self.add(RecordBufferTests.randomRecords(200, partitions: 3, seed: 4), to: store, spills)
                #expect(try FileSystem.listDirectory(dir.path).count == spills.runs.count && spills.runs.count > 1)
            }
            #expect(try FileSystem.listDirectory(dir.path) == [])
        }
    }
}
