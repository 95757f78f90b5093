/// Identifies a worker process for the lifetime of one job; assigned by the coordinator at registration.
public struct WorkerID: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var rawValue: UInt32
    public init(_ rawValue: UInt32) { self.rawValue = rawValue }
    public static func < (a: WorkerID, b: WorkerID) -> Bool { a.rawValue < b.rawValue }
    public var description: String { "worker \(rawValue)" }
}

/// Identifies a task: its stage (0 = first phase, e.g. map) and its index within that stage.
public struct TaskID: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var stage: Int
    public var index: Int
    public init(stage: Int, index: Int) {
        self.stage = stage
        self.index = index
    }
    public static func < (a: TaskID, b: TaskID) -> Bool { (a.stage, a.index) < (b.stage, b.index) }
    public var description: String { "task \(stage).\(index)" }
}

/// Identifies one try of a task. Every attempt gets a fresh id, so results of superseded attempts are recognisable.
public struct AttemptID: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var rawValue: UInt64
    public init(_ rawValue: UInt64) { self.rawValue = rawValue }
    public static func < (a: AttemptID, b: AttemptID) -> Bool { a.rawValue < b.rawValue }
    public var description: String { "attempt \(rawValue)" }
}
