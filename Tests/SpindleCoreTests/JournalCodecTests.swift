@testable import SpindleCore
import Testing

/// The journal's records and framing: what is written decodes to the same records, and a damaged tail is
/// found, reported and cut off, never read as records.
@Suite struct JournalCodecTests {
    static let identity = FileIdentity(device: 2049, inode: 77, size: 1000, modifiedSeconds: 1_765_000_000, modifiedNanoseconds: 42, machine: "boot-a")
    static let plan = JobPlan(
        job: "wordcount", parameters: [Pair("b", "2"), Pair("a", "1")], inputs: [JobPlan.Input(path: "/data/a.txt", identity: identity)],
        splitSize: 1 << 20, splits: 3, reducers: 4, partitions: 8, checkpointEvery: 10, maxSupersteps: 10_000)

    static let records: [JournalRecord] = [
        .planned(plan),
        .epoch(0),
        .mapOutput(MapOutputRecord(index: 1, attempt: AttemptID(5), worker: WorkerID(2), host: "127.0.0.1", port: 40_001, sizes: [1, 2, 3, 4])),
        .taskCommitted(
            CommittedTaskRecord(
                kind: .reduce, index: 3, attempt: AttemptID(9), worker: WorkerID(1),
                files: [.init(name: "part-00003", size: 120, checksum: 0xDEAD_BEEF)], counters: [Pair("words", 12)])),
        .barrier(.start),
        .barrier(.taskCommitted(TaskID(stage: 2, index: 1), attempt: AttemptID(7), worker: WorkerID(3), report: PartitionReport(partitionSizes: [4, 5], members: 6, aggregates: [0.5]))),
        .barrier(.stageCompleted(2, liveWorkers: [WorkerID(1), WorkerID(3)])),
        .barrier(.workerLost(WorkerID(2), liveWorkers: [WorkerID(1)])),
        .barrier(.masterCompleted(MasterResult(aggregates: [1.5, -0.0], globals: ["z": 1, "a": 2], halt: true))),
        .barrier(.checkpointVerified(CheckpointManifest(superstep: 3, totalVertices: 10, partitions: 2, aggregates: [1], globals: [Pair("a", 2)]))),
        .barrier(.checkpointCorrupt(superstep: 5, cause: "MANIFEST fails its CRC32C check")),
        .superstepCompleted(superstep: 4, aggregates: [0.25], globals: [Pair("a", 2)]),
        .checkpointCommitted(CheckpointManifest(superstep: 4, totalVertices: 10, partitions: 2, aggregates: [0.25], globals: [])),
        .checkpointStoreChosen(.workers),
        .jobCommitted,
    ]

    static func journal(_ records: [JournalRecord]) -> [UInt8] {
        JournalFraming.header + records.flatMap { JournalFraming.frame($0) }
    }

    @Test func everyRecordKindRoundTrips() throws {
        let contents = try JournalDecoder.decode(Self.journal(Self.records))
        #expect(contents.records == Self.records)
        #expect(contents.damagedTail == nil)
        #expect(contents.intactLength == Self.journal(Self.records).count)
    }

    @Test func anEmptyFileIsAJournalWithoutRecords() throws {
        #expect(try JournalDecoder.decode([]).records.isEmpty)
    }

    @Test func aFileWithoutTheHeaderIsRefused() {
        #expect(throws: JournalDecoder.NotAJournal.self) { try JournalDecoder.decode(Array("part-00000 contents".utf8)) }
    }

    @Test(arguments: 1..<40) func aTornLastRecordIsReportedAndIgnored(cut: Int) throws {
        let kept = Array(Self.records.dropLast(2))
        let whole = Self.journal(Array(Self.records.dropLast()))
        let lastStart = Self.journal(kept).count
        let torn = Array(whole[0..<(lastStart + min(cut, whole.count - lastStart - 1))])
        let contents = try JournalDecoder.decode(torn)
        #expect(contents.records == kept)
        #expect(contents.intactLength == lastStart)
        #expect(contents.damagedTail?.hasPrefix("record \(kept.count + 1) at byte \(lastStart) ") == true)
    }

    /// Random damage anywhere: the decoder returns a prefix of the records written, never a record that was not
    /// written, and says where it stopped unless the bytes end on a record boundary.
    @Test(arguments: 0..<200) func randomTruncationOrCorruptionYieldsAnIntactPrefix(seed: UInt64) throws {
        var rng = SplitMix(seed: seed)
        var bytes = Self.journal(Self.records)
        if rng.next() % 2 == 0 {
            bytes.removeLast(Int(rng.next() % UInt64(bytes.count - JournalFraming.header.count)) + 1)
        } else {
            let at = JournalFraming.header.count + Int(rng.next() % UInt64(bytes.count - JournalFraming.header.count))
            bytes[at] ^= UInt8(1 << (rng.next() % 8))
        }
        let contents = try JournalDecoder.decode(bytes)
        #expect(contents.records == Array(Self.records.prefix(contents.records.count)))
        #expect(contents.records.count < Self.records.count)
        // A cut that falls between two records leaves a shorter journal, which nothing can tell from one.
        #expect((contents.damagedTail == nil) == (contents.intactLength == bytes.count))
        #expect(contents.intactLength == Self.journal(contents.records).count)
    }

    @Test func anAbsurdLengthIsDamageNotAnAllocation() throws {
        var bytes = Self.journal([.epoch(1)])
        bytes += [0xFF, 0xFF, 0xFF, 0x7F, 0, 0, 0, 0]
        let contents = try JournalDecoder.decode(bytes)
        #expect(contents.records == [.epoch(1)])
        #expect(contents.damagedTail?.contains("claims") == true)
    }

    @Test(arguments: [CheckpointStoreSetting.auto, .output, .workers, nil])
    func thePlanKeepsTheCheckpointStoreSetting(_ setting: CheckpointStoreSetting?) throws {
        var plan = Self.plan
        plan.checkpointStore = setting
        let contents = try JournalDecoder.decode(Self.journal([.planned(plan), .epoch(0)]))
        #expect(contents.records == [.planned(plan), .epoch(0)])
        #expect(contents.damagedTail == nil)
    }

    /// A plan as journals wrote it before the checkpoint store was recorded: its fields end after the superstep limit.
    @Test func aPlanOfAnOlderJournalDecodesWithoutAStoreAndResumesWithTheDefault() throws {
        var w = WireWriter()
        w.writeByte(1)
        let plan = Self.plan
        w.write(plan.job); w.write(plan.parameters); w.write(plan.inputs); w.write(plan.splitSize); w.write(plan.splits)
        w.write(plan.reducers); w.write(plan.partitions); w.write(plan.checkpointEvery); w.write(plan.maxSupersteps)
        var framed = WireWriter()
        framed.writeFixed(UInt32(w.bytes.count))
        framed.writeFixed(CRC32C.checksum(w.bytes))
        framed.writeRaw(w.bytes)
        let bytes = JournalFraming.header + framed.bytes + JournalFraming.frame(.epoch(0))
        let contents = try JournalDecoder.decode(bytes)
        #expect(contents.damagedTail == nil)
        guard case .planned(let decoded)? = contents.records.first else {
            Issue.record("the old plan did not decode: \(contents)")
            return
        }
        var expected = plan
        expected.checkpointStore = nil
        #expect(decoded == expected)
        let resume = try ResumePlan(records: contents.records)
        #expect(resume.checkpointStore == nil, "nothing says where the old run kept its checkpoints: the resumed run's default decides")
    }

    @Test func aPlanNamingAnUnknownStoreIsDamage() throws {
        var w = WireWriter()
        w.write(JournalRecord.planned(Self.plan))
        var payload = w.bytes
        let auto = Array("auto".utf8)
        // Rename the trailing "auto" to "nfs!": same length, so only the name is wrong.
        #expect(Array(payload.suffix(auto.count)) == auto)
        payload.replaceSubrange((payload.count - auto.count)..., with: Array("nfs!".utf8))
        #expect(throws: WireError.self) { try WireReader.decode(JournalRecord.self, from: payload) }
    }

    @Test func theStoreADecidedRunUsedIsWhereAResumeLooks() throws {
        var plan = Self.plan
        #expect(try ResumePlan(records: [.planned(plan), .epoch(0)]).checkpointStore == nil, "auto, and the run never started")
        #expect(try ResumePlan(records: [.planned(plan), .epoch(0), .checkpointStoreChosen(.workers)]).checkpointStore == .workers)
        plan.checkpointStore = .output
        #expect(try ResumePlan(records: [.planned(plan), .epoch(0)]).checkpointStore == .output)
        #expect(throws: JournalReplayError.self) {
            try ResumePlan(records: [.planned(plan), .checkpointStoreChosen(.output), .epoch(1), .checkpointStoreChosen(.workers)])
        }
    }

    @Test func equalMasterResultsEncodeEquallyWhateverTheOrderOfTheirGlobals() {
        var globals: [String: Double] = [:]
        for (i, name) in ["q", "a", "m", "z", "b"].enumerated() { globals[name] = Double(i) }
        let a = JournalFraming.frame(.barrier(.masterCompleted(MasterResult(aggregates: [], globals: globals, halt: false))))
        let b = JournalFraming.frame(.barrier(.masterCompleted(MasterResult(aggregates: [], globals: Dictionary(uniqueKeysWithValues: globals.reversed()), halt: false))))
        #expect(a == b)
    }
}

/// A small deterministic generator for the damage tests.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
