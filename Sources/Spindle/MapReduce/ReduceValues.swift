import SpindleCore

/// The values of one key in a reduce call, decoded one at a time as they are merged from the sorted runs.
/// Iterate it once, inside the reduce call; values not consumed are skipped.
public struct ReduceValues<Value: WireCodable>: Sequence, IteratorProtocol {
    let group: ReduceGroup

    /// The key's next value, or nil after the last (or when a value does not decode: the task then fails).
    public mutating func next() -> Value? {
        guard let bytes = group.nextValue() else { return nil }
        do {
            var reader = WireReader(bytes)
            let value = try Value(from: &reader)
            try reader.expectEnd()
            return value
        } catch {
            group.fail(error)
            return nil
        }
    }
}

/// Walks the merged records of a reduce partition key group by key group.
final class ReduceGroup {
    private enum State {
        case fresh
        /// The merger sits on the first record of the current group, not yet handed out.
        case firstValuePending
        case inGroup
        /// The merger sits on the first record of the next group.
        case nextGroupPending
        case exhausted
    }
    private var merger: RunMerger
    private var state = State.fresh
    /// The current group's key bytes.
    private(set) var key: [UInt8] = []
    private(set) var failure: (any Error)?
    /// Records read so far.
    private(set) var records = 0

    init(merger: RunMerger) { self.merger = merger }

    /// Moves to the next key group, skipping values of the current one that were not consumed; false at the end.
    func nextGroup() throws -> Bool {
        while true {
            switch state {
            case .fresh:
                guard try merger.next() else {
                    state = .exhausted
                    return false
                }
                records += 1
                state = .nextGroupPending
            case .firstValuePending, .inGroup:
                while nextValue() != nil {}
                if let failure { throw failure }
            case .nextGroupPending:
                key = Array(merger.key)
                state = .firstValuePending
                return true
            case .exhausted:
                if let failure { throw failure }
                return false
            }
        }
    }

    /// The next value bytes of the current group, or nil at its end.
    func nextValue() -> UnsafeRawBufferPointer? {
        switch state {
        case .firstValuePending:
            state = .inGroup
            return merger.value
        case .inGroup:
            do {
                guard try merger.next() else {
                    state = .exhausted
                    return nil
                }
            } catch {
                fail(error)
                state = .exhausted
                return nil
            }
            records += 1
            if key.withUnsafeBytes({ ByteString.compare($0, merger.key) }) != 0 {
                state = .nextGroupPending
                return nil
            }
            return merger.value
        default:
            return nil
        }
    }

    func fail(_ error: any Error) {
        if failure == nil { failure = error }
    }
}
