import SpindleCore
import Testing

@testable import Spindle

@Suite struct CombinedSlotsTests {
    enum Fold: String, CaseIterable, Sendable { case sum, min, max }

    /// The message types and combiners under test: built-in arithmetic folds and the same folds as closures
    /// for `Double` and `Int64`, and two types that only combine through a closure.
    enum Setup: CaseIterable, CustomTestStringConvertible, Sendable {
        case double(Fold, custom: Bool)
        case int64(Fold, custom: Bool)
        case string
        case tally

        static var allCases: [Setup] {
            Fold.allCases.flatMap { fold in [false, true].flatMap { custom in [Setup.double(fold, custom: custom), .int64(fold, custom: custom)] } }
                + [.string, .tally]
        }

        var testDescription: String {
            switch self {
            case .double(let fold, let custom): "Double \(custom ? "custom " : "")\(fold)"
            case .int64(let fold, let custom): "Int64 \(custom ? "custom " : "")\(fold)"
            case .string: "String custom min"
            case .tally: "Tally custom"
            }
        }

        fileprivate var checks: any SlotChecks {
            switch self {
            case .double(let fold, let custom): Harness<Double>(fold, custom: custom) { Double($0) }
            case .int64(let fold, let custom): Harness<Int64>(fold, custom: custom) { $0 }
            case .string: Harness<String>(combiner: .custom { $0 = Swift.min($0, $1) }, fold: { Swift.min($0, $1) }, arithmetic: false) { "m\($0)" }
            case .tally:
                Harness<Tally>(
                    combiner: .custom { $0.combine($1) },
                    fold: { a, b in
                        var c = a
                        c.combine(b)
                        return c
                    }, arithmetic: false
                ) { Tally(count: $0, label: "t\($0 & 7)") }
            }
        }
    }

    @Test(arguments: Setup.allCases)
    func addSlotAddSlotsAndGatherAgree(_ setup: Setup) { setup.checks.addPathsAgree(seed: 1) }

    @Test(arguments: Setup.allCases)
    func blocksScatterThroughALocalIndexMap(_ setup: Setup) throws { try setup.checks.blocksRoundTrip(seed: 2) }

    @Test(arguments: Setup.allCases)
    func blocksOfSlotsThatAllHoldAMessage(_ setup: Setup) throws { try setup.checks.fullBlocksRoundTrip(seed: 5) }

    @Test(arguments: Setup.allCases)
    func resetEmptiesEverySlot(_ setup: Setup) { setup.checks.resetEmpties(seed: 3) }

    @Test(arguments: Setup.allCases)
    func damagedBlocksThrow(_ setup: Setup) throws { try setup.checks.damagedBlocksThrow(seed: 4) }

    @Test func emptySlotsMakeAnEmptyBlock() throws {
        let slots = CombinedSlots<Double>(count: 0, combiner: .sum)
        let block = try slots.withBlock(0..<0) { Array($0) }
        #expect(block == [0, 0, 0, 0])
        #expect(try block.withUnsafeBytes { try slots.scatter($0, localIndices: [], source: "test") } == 0)
    }
}

/// A non-arithmetic message with a custom fold.
private struct Tally: WireCodable, Sendable, Equatable {
    var count: Int64
    var label: String

    mutating func combine(_ other: Tally) {
        count += other.count
        label = Swift.min(label, other.label)
    }

    init(count: Int64, label: String) {
        self.count = count
        self.label = label
    }

    func encode(to writer: inout WireWriter) {
        writer.writeZigZag(count)
        label.encode(to: &writer)
    }

    init(from reader: inout WireReader) throws {
        count = try reader.readZigZag()
        label = try String(from: &reader)
    }
}

private protocol SlotChecks {
    func addPathsAgree(seed: UInt64)
    func blocksRoundTrip(seed: UInt64) throws
    func resetEmpties(seed: UInt64)
    func damagedBlocksThrow(seed: UInt64) throws
    func fullBlocksRoundTrip(seed: UInt64) throws
}

/// Random sends: `vertices` vertices with out-edges into `slots` slots (parallel edges allowed; a few slots
/// get none), some vertices sending a message along all their edges.
private struct SendPattern {
    var slots: Int
    var offsets: [Int] = [0]
    var edgeSlots: [Int32] = []
    /// Per slot, the sending vertex of each edge into it, ascending (as `MessageRouting` transposes).
    var slotStart: [Int32] = [0]
    var slotSources: [Int32] = []
    /// The message number each vertex sends, or nil.
    var sends: [Int64?] = []

    init(seed: UInt64, vertices: Int = 400, slots: Int = 600) {
        var rng = SplitMix64(seed: seed)
        self.slots = slots
        var into = [[Int32]](repeating: [], count: slots)
        for v in 0..<vertices {
            for _ in 0..<(rng.next() % 9) {
                let s = Int(rng.next() % UInt64(slots - slots / 10))
                edgeSlots.append(Int32(s))
                into[s].append(Int32(v))
            }
            offsets.append(edgeSlots.count)
            sends.append(rng.next() % 10 < 7 ? Int64(rng.next() % 101) - 50 : nil)
        }
        for s in 0..<slots {
            slotSources += into[s]
            slotStart.append(Int32(slotSources.count))
        }
    }
}

private struct Harness<M: WireCodable & Sendable & Equatable>: SlotChecks {
    let combiner: MessageCombiner<M>
    let fold: (M, M) -> M
    /// Whether the slots combine as plain arithmetic (damage is then always a `CorruptDataError`).
    let arithmetic: Bool
    let make: (Int64) -> M

    init(combiner: MessageCombiner<M>, fold: @escaping (M, M) -> M, arithmetic: Bool, make: @escaping (Int64) -> M) {
        self.combiner = combiner
        self.fold = fold
        self.arithmetic = arithmetic
        self.make = make
    }

    func contents(_ slots: CombinedSlots<M>) -> [M?] {
        (0..<slots.count).map { slots.holds($0) ? slots.message($0) : nil }
    }

    /// The slots after the sends of `pattern`, folded one by one.
    private func model(_ pattern: SendPattern) -> [M?] {
        var model = [M?](repeating: nil, count: pattern.slots)
        for v in pattern.sends.indices {
            guard let n = pattern.sends[v] else { continue }
            for e in pattern.offsets[v]..<pattern.offsets[v + 1] {
                let s = Int(pattern.edgeSlots[e])
                model[s] = model[s].map { fold($0, make(n)) } ?? make(n)
            }
        }
        return model
    }

    /// Slots filled by `add(slot:)` with the sends of `pattern`.
    private func filled(_ pattern: SendPattern) -> CombinedSlots<M> {
        let slots = CombinedSlots(count: pattern.slots, combiner: combiner)
        for v in pattern.sends.indices {
            guard let n = pattern.sends[v] else { continue }
            for e in pattern.offsets[v]..<pattern.offsets[v + 1] { slots.add(slot: Int(pattern.edgeSlots[e]), make(n)) }
        }
        return slots
    }

    func addPathsAgree(seed: UInt64) {
        let pattern = SendPattern(seed: seed)
        let expected = model(pattern)
        let sent = pattern.sends.indices.reduce(0) { $0 + (pattern.sends[$1] == nil ? 0 : pattern.offsets[$1 + 1] - pattern.offsets[$1]) }

        let one = filled(pattern)
        #expect(firstDifference(contents(one), expected) == nil, "add(slot:)")
        #expect(one.added == sent)

        let ranged = CombinedSlots(count: pattern.slots, combiner: combiner)
        pattern.edgeSlots.withUnsafeBufferPointer { edgeSlots in
            for v in pattern.sends.indices {
                guard let n = pattern.sends[v] else { continue }
                ranged.add(slots: edgeSlots.baseAddress!, pattern.offsets[v], pattern.offsets[v + 1], make(n))
            }
        }
        #expect(firstDifference(contents(ranged), expected) == nil, "add(slots:)")
        #expect(ranged.added == sent)

        let broadcasts = CombinedSlots(count: pattern.sends.count, combiner: combiner)
        for (v, n) in pattern.sends.enumerated() { if let n { broadcasts.add(slot: v, make(n)) } }
        let gathered = CombinedSlots(count: pattern.slots, combiner: combiner)
        gathered.gather(broadcasts, start: pattern.slotStart, sources: pattern.slotSources)
        #expect(firstDifference(contents(gathered), expected) == nil, "gather")
        #expect(gathered.added == 0)
        #expect(expected.contains { $0 == nil } && expected.contains { $0 != nil })

        // When every vertex sends, the gather that skips presence agrees (slots without edges stay empty).
        var everyone = pattern
        everyone.sends = pattern.sends.indices.map { v in pattern.sends[v] ?? Int64(v % 5) + 1 }
        let all = CombinedSlots(count: everyone.sends.count, combiner: combiner)
        for (v, n) in everyone.sends.enumerated() { all.add(slot: v, make(n!)) }
        let fromAll = CombinedSlots(count: everyone.slots, combiner: combiner)
        fromAll.gather(all, start: everyone.slotStart, sources: everyone.slotSources, everySourceSends: true)
        #expect(firstDifference(contents(fromAll), model(everyone)) == nil, "gather from every source")
    }

    func blocksRoundTrip(seed: UInt64) throws {
        let pattern = SendPattern(seed: seed)
        let sender = filled(pattern)
        let sent = contents(sender)
        // Destination ranges as `MessageRouting.slotBase` cuts them, one of them empty.
        let cuts = [0, 150, 150, 451, pattern.slots]
        let ranges = zip(cuts, cuts.dropFirst()).map { $0..<$1 }
        // Each sender slot goes to a distinct receiver slot; receiver slots 0..<7 get nothing.
        var rng = SplitMix64(seed: seed)
        var receiverSlots = Array(7..<(pattern.slots + 7))
        receiverSlots.shuffle(using: &rng)
        let receiver = CombinedSlots(count: pattern.slots + 7, combiner: combiner)
        for round in 1...2 {
            for range in ranges {
                let block = try sender.withBlock(range) { Array($0) }
                let local = receiverSlots[range].map { Int32($0) }
                let received = try block.withUnsafeBytes { try receiver.scatter($0, localIndices: local, source: "test block") }
                #expect(received == sent[range].count(where: { $0 != nil }), "round \(round), slots \(range)")
            }
            let expected = (0..<receiver.count).map { r -> M? in
                guard r >= 7, let m = sent[receiverSlots.firstIndex(of: r)!] else { return nil }
                return round == 1 ? m : fold(m, m)
            }
            #expect(firstDifference(contents(receiver), expected) == nil, "round \(round)")
            #expect(receiver.added == round * sent.count(where: { $0 != nil }))
        }
        #expect(firstDifference(contents(sender), sent) == nil, "withBlock leaves the sender's slots alone")
    }

    /// Every vertex sends and every slot has an edge: the gather fills every slot, and the blocks written in
    /// place equal `withBlock`'s and scatter like any other.
    func fullBlocksRoundTrip(seed: UInt64) throws {
        var pattern = SendPattern(seed: seed)
        // Give the slots without edges one edge each, from vertex 0, and let every vertex send.
        var into = [[Int32]](repeating: [], count: pattern.slots)
        for v in pattern.sends.indices {
            for e in pattern.offsets[v]..<pattern.offsets[v + 1] { into[Int(pattern.edgeSlots[e])].append(Int32(v)) }
        }
        for s in into.indices where into[s].isEmpty { into[s] = [0] }
        pattern.slotSources = into.flatMap { $0 }
        pattern.slotStart = [0] + into.reduce(into: [Int32]()) { starts, sources in starts.append((starts.last ?? 0) + Int32(sources.count)) }
        pattern.sends = pattern.sends.indices.map { v in pattern.sends[v] ?? Int64(v % 7) - 3 }
        let broadcasts = CombinedSlots(count: pattern.sends.count, combiner: combiner)
        for (v, n) in pattern.sends.enumerated() { broadcasts.add(slot: v, make(n!)) }
        let sender = CombinedSlots(count: pattern.slots, combiner: combiner)
        sender.gather(broadcasts, start: pattern.slotStart, sources: pattern.slotSources, everySourceSends: true)
        let sent = contents(sender)
        #expect(sent.allSatisfy { $0 != nil })
        let cuts = [0, 150, 150, 451, pattern.slots]
        let builder = DirectBlockFileBuilder(name: "dense", partitionCount: cuts.count - 1, expectedBytes: 64)
        for q in 0..<(cuts.count - 1) { try sender.appendBlock(cuts[q]..<cuts[q + 1], partition: q, to: builder) }
        let (file, _) = try builder.finish()
        let receiver = CombinedSlots(count: pattern.slots, combiner: combiner)
        for q in 0..<(cuts.count - 1) {
            let range = cuts[q]..<cuts[q + 1]
            var cursor = RecordCursor(blocks: file.segment(q), source: "dense", owner: file, checksumsVerified: true)
            #expect(try cursor.next())
            let block = Array(cursor.value)
            #expect(block == (try sender.withBlock(range) { Array($0) }), "slots \(range)")
            let received = try block.withUnsafeBytes { try receiver.scatter($0, localIndices: range.map { Int32($0) }, source: "dense") }
            #expect(received == range.count)
        }
        #expect(firstDifference(contents(receiver), sent) == nil)
    }

    func resetEmpties(seed: UInt64) {
        let pattern = SendPattern(seed: seed)
        let slots = filled(pattern)
        slots.reset()
        #expect(firstDifference(contents(slots), Array(repeating: nil, count: pattern.slots)) == nil)
        #expect(slots.added == 0)
        // The next superstep starts from scratch: a lone message is the slot's value, whatever came before.
        pattern.edgeSlots.withUnsafeBufferPointer { edgeSlots in
            for n: Int64 in [-49, 49] {
                slots.reset()
                slots.add(slots: edgeSlots.baseAddress!, 0, 1, make(n))
                slots.add(slot: 1, make(n))
                var expected = [M?](repeating: nil, count: pattern.slots)
                expected[Int(edgeSlots[0])] = make(n)
                expected[1] = expected[1].map { fold($0, make(n)) } ?? make(n)
                #expect(firstDifference(contents(slots), expected) == nil)
            }
        }
    }

    func damagedBlocksThrow(seed: UInt64) throws {
        let sender = filled(SendPattern(seed: seed))
        let range = 0..<100
        let block = try sender.withBlock(range) { Array($0) }
        let local = range.map { Int32($0) }
        let bitmapEnd = 4 + (range.count + 7) / 8
        #expect(block.count > bitmapEnd)
        let damaged: [(String, [UInt8], [Int32])] = [
            ("one slot more in the routing", block, local + [100]),
            ("one slot fewer in the routing", block, Array(local.dropLast())),
            ("no slot count", Array(block[..<3]), local),
            ("bitmap cut short", Array(block[..<(bitmapEnd - 1)]), local),
            ("last message cut short", Array(block.dropLast()), local),
            ("no messages", Array(block[..<bitmapEnd]), local),
            ("a byte after the messages", block + [0], local),
        ]
        for (what, bytes, local) in damaged {
            let receiver = CombinedSlots(count: 101, combiner: combiner)
            let error = #expect(throws: (any Error).self, "\(what)") {
                _ = try bytes.withUnsafeBytes { try receiver.scatter($0, localIndices: local, source: "test block") }
            }
            if arithmetic || what.contains("routing") || what.hasPrefix("no slot") || what.hasPrefix("bitmap") {
                #expect(error is CorruptDataError, "\(what): \(String(describing: error))")
            }
        }
    }
}

extension Harness where M: AdditiveArithmetic & Comparable {
    /// A built-in fold, or the same fold as a closure.
    init(_ fold: CombinedSlotsTests.Fold, custom: Bool, make: @escaping (Int64) -> M) {
        let combine: @Sendable (inout M, M) -> Void =
            switch fold {
            case .sum: { $0 += $1 }
            case .min: { $0 = Swift.min($0, $1) }
            case .max: { $0 = Swift.max($0, $1) }
            }
        let builtIn: MessageCombiner<M> =
            switch fold {
            case .sum: .sum
            case .min: .min
            case .max: .max
            }
        self.init(
            combiner: custom ? .custom(combine) : builtIn,
            fold: { a, b in
                var c = a
                combine(&c, b)
                return c
            }, arithmetic: !custom, make: make)
    }
}
