@testable import Spindle
import SpindleCore
import SpindlePosix
import Testing

/// The message log's memory budget: in-memory outputs stay in memory while they fit, the others go to scratch
/// files that serve the same bytes, the memory held never exceeds the budget, and pruning gives it back.
@Suite struct MessageLogTests {
    /// An in-memory output of 3 partitions holding `records` records of 100 bytes each, served under `attempt`.
    private func served(_ attempt: Int, records: Int, on exchange: ExchangeServer) throws -> PartitionedFile {
        let writer = PartitionedFileWriter(memoryNamed: "output \(attempt)", partitionCount: 3)
        let value = [UInt8](repeating: UInt8(attempt), count: 100)
        for i in 0..<records {
            try value.withUnsafeBytes { try writer.append(partition: 3 * i / records, key: UnsafeRawBufferPointer(start: nil, count: 0), value: $0) }
        }
        let file = try writer.finishInMemory().file
        exchange.register(AttemptID(UInt64(attempt)), file: file)
        return file
    }

    private func bytes(_ file: PartitionedFile) -> [UInt8] { Array(file.contents) }

    @Test func outputsStayInMemoryUpToTheBudgetAndTheRestIsSpilledWithTheSameBytes() throws {
        let dir = try TemporaryDirectory()
        let exchange = ExchangeServer(network: try InProcessNetwork())
        defer { exchange.stop() }
        let first = try served(1, records: 30, on: exchange)
        let budget = MessageLogBudget(limit: first.fileSize + first.fileSize / 2)
        var entries: [MessageLog.Entry] = []
        for (s, attempt) in [(4, 1), (5, 2), (6, 3)] {
            if attempt > 1 { _ = try served(attempt, records: 30, on: exchange) }
            let original = bytes(try #require(exchange.localOutput(AttemptID(UInt64(attempt)))))
            let entry = try #require(
                MessageLog.keep((s, AttemptID(UInt64(attempt)), nil), path: dir.file("log-\(s)"), exchange: exchange, budget: budget))
            entries.append(entry)
            #expect(budget.inMemory <= budget.limit, "the log holds \(budget.inMemory) bytes over a budget of \(budget.limit)")
            if attempt > 1 {
                // Over the budget: written to scratch, then served from there with the same bytes.
                #expect(entry.file == dir.file("log-\(s)") && entry.memoryBytes == 0)
                #expect(eventually(within: .seconds(20)) { exchange.localOutput(AttemptID(UInt64(attempt)))?.isInMemory == false })
                #expect(bytes(try #require(exchange.localOutput(AttemptID(UInt64(attempt))))) == original)
            }
        }
        #expect(entries[0].file == nil && entries[0].memoryBytes == first.fileSize, "the first output fits and stays in memory")
        #expect(exchange.localOutput(AttemptID(1)) === first, "kept as it is: no copy")
        #expect(budget.inMemory == first.fileSize)

        MessageLog.prune(&entries, upTo: 5, exchange: exchange, budget: budget)
        #expect(budget.inMemory == 0, "pruning gives the memory back")
        #expect(exchange.localOutput(AttemptID(1)) == nil)
        #expect(eventually(within: .seconds(20)) { !FileSystem.exists(dir.file("log-5")) && exchange.localOutput(AttemptID(2)) == nil })
        #expect(entries.map(\.superstep) == [6])
        // Freed memory takes the next output in memory again.
        _ = try served(4, records: 30, on: exchange)
        let next = try #require(MessageLog.keep((7, AttemptID(4), nil), path: dir.file("log-7"), exchange: exchange, budget: budget))
        #expect(next.file == nil && budget.inMemory == next.memoryBytes)
        MessageLog.release(entries + [next], exchange: exchange, budget: budget)
        #expect(budget.inMemory == 0)
        #expect(eventually(within: .seconds(20)) { !FileSystem.exists(dir.file("log-6")) })
    }

    @Test func aBudgetOfZeroSpillsEveryOutput() throws {
        let dir = try TemporaryDirectory()
        let exchange = ExchangeServer(network: try InProcessNetwork())
        defer { exchange.stop() }
        let budget = MessageLogBudget(limit: 0)
        let output = try served(1, records: 10, on: exchange)
        let entry = try #require(MessageLog.keep((2, AttemptID(1), nil), path: dir.file("log-2"), exchange: exchange, budget: budget))
        #expect(entry.file == dir.file("log-2") && entry.memoryBytes == 0 && budget.inMemory == 0)
        #expect(eventually(within: .seconds(20)) { exchange.localOutput(AttemptID(1))?.isInMemory == false })
        #expect(bytes(try #require(exchange.localOutput(AttemptID(1)))) == bytes(output))
    }

    @Test func theBudgetRefusesWhatDoesNotFit() {
        let budget = MessageLogBudget(limit: 100)
        #expect(budget.reserve(60))
        #expect(!budget.reserve(41), "60 + 41 bytes exceed the limit")
        #expect(budget.reserve(40))
        #expect(!budget.reserve(1))
        budget.release(60)
        #expect(budget.inMemory == 40)
        #expect(!MessageLogBudget(limit: 0).reserve(1))
    }
}
