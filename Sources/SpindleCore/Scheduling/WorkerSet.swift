/// A set of workers kept in ascending order: the scheduler's workers with a free slot, visited in id order
/// (so that assignment is deterministic) without sorting every live worker for every event.
package struct WorkerSet: Sendable, Equatable {
    /// The members, ascending.
    package private(set) var elements: [WorkerID] = []

    package init() {}

    package var isEmpty: Bool { elements.isEmpty }

    /// Adds `worker` unless it is a member. O(log n) search, O(n) move of at most a few KiB.
    package mutating func insert(_ worker: WorkerID) {
        let position = insertionPoint(of: worker)
        if position == elements.count || elements[position] != worker { elements.insert(worker, at: position) }
    }

    /// Removes `worker` if it is a member.
    package mutating func remove(_ worker: WorkerID) {
        let position = insertionPoint(of: worker)
        if position < elements.count && elements[position] == worker { elements.remove(at: position) }
    }

    package func contains(_ worker: WorkerID) -> Bool {
        let position = insertionPoint(of: worker)
        return position < elements.count && elements[position] == worker
    }

    /// The first position whose member is not below `worker` (binary search).
    private func insertionPoint(of worker: WorkerID) -> Int {
        var low = 0
        var high = elements.count
        while low < high {
            let middle = (low + high) / 2
            if elements[middle] < worker { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
