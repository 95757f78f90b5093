@testable import Spindle
import SpindleCore
import SpindlePosix
import Testing

/// Checkpoints are trusted only when every byte of every file, the manifest included, is what was written.
@Suite struct CheckpointStoreTests {
    static let partitions = 2
    static let manifest = CheckpointManifest(
        superstep: 5, totalVertices: 1234, partitions: partitions, aggregates: [0.123_456_789, -0.0, .infinity],
        globals: [Pair("alpha", 1.5), Pair("beta", .ulpOfOne)])

    /// Writes a complete checkpoint of superstep 5 the way the engines and the coordinator do, and returns its directory.
    private func writeCheckpoint(_ dir: TemporaryDirectory) throws -> String {
        let checkpoint = CheckpointStore.directory(root: dir.file("checkpoints"), superstep: 5)
        try FileSystem.createDirectory(checkpoint, intermediate: true)
        for p in 0..<Self.partitions {
            try CheckpointStore.writeState(
                CheckpointStore.statePath(checkpoint, partition: p), values: [1.0, 2.0, Double(p)], halted: [true, false, true])
            let records = (0..<10).map { TestRecord(partition: $0 % Self.partitions, key: [UInt8($0)], value: [UInt8(p), 1, 2]) }
            _ = try writePartitioned(stableSorted(records), partitions: Self.partitions, path: CheckpointStore.messagesPath(checkpoint, partition: p))
        }
        try CheckpointStore.writeManifest(checkpoint, Self.manifest)
        return checkpoint
    }

    private func verify(_ checkpoint: String) throws -> CheckpointManifest {
        try CheckpointStore.verify(checkpoint, superstep: 5, partitions: Self.partitions, aggregators: 3)
    }

    @Test func anIntactCheckpointVerifiesAndItsManifestRoundTripsBitForBit() throws {
        let dir = try TemporaryDirectory()
        let checkpoint = try writeCheckpoint(dir)
        let read = try verify(checkpoint)
        #expect(read.aggregates.map(\.bitPattern) == Self.manifest.aggregates.map(\.bitPattern))
        #expect(read.superstep == 5 && read.totalVertices == 1234 && read.partitions == Self.partitions)
        #expect(
            read.globals.map(\.first) == ["alpha", "beta"] && read.globals.map(\.second.bitPattern) == Self.manifest.globals.map(\.second.bitPattern))
    }

    /// The case was one bit of an aggregate; every bit of every byte is tried here.
    @Test(arguments: [0x01, 0x10, 0x80, 0xFF] as [UInt8])
    func everyFlippedByteOfTheManifestFailsVerification(mask: UInt8) throws {
        let dir = try TemporaryDirectory()
        let checkpoint = try writeCheckpoint(dir)
        let path = CheckpointStore.manifestPath(checkpoint)
        let original = try FileSystem.readFile(path)
        var undetected: [Int] = []
        for i in original.indices {
            var bytes = original
            bytes[i] ^= mask
            try FileSystem.writeFileAtomically(path, bytes)
            if (try? verify(checkpoint)) != nil { undetected.append(i) }
            #expect(throws: (any Error).self) { try CheckpointStore.readManifest(checkpoint) }
        }
        #expect(undetected == [], "flipping these bytes of the \(original.count)-byte manifest went unnoticed")
        var flipped = original
        flipped[original.count / 2] ^= mask
        try FileSystem.writeFileAtomically(path, flipped)
        let error = #expect(throws: CorruptDataError.self) { try verify(checkpoint) }
        #expect(error?.source == path && error?.detail == "checkpoint manifest checksum mismatch")
        try FileSystem.writeFileAtomically(path, original)
        _ = try verify(checkpoint)
    }

    @Test func aTruncatedOrExtendedManifestFailsVerification() throws {
        let dir = try TemporaryDirectory()
        let checkpoint = try writeCheckpoint(dir)
        let path = CheckpointStore.manifestPath(checkpoint)
        let original = try FileSystem.readFile(path)
        for length in 0..<original.count {
            try FileSystem.writeFileAtomically(path, Array(original[..<length]))
            #expect(throws: (any Error).self, "manifest cut to \(length) bytes") { try verify(checkpoint) }
        }
        try FileSystem.writeFileAtomically(path, original + [0])
        #expect(throws: (any Error).self) { try verify(checkpoint) }
    }

    @Test func aMissingManifestOrStateFileOrAManifestOfAnotherSuperstepFailsVerification() throws {
        let dir = try TemporaryDirectory()
        let checkpoint = try writeCheckpoint(dir)
        let mismatch = #expect(throws: CorruptDataError.self) {
            try CheckpointStore.verify(checkpoint, superstep: 7, partitions: Self.partitions, aggregators: 3)
        }
        #expect(mismatch?.detail.contains("superstep 5") == true)
        #expect(throws: CorruptDataError.self) { try CheckpointStore.verify(checkpoint, superstep: 5, partitions: 3, aggregators: 3) }
        #expect(throws: CorruptDataError.self) { try CheckpointStore.verify(checkpoint, superstep: 5, partitions: Self.partitions, aggregators: 2) }
        try FileSystem.unlink(CheckpointStore.statePath(checkpoint, partition: 1))
        #expect(throws: (any Error).self) { try verify(checkpoint) }
        try FileSystem.unlink(CheckpointStore.manifestPath(checkpoint))
        #expect(throws: (any Error).self) { try CheckpointStore.readManifest(checkpoint) }
    }

    @Test func aFlippedByteOfAStateOrMessageFileFailsVerification() throws {
        let dir = try TemporaryDirectory()
        let checkpoint = try writeCheckpoint(dir)
        for path in [CheckpointStore.statePath(checkpoint, partition: 1), CheckpointStore.messagesPath(checkpoint, partition: 0)] {
            let original = try FileSystem.readFile(path)
            var undetected: [Int] = []
            for i in original.indices {
                var bytes = original
                bytes[i] ^= 0x04
                try FileSystem.writeFileAtomically(path, bytes)
                if (try? verify(checkpoint)) != nil { undetected.append(i) }
            }
            #expect(undetected == [], "flipping these bytes of \(path) went unnoticed")
            try FileSystem.writeFileAtomically(path, original)
        }
        _ = try verify(checkpoint)
    }
}
