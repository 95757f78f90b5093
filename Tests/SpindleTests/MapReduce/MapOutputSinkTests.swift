import Foundation
import SpindleCore
import SpindlePosix
import Testing

@testable import Spindle

/// The map-side buffer, spills and merge, driven directly with tiny memory budgets.
@Suite struct MapOutputSinkTests {
    private func readAll(_ path: String, partitions: Int) throws -> [[(String, Int)]] {
        let file = try PartitionedFile(path: path)
        return try (0..<partitions).map { p in
            var cursor = file.cursor(p)
            var records: [(String, Int)] = []
            while try cursor.next() {
                var reader = WireReader(cursor.value)
                records.append((String(decoding: cursor.key, as: UTF8.self), try Int(from: &reader)))
            }
            return records
        }
    }

    @Test(arguments: [true, false])
    func manySpillsMergeInPassesAndCombineExactly(combining: Bool) throws {
        let dir = try TemporaryDirectory()
        let partitions = 3
        let counters = Counters()
        let sum: @Sendable (inout Int, Int) -> Void = { total, value in total += value }
        let combine = combining ? sum : nil
        let sink = MapOutputSink<Int>(
            budget: 4096, partitioner: PartitionFunction(kind: .hash, partitions: partitions), combine: combine,
            scratchPrefix: dir.file("t"), counters: counters, direct: nil)
        let output = MapOutput<String, Int>(sink: sink, combine: combine, counters: counters)
        var expected: [String: Int] = [:]
        for round in 0..<3 {
            for i in 0..<6_000 {
                let key = "k\(i * 7919 % 6_000)"
                output.emit(key, round + 1)
                expected[key, default: 0] += round + 1
            }
        }
        let sizes = try sink.finish(table: output.table, finalPath: dir.file("final"))
        #expect(sizes.count == partitions)
        #expect(counters[CounterName.spills] > MapOutputSink<Int>.mergeFanIn, "the test must force a multi-pass merge")
        let parts = try readAll(dir.file("final"), partitions: partitions)
        var seen: [String: Int] = [:]
        for (p, records) in parts.enumerated() {
            let keys = records.map { Array($0.0.utf8) }
            #expect(zip(keys, keys.dropFirst()).allSatisfy { !$1.lexicographicallyPrecedes($0) }, "partition \(p) is not sorted")
            if combining { #expect(Set(records.map(\.0)).count == records.count, "combined output has duplicate keys") }
            for (key, value) in records {
                seen[key, default: 0] += value
            }
        }
        #expect(seen == expected)
        // Spill files are gone; only the final file remains.
        #expect(try FileSystem.listDirectory(dir.path) == ["final"])
    }

    @Test func recordsLandInThePartitionTheirKeyHashesTo() throws {
        let dir = try TemporaryDirectory()
        let counters = Counters()
        let partitioner = PartitionFunction(kind: .hash, partitions: 4)
        let sink = MapOutputSink<Int>(budget: 1 << 20, partitioner: partitioner, combine: nil, scratchPrefix: dir.file("t"), counters: counters, direct: nil)
        let output = MapOutput<String, Int>(sink: sink, combine: nil, counters: counters)
        for i in 0..<500 { output.emit("key-\(i)", i) }
        _ = try sink.finish(table: output.table, finalPath: dir.file("final"))
        for (p, records) in try readAll(dir.file("final"), partitions: 4).enumerated() {
            for (key, _) in records {
                let bytes = Array(key.utf8)
                let expected = bytes.withUnsafeBytes { partitioner.partition(key: $0) }
                #expect(expected == p)
            }
        }
    }
}
