import SpindleCore

/// Messages combined into dense slots: on a sender, one slot per resolved target (see ``MessageRouting``);
/// on a receiver, one per local vertex. A slot holds a message once something was added to it.
///
/// With a `.sum`, `.min` or `.max` combiner of `Double` or `Int64` messages every slot starts at the
/// combiner's identity and adding is one arithmetic operation; otherwise the combiner's closure folds.
/// Reused from superstep to superstep (``reset()``), so its memory is allocated once.
///
/// Class properties are read in the per-edge loop; they are `let`s, or exempt from dynamic exclusivity
/// checks because one task uses the object at a time.
@usableFromInline
final class CombinedSlots<Message: WireCodable & Sendable> {
    @usableFromInline let combine: @Sendable (inout Message, Message) -> Void
    @usableFromInline let kind: MessageCombiner<Message>.Kind
    @usableFromInline let values: UnsafeMutablePointer<Message>
    @usableFromInline let present: UnsafeMutablePointer<Bool>
    @usableFromInline let count: Int
    /// Whether every slot is initialised with the identity (arithmetic combining).
    @usableFromInline let arithmetic: Bool
    /// Reused for building blocks.
    @exclusivity(unchecked) private var scratch: [UInt8] = []
    /// Messages added since the last reset.
    @exclusivity(unchecked) @usableFromInline var added = 0
    /// Every slot holds a message (known after a gather from every source that reached every slot), so blocks
    /// need no per-slot presence test.
    @exclusivity(unchecked) private(set) var everySlotHolds = false

    init(count: Int, combiner: MessageCombiner<Message>) {
        self.count = count
        combine = combiner.combine
        kind = combiner.kind
        arithmetic = kind != .custom && (Message.self == Double.self || Message.self == Int64.self)
        values = .allocate(capacity: max(1, count))
        present = .allocate(capacity: max(1, count))
        present.initialize(repeating: false, count: max(1, count))
        if arithmetic { fillIdentity() }
    }

    deinit {
        if !arithmetic && !_isPOD(Message.self) {
            for i in 0..<count where present[i] { (values + i).deinitialize(count: 1) }
        }
        values.deallocate()
        present.deallocate()
    }

    private func fillIdentity() {
        if Message.self == Double.self {
            let identity: Double = kind == .sum ? 0 : kind == .min ? .infinity : -.infinity
            UnsafeMutableRawPointer(values).bindMemory(to: Double.self, capacity: count).initialize(repeating: identity, count: count)
        } else {
            let identity: Int64 = kind == .sum ? 0 : kind == .min ? .max : .min
            UnsafeMutableRawPointer(values).bindMemory(to: Int64.self, capacity: count).initialize(repeating: identity, count: count)
        }
    }

    /// Empties every slot.
    func reset() {
        if arithmetic {
            fillIdentity()
        } else if !_isPOD(Message.self) {
            for i in 0..<count where present[i] { (values + i).deinitialize(count: 1) }
        }
        present.update(repeating: false, count: count)
        added = 0
        everySlotHolds = false
    }

    /// Whether slot `i` holds a message.
    @inlinable @inline(__always) func holds(_ i: Int) -> Bool { present[i] }

    /// The message in slot `i`, which must hold one.
    @inline(__always) func message(_ i: Int) -> Message { values[i] }

    /// Combines `message` into slot `slot`.
    @inlinable @inline(__always) func add(slot: Int, _ message: Message) {
        added &+= 1
        if arithmetic {
            if Message.self == Double.self {
                fold(slot, unsafeBitCast(message, to: Double.self))
            } else {
                fold(slot, unsafeBitCast(message, to: Int64.self))
            }
            return
        }
        if present[slot] {
            combine(&values[slot], message)
        } else {
            (values + slot).initialize(to: message)
        }
        present[slot] = true
    }

    /// Combines `message` into the slots `slots[start..<end]` (the slots of a vertex's out-edges).
    @inlinable func add(slots: UnsafePointer<Int32>, _ start: Int, _ end: Int, _ message: Message) {
        if arithmetic {
            if Message.self == Double.self {
                fold(slots, start, end, unsafeBitCast(message, to: Double.self))
                return
            }
            if Message.self == Int64.self {
                fold(slots, start, end, unsafeBitCast(message, to: Int64.self))
                return
            }
        }
        for e in start..<end { add(slot: Int(slots[e]), message) }
    }

    @inlinable @inline(__always)
    func fold<T: Comparable & AdditiveArithmetic>(_ slots: UnsafePointer<Int32>, _ start: Int, _ end: Int, _ message: T) {
        added &+= end - start
        let typed = UnsafeMutableRawPointer(values).assumingMemoryBound(to: T.self)
        switch kind {
        case .sum:
            for e in start..<end {
                let s = Int(slots[e])
                typed[s] += message
                present[s] = true
            }
        case .min:
            for e in start..<end {
                let s = Int(slots[e])
                typed[s] = Swift.min(typed[s], message)
                present[s] = true
            }
        case .max:
            for e in start..<end {
                let s = Int(slots[e])
                typed[s] = Swift.max(typed[s], message)
                present[s] = true
            }
        case .custom:
            preconditionFailure("custom combiners are not arithmetic")
        }
    }

    @inlinable @inline(__always)
    func fold<T: Comparable & AdditiveArithmetic>(_ slot: Int, _ message: T) {
        let typed = UnsafeMutableRawPointer(values).assumingMemoryBound(to: T.self)
        switch kind {
        case .sum: typed[slot] += message
        case .min: typed[slot] = Swift.min(typed[slot], message)
        case .max: typed[slot] = Swift.max(typed[slot], message)
        case .custom: preconditionFailure("custom combiners are not arithmetic")
        }
        present[slot] = true
    }

    /// Folds into every slot `s` the messages that vertices broadcast to their neighbours (`broadcasts`, one
    /// slot per local vertex) along the edges into `s` (`sources[start[s]..<start[s+1]]`): one sequential pass
    /// over the slots with reads from the (small) broadcast array. Does not count toward ``added``.
    /// `everySourceSends` says that every source in `sources` broadcast: then every slot with an edge gets a
    /// message, and presence is not looked up per edge. Only the slots of `slots` are filled (every slot when
    /// nil): a narrowed replay leaves those of partitions it does not send to empty.
    func gather(_ broadcasts: CombinedSlots<Message>, start: [Int32], sources: [Int32], everySourceSends: Bool = false, slots: Range<Int>? = nil) {
        let slots = slots ?? 0..<count
        start.withUnsafeBufferPointer { start in
            sources.withUnsafeBufferPointer { sources in
                if arithmetic && Message.self == Double.self {
                    gather(Double.self, broadcasts, start, sources, everySourceSends: everySourceSends, slots: slots)
                } else if arithmetic && Message.self == Int64.self {
                    gather(Int64.self, broadcasts, start, sources, everySourceSends: everySourceSends, slots: slots)
                } else {
                    for s in slots {
                        for k in Int(start[s])..<Int(start[s + 1]) {
                            let v = Int(sources[k])
                            guard broadcasts.present[v] else { continue }
                            if present[s] { combine(&values[s], broadcasts.values[v]) } else { (values + s).initialize(to: broadcasts.values[v]) }
                            present[s] = true
                        }
                    }
                }
            }
        }
    }

    @inline(__always)
    private func gather<T: Comparable & AdditiveArithmetic>(
        _ type: T.Type, _ broadcasts: CombinedSlots<Message>, _ start: UnsafeBufferPointer<Int32>, _ sources: UnsafeBufferPointer<Int32>,
        everySourceSends: Bool, slots: Range<Int>
    ) {
        // Constant arguments, so that each inlined loop is specialised for them.
        switch (kind, everySourceSends) {
        case (.sum, false): gather(T.self, SumFold.self, broadcasts, start, sources, everySourceSends: false, slots: slots)
        case (.sum, true): gather(T.self, SumFold.self, broadcasts, start, sources, everySourceSends: true, slots: slots)
        case (.min, false): gather(T.self, MinFold.self, broadcasts, start, sources, everySourceSends: false, slots: slots)
        case (.min, true): gather(T.self, MinFold.self, broadcasts, start, sources, everySourceSends: true, slots: slots)
        case (.max, false): gather(T.self, MaxFold.self, broadcasts, start, sources, everySourceSends: false, slots: slots)
        case (.max, true): gather(T.self, MaxFold.self, broadcasts, start, sources, everySourceSends: true, slots: slots)
        case (.custom, _): preconditionFailure("custom combiners are not arithmetic")
        }
    }

    /// The arithmetic gather, inlined at each call so that `everySourceSends` is a constant in its loop: when
    /// every source sends, presence is not read per edge, and every slot with an edge holds a message.
    @inline(__always)
    private func gather<T: Comparable & AdditiveArithmetic, Fold: ArithmeticFold>(
        _ type: T.Type, _ fold: Fold.Type, _ broadcasts: CombinedSlots<Message>, _ start: UnsafeBufferPointer<Int32>,
        _ sources: UnsafeBufferPointer<Int32>, everySourceSends: Bool, slots: Range<Int>
    ) {
        let typed = UnsafeMutableRawPointer(values).assumingMemoryBound(to: T.self)
        let sent = UnsafeRawPointer(broadcasts.values).assumingMemoryBound(to: T.self)
        let sending = broadcasts.present
        var reached = 0
        // Broadcast values of silent vertices are the identity, so only presence needs a branch.
        for s in slots {
            let edges = Int(start[s])..<Int(start[s + 1])
            var accumulated = typed[s]
            var any = false
            if everySourceSends && edges.count >= 8 {
                // Two independent chains of folds (the latency of each add, not the loads, bounds one chain).
                var other = sent[Int(sources[edges.lowerBound])]
                var k = edges.lowerBound &+ 1
                while k &+ 1 < edges.upperBound {
                    accumulated = Fold.fold(accumulated, sent[Int(sources[k])])
                    other = Fold.fold(other, sent[Int(sources[k &+ 1])])
                    k &+= 2
                }
                if k < edges.upperBound { accumulated = Fold.fold(accumulated, sent[Int(sources[k])]) }
                typed[s] = Fold.fold(accumulated, other)
                present[s] = true
                reached &+= 1
                continue
            }
            for k in edges {
                let v = Int(sources[k])
                accumulated = Fold.fold(accumulated, sent[v])
                if !everySourceSends { any = any || sending[v] }
            }
            if everySourceSends { any = !edges.isEmpty }
            if any {
                typed[s] = accumulated
                present[s] = true
                reached &+= 1
            }
        }
        if everySourceSends && reached == count { everySlotHolds = true }
    }

    /// Calls `body` with the dense block for slots `range`: `u32` slot count, a presence bitmap (bit k of
    /// byte k/8 for slot `range.lowerBound + k`), then the present messages in slot order — 8 raw
    /// little-endian bytes each for arithmetic combining, their `WireCodable` encoding otherwise.
    func withBlock<R>(_ range: Range<Int>, _ body: (UnsafeRawBufferPointer) throws -> R) throws -> R {
        let n = range.count
        let bitmapBytes = (n + 7) / 8
        scratch.removeAll(keepingCapacity: true)
        scratch.reserveCapacity(4 + bitmapBytes + n * max(8, MemoryLayout<Message>.size))
        withUnsafeBytes(of: UInt32(n).littleEndian) { scratch.append(contentsOf: $0) }
        scratch.append(contentsOf: repeatElement(0, count: bitmapBytes))
        var present = 0
        scratch.withUnsafeMutableBufferPointer { bytes in
            let bits = bytes.baseAddress! + 4
            let flags = self.present + range.lowerBound
            for k in 0..<n where flags[k] {
                bits[k >> 3] |= 1 << UInt8(k & 7)
                present += 1
            }
        }
        if arithmetic {
            let start = scratch.count
            scratch.append(contentsOf: repeatElement(0, count: 8 * present))
            scratch.withUnsafeMutableBytes { bytes in
                let raw = UnsafeRawPointer(values + range.lowerBound)
                var at = start
                for k in 0..<n where self.present[range.lowerBound + k] {
                    bytes.storeBytes(of: raw.loadUnaligned(fromByteOffset: 8 * k, as: UInt64.self).littleEndian, toByteOffset: at, as: UInt64.self)
                    at += 8
                }
            }
            return try scratch.withUnsafeBytes(body)
        }
        var w = WireWriter(reservingCapacity: n * MemoryLayout<Message>.size)
        for slot in range where self.present[slot] { values[slot].encode(to: &w) }
        scratch += w.bytes
        return try scratch.withUnsafeBytes(body)
    }

    /// Appends the dense block for slots `range` (see ``withBlock(_:_:)``) to `builder` as partition `q`'s
    /// record with an empty key, written in place when combining is arithmetic.
    func appendBlock(_ range: Range<Int>, partition q: Int, to builder: DirectBlockFileBuilder) throws {
        let noKey = UnsafeRawBufferPointer(start: nil, count: 0)
        guard arithmetic else {
            try withBlock(range) { block in
                builder.append(partition: q, key: noKey, valueCount: block.count) { $0.copyMemory(from: block) }
            }
            return
        }
        let n = range.count
        let bitmapBytes = (n + 7) / 8
        let flags = present + range.lowerBound
        var messages = 0
        if everySlotHolds {
            messages = n
        } else {
            for k in 0..<n where flags[k] { messages += 1 }
        }
        let raw = UnsafeRawPointer(values + range.lowerBound)
        builder.append(partition: q, key: noKey, valueCount: 4 + bitmapBytes + 8 * messages) { out in
            let base = out.baseAddress!
            base.storeBytes(of: UInt32(n).littleEndian, as: UInt32.self)
            if everySlotHolds {
                // Every bit set (the last byte's unused bits clear), then the messages as they lie.
                (base + 4).initializeMemory(as: UInt8.self, repeating: 0xFF, count: bitmapBytes)
                if n % 8 != 0 { base.storeBytes(of: UInt8((1 << (n % 8)) - 1), toByteOffset: 3 + bitmapBytes, as: UInt8.self) }
                for k in 0..<n {
                    let word = raw.loadUnaligned(fromByteOffset: 8 * k, as: UInt64.self).littleEndian
                    base.storeBytes(of: word, toByteOffset: 4 + bitmapBytes + 8 * k, as: UInt64.self)
                }
                return
            }
            for b in 0..<bitmapBytes {
                var byte: UInt8 = 0
                for j in 0..<min(8, n - 8 * b) where flags[8 * b + j] { byte |= 1 << UInt8(j) }
                base.storeBytes(of: byte, toByteOffset: 4 + b, as: UInt8.self)
            }
            var at = 4 + bitmapBytes
            for k in 0..<n where flags[k] {
                base.storeBytes(of: raw.loadUnaligned(fromByteOffset: 8 * k, as: UInt64.self).littleEndian, toByteOffset: at, as: UInt64.self)
                at += 8
            }
        }
    }

    /// Folds a message received as 8 little-endian bytes (arithmetic combining) into slot `slot`.
    @inline(__always) private func fold(_ slot: Int, word: UInt64) {
        if Message.self == Double.self {
            fold(slot, Double(bitPattern: UInt64(littleEndian: word)))
        } else {
            fold(slot, Int64(bitPattern: UInt64(littleEndian: word)))
        }
    }

    /// Combines a dense block (see ``withBlock(_:_:)``) from a sender into these slots through the sender's
    /// slot-to-local-index map; returns the number of messages.
    /// - Throws: `CorruptDataError` naming `source` when the block does not match the map.
    func scatter(_ block: UnsafeRawBufferPointer, localIndices: [Int32], source: String) throws -> Int {
        guard block.count >= 4 else { throw CorruptDataError(source: source, offset: 0, detail: "a dense message block has no slot count") }
        let n = Int(UInt32(littleEndian: block.loadUnaligned(as: UInt32.self)))
        guard n == localIndices.count else {
            throw CorruptDataError(source: source, offset: 0, detail: "a dense message block has \(n) slots, the routing \(localIndices.count)")
        }
        let bitmapBytes = (n + 7) / 8
        guard block.count >= 4 + bitmapBytes else { throw CorruptDataError(source: source, offset: 4, detail: "a dense message block is cut short") }
        let bits = UnsafeRawBufferPointer(rebasing: block[4..<(4 + bitmapBytes)])
        let payload = UnsafeRawBufferPointer(rebasing: block[(4 + bitmapBytes)...])
        var received = 0
        if arithmetic {
            // Every bit set (the usual case, where every vertex sends): one pass without bit tests.
            if payload.count == 8 * n && Self.allBitsSet(bits, count: n) {
                localIndices.withUnsafeBufferPointer { local in
                    for k in 0..<n { fold(Int(local[k]), word: payload.loadUnaligned(fromByteOffset: 8 * k, as: UInt64.self)) }
                }
                added &+= n
                return n
            }
            for k in 0..<n where bits[k >> 3] & (1 << UInt8(k & 7)) != 0 { received += 1 }
            guard payload.count == 8 * received else {
                throw CorruptDataError(
                    source: source, offset: 4 + bitmapBytes, detail: "a dense message block holds \(payload.count) bytes for \(received) messages")
            }
            var at = 0
            localIndices.withUnsafeBufferPointer { local in
                for k in 0..<n where bits[k >> 3] & (1 << UInt8(k & 7)) != 0 {
                    fold(Int(local[k]), word: payload.loadUnaligned(fromByteOffset: at, as: UInt64.self))
                    at += 8
                }
            }
            added &+= received
            return received
        }
        var r = WireReader(payload)
        for k in 0..<n where bits[k >> 3] & (1 << UInt8(k & 7)) != 0 {
            add(slot: Int(localIndices[k]), try Message(from: &r))
            received += 1
        }
        try r.expectEnd()
        return received
    }
}

extension CombinedSlots {
    /// Whether the first `count` bits of `bits` (bit k in byte k/8) are all set.
    static func allBitsSet(_ bits: UnsafeRawBufferPointer, count: Int) -> Bool {
        var k = 0
        while k + 64 <= count {
            guard bits.loadUnaligned(fromByteOffset: k >> 3, as: UInt64.self) == .max else { return false }
            k += 64
        }
        while k < count {
            guard bits[k >> 3] & (1 << UInt8(k & 7)) != 0 else { return false }
            k += 1
        }
        return true
    }
}
