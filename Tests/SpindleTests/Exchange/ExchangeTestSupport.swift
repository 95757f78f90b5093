@testable import Spindle
import SpindleCore
import SpindlePosix
import Testing

/// Parent suite of the exchange-layer tests, so `--filter SpindleTests.ExchangeTests` selects them all.
@Suite enum ExchangeTests {}

/// Deterministic generator (SplitMix64) so failures reproduce.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// A test record with owned bytes.
struct TestRecord: Equatable, CustomStringConvertible {
    var partition: Int
    var key: [UInt8]
    var value: [UInt8]
    var description: String { "(\(partition), \(key), \(value.count) value bytes)" }
}

/// Unsigned lexicographic order with a proper prefix first, as `ByteString.compare`.
func keyLess(_ a: [UInt8], _ b: [UInt8]) -> Bool { a.lexicographicallyPrecedes(b) }

/// Random bytes of `count` drawn from `alphabet` (all 256 values when nil).
func randomBytes(_ count: Int, _ rng: inout SplitMix64, alphabet: [UInt8]? = nil) -> [UInt8] {
    var bytes = [UInt8](repeating: 0, count: count)
    if let alphabet {
        for i in 0..<count { bytes[i] = alphabet[Int(rng.next() % UInt64(alphabet.count))] }
    } else {
        var word: UInt64 = 0
        for i in 0..<count {
            if i % 8 == 0 { word = rng.next() }
            bytes[i] = UInt8(truncatingIfNeeded: word >> (8 * UInt64(i % 8)))
        }
    }
    return bytes
}

/// Sorts by (partition, key), keeping the given order on ties (via the original index).
func stableSorted(_ records: [TestRecord]) -> [TestRecord] {
    records.enumerated().sorted { x, y in
        if x.element.partition != y.element.partition { return x.element.partition < y.element.partition }
        if x.element.key != y.element.key { return keyLess(x.element.key, y.element.key) }
        return x.offset < y.offset
    }.map(\.element)
}

/// Writes `records` (sorted by partition, then key) as a partitioned file; returns the partition sizes.
@discardableResult
func writePartitioned(_ records: [TestRecord], partitions: Int, path: String) throws -> [Int] {
    let writer = try PartitionedFileWriter(path: path, partitionCount: partitions)
    for r in records {
        try r.key.withUnsafeBytes { k in try r.value.withUnsafeBytes { v in try writer.append(partition: r.partition, key: k, value: v) } }
    }
    #expect(writer.recordCount == records.count)
    return try writer.finish(sync: false)
}

/// Reads every record of every partition of `file` through cursors.
func readPartitioned(_ file: PartitionedFile) throws -> [TestRecord] {
    var out: [TestRecord] = []
    for p in 0..<file.partitionCount {
        var cursor = file.cursor(p)
        while try cursor.next() {
            out.append(TestRecord(partition: p, key: Array(cursor.key), value: Array(cursor.value)))
        }
    }
    return out
}

/// Encodes `records` (keys and values only) as blocks in memory.
func encodeBlocks(_ records: [TestRecord]) throws -> [UInt8] {
    let writer = RecordBlockWriter()
    for r in records {
        try r.key.withUnsafeBytes { k in try r.value.withUnsafeBytes { v in try writer.append(key: k, value: v) } }
    }
    try writer.flush()
    return writer.memoryBytes
}

/// Writes `bytes` to `path`, replacing it.
func writeBytes(_ bytes: [UInt8], to path: String) throws {
    let file = try FileWriter(path: path, mode: .createTruncate)
    try file.write(bytes)
    try file.close()
}

/// Block (offset, payload length) pairs of a segment, assuming valid headers.
func blockLayout(_ bytes: [UInt8]) -> [(offset: Int, length: Int)] {
    var result: [(Int, Int)] = []
    var position = 0
    bytes.withUnsafeBytes { raw in
        while position + 8 <= raw.count {
            let length = Int(RecordBlock.loadU32(raw.baseAddress!, position))
            result.append((position, length))
            position += 8 + length
        }
    }
    return result
}
