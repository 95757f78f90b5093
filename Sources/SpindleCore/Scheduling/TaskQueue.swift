/// The pending tasks of one stage, in the order they are handed out: a double-ended queue of task indices.
///
/// Popping the front and pushing back to the front are O(1) amortized, so a stage of hundreds of thousands of
/// tiny tasks costs the scheduler the same per task as a stage of ten. Removing an index from the middle is
/// O(n); the scheduler does it only for the rare task that commits or is restored while queued.
package struct TaskQueue: Sendable, Equatable {
    /// `items[head...]` are the queued indices, front first; `items[..<head]` is free room for ``pushFront(_:)``.
    private var items: [Int]
    private var head = 0

    /// A queue holding `indices`, the first of them at the front.
    package init(_ indices: [Int] = []) { items = indices }

    /// Whether no index is queued.
    package var isEmpty: Bool { head == items.count }
    /// How many indices are queued.
    package var count: Int { items.count - head }
    /// The queued indices, front first.
    package var elements: ArraySlice<Int> { items[head...] }

    /// Puts `index` at the front.
    package mutating func pushFront(_ index: Int) {
        if head == 0 {
            // Leave room in front for as many pushes as there are queued indices, so pushing n costs O(n) in all.
            let room = max(16, count)
            items.insert(contentsOf: repeatElement(0, count: room), at: 0)
            head = room
        }
        head -= 1
        items[head] = index
    }

    /// Puts `index` at the back.
    package mutating func pushBack(_ index: Int) { items.append(index) }

    /// Removes and returns the first queued index for which `accepts` holds, nil when none does. O(1) when the
    /// front one is accepted.
    package mutating func removeFirst(where accepts: (Int) -> Bool) -> Int? {
        var position = head
        while position < items.count {
            let index = items[position]
            if accepts(index) {
                if position == head {
                    head += 1
                    compactIfSparse()
                } else {
                    items.remove(at: position)
                }
                return index
            }
            position += 1
        }
        return nil
    }

    /// Removes every occurrence of `index`. O(n).
    package mutating func remove(_ index: Int) {
        guard let position = items[head...].firstIndex(of: index) else { return }
        items.remove(at: position)
        items[head...].removeAll { $0 == index }
    }

    /// Empties the queue.
    package mutating func removeAll() {
        items.removeAll()
        head = 0
    }

    /// Frees the popped front once it is most of the storage (amortized O(1) per pop).
    private mutating func compactIfSparse() {
        if head == items.count {
            items.removeAll(keepingCapacity: true)
            head = 0
        } else if head >= 4096 && head * 2 >= items.count {
            items.removeFirst(head)
            head = 0
        }
    }
}
