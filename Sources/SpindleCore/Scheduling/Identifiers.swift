/// Identifies a worker process for the lifetime of one job; assigned by the coordinator at registration.
package struct WorkerID: Hashable, Comparable, Sendable, CustomStringConvertible {
    package var rawValue: UInt32
    package init(_ rawValue: UInt32) { self.rawValue = rawValue }
    package static func < (a: WorkerID, b: WorkerID) -> Bool { a.rawValue < b.rawValue }
    package var description: String { "worker \(rawValue)" }
}

/// Identifies a task: its stage (0 = first phase, e.g. map) and its index within that stage.
package struct TaskID: Hashable, Comparable, Sendable, CustomStringConvertible {
    package var stage: Int
    package var index: Int
    package init(stage: Int, index: Int) {
        self.stage = stage
        self.index = index
    }
    package static func < (a: TaskID, b: TaskID) -> Bool { (a.stage, a.index) < (b.stage, b.index) }
    package var description: String { "task \(stage).\(index)" }
}

/// Identifies one try of a task. Every attempt gets a fresh id, so results of superseded attempts are recognisable.
package struct AttemptID: Hashable, Comparable, Sendable, CustomStringConvertible {
    package var rawValue: UInt64
    package init(_ rawValue: UInt64) { self.rawValue = rawValue }
    package static func < (a: AttemptID, b: AttemptID) -> Bool { a.rawValue < b.rawValue }
    package var description: String { "attempt \(rawValue)" }
}
