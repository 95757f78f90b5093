/// The median of a growing collection of values, updated in O(log n) per insertion: the value at index
/// `count / 2` of the values in ascending order (the upper median when the count is even), kept as a max-heap
/// of the lower half and a min-heap of the upper half.
///
/// The scheduler's straggler threshold uses it, so that a stage of a million tasks does not sort a million
/// durations every time it looks for a straggler.
package struct RunningMedian<Value: Comparable & Sendable>: Sendable {
    /// The values below index `count / 2`, largest on top.
    private var lower = BinaryHeap<Descending<Value>>()
    /// The values from index `count / 2` on, smallest on top.
    private var upper = BinaryHeap<Value>()

    package init() {}

    /// How many values were inserted.
    package var count: Int { lower.count + upper.count }

    /// The median, nil while no value was inserted.
    package var median: Value? { upper.top }

    /// Adds `value`.
    package mutating func insert(_ value: Value) {
        if let top = upper.top, value < top {
            lower.push(Descending(value))
        } else {
            upper.push(value)
        }
        // Keep lower.count == count / 2: the upper heap's top is then the value at index count / 2.
        if lower.count > upper.count {
            upper.push(lower.pop()!.value)
        } else if upper.count > lower.count + 1 {
            lower.push(Descending(upper.pop()!))
        }
    }
}

/// A value ordered the other way round (a max-heap is a ``BinaryHeap`` of these).
package struct Descending<Value: Comparable & Sendable>: Comparable, Sendable {
    package var value: Value
    package init(_ value: Value) { self.value = value }
    package static func < (a: Self, b: Self) -> Bool { b.value < a.value }
}

/// A binary min-heap: push and pop in O(log n), the smallest element on top.
package struct BinaryHeap<Element: Comparable & Sendable>: Sendable {
    private var storage: [Element] = []

    package init() {}

    package var count: Int { storage.count }
    /// The smallest element, nil when empty.
    package var top: Element? { storage.first }

    package mutating func push(_ element: Element) {
        storage.append(element)
        var child = storage.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard storage[child] < storage[parent] else { break }
            storage.swapAt(child, parent)
            child = parent
        }
    }

    /// Removes and returns the smallest element, nil when empty.
    package mutating func pop() -> Element? {
        guard !storage.isEmpty else { return nil }
        storage.swapAt(0, storage.count - 1)
        let smallest = storage.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1
            guard left < storage.count else { break }
            var child = left
            if left + 1 < storage.count && storage[left + 1] < storage[left] { child = left + 1 }
            guard storage[child] < storage[parent] else { break }
            storage.swapAt(child, parent)
            parent = child
        }
        return smallest
    }
}
