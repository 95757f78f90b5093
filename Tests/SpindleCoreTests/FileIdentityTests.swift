import Testing

@testable import SpindleCore

@Suite struct FileIdentityTests {
    private let planned = FileIdentity(
        device: 2049, inode: 1234, size: 1000, modifiedSeconds: 1_765_000_000, modifiedNanoseconds: 5, machine: "boot-a")

    @Test func anUnchangedFileHasNoChanges() {
        #expect(planned.changes(since: planned) == nil)
    }

    @Test func eachChangeIsNamed() {
        var shrunk = planned
        shrunk.size = 10
        shrunk.modifiedSeconds += 1
        #expect(shrunk.changes(since: planned) == "its size went from 1000 to 10 bytes")

        var touched = planned
        touched.modifiedNanoseconds = 6
        #expect(
            touched.changes(since: planned)
                == "it was modified (its modification time went from 1765000000.000000005 to 1765000000.000000006)")

        var replaced = planned
        replaced.inode = 99
        replaced.size = 60
        #expect(
            replaced.changes(since: planned) == "it was replaced by another file (inode 1234 became inode 99) and its size went from 1000 to 60 bytes"
        )

        var moved = planned
        moved.device = 7
        #expect(moved.changes(since: planned) == "it was replaced by another file (inode 1234 became inode 1234 on device 7, was on device 2049)")
    }

    @Test func devicesAndInodesOfAnotherMachineAreNotCompared() {
        var elsewhere = planned
        elsewhere.machine = "boot-b"
        elsewhere.device = 42
        elsewhere.inode = 7
        #expect(elsewhere.changes(since: planned) == nil)
        elsewhere.size = 999
        #expect(elsewhere.changes(since: planned) == "its size went from 1000 to 999 bytes")
    }

    @Test func roundTripsOverTheWire() throws {
        let decoded = try WireReader.decode(FileIdentity.self, from: planned.wireEncoded())
        #expect(decoded == planned)
    }
}
