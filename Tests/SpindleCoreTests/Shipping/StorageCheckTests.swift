import Testing

@testable import SpindleCore

@Suite struct StorageCheckTests {
    private let identity = FileIdentity(device: 1, inode: 10, size: 100, modifiedSeconds: 1_765_000_000, modifiedNanoseconds: 7, machine: "boot-a")
    private let token: [UInt8] = Array(0..<32)

    private func plan(shipInput: Bool = false, shipOutput: Bool = false) -> StoragePlan {
        var other = identity
        other.inode = 11
        return StoragePlan(
            port: 7200, tokenPath: "/out/_temporary/_storage-token", token: token,
            inputs: [.init(path: "/in/a", identity: identity), .init(path: "/in/b", identity: other)], shipInput: shipInput, shipOutput: shipOutput)
    }

    private var found: [StorageCheck.InputObservation] {
        plan().inputs.map { .found($0.identity) }
    }

    @Test func aWorkerThatSeesEverythingSharesEverything() {
        #expect(StorageCheck.decide(plan: plan(), inputs: found, token: token) == .shared)
    }

    @Test func oneMissingInputShipsTheInputs() {
        var seen = found
        seen[1] = .missing
        #expect(StorageCheck.decide(plan: plan(), inputs: seen, token: token) == WorkerStorage(readsInputs: false, seesOutput: true))
    }

    @Test func anInputWithAnotherIdentityShipsTheInputs() {
        var copy = identity
        copy.inode = 99  // same kernel, another file of the same name (a private copy)
        var seen = found
        seen[0] = .found(copy)
        #expect(!StorageCheck.decide(plan: plan(), inputs: seen, token: token).readsInputs)
        var shorter = identity
        shorter.machine = "boot-b"
        shorter.size = 99
        seen[0] = .found(shorter)
        #expect(!StorageCheck.decide(plan: plan(), inputs: seen, token: token).readsInputs)
    }

    @Test func aCopyOnAnotherMachineWithTheSameSizeAndTimeIsRead() {
        var copy = identity
        copy.machine = "boot-b"
        copy.device = 7
        copy.inode = 555
        var seen = found
        seen[0] = .found(copy)
        #expect(StorageCheck.decide(plan: plan(), inputs: seen, token: token).readsInputs)
    }

    @Test func aMissingOrForeignTokenShipsTheOutput() {
        #expect(!StorageCheck.decide(plan: plan(), inputs: found, token: nil).seesOutput)
        // A local directory of the same name, with a token of another run (or another coordinator) in it.
        #expect(!StorageCheck.decide(plan: plan(), inputs: found, token: Array(repeating: 0, count: 32)).seesOutput)
        #expect(!StorageCheck.decide(plan: plan(), inputs: found, token: Array(token.prefix(31))).seesOutput)
    }

    @Test func forcedShippingOverridesWhatWasSeen() {
        #expect(StorageCheck.decide(plan: plan(shipInput: true), inputs: found, token: token) == WorkerStorage(readsInputs: false, seesOutput: true))
        #expect(StorageCheck.decide(plan: plan(shipOutput: true), inputs: found, token: token) == WorkerStorage(readsInputs: true, seesOutput: false))
    }

    @Test func aShortObservationListNeverCountsAsReadable() {
        #expect(!StorageCheck.decide(plan: plan(), inputs: Array(found.prefix(1)), token: token).readsInputs)
    }

    @Test func anEmptyPlanTokenIsNeverSeen() {
        var empty = plan()
        empty.token = []
        #expect(!StorageCheck.decide(plan: empty, inputs: found, token: []).seesOutput)
    }

    @Test func planAndDescriptorRoundTripOnTheWire() throws {
        let descriptor = JobDescriptor(
            job: "wordcount", parameters: [], heartbeatInterval: .milliseconds(200), heartbeatTimeout: .seconds(2), engineSettings: [1, 2],
            storage: plan(shipOutput: true))
        #expect(try WireReader.decode(JobDescriptor.self, from: descriptor.wireEncoded()) == descriptor)
        let none = JobDescriptor(job: "x", parameters: [], heartbeatInterval: .seconds(1), heartbeatTimeout: .seconds(2), engineSettings: [])
        #expect(try WireReader.decode(JobDescriptor.self, from: none.wireEncoded()).storage == nil)
    }
}
