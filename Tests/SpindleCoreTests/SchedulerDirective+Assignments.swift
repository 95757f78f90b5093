@testable import SpindleCore

extension SchedulerDirective {
    /// The attempt, task and worker of an `assign` directive; nil for every other directive.
    var assignment: (attempt: AttemptID, task: TaskID, worker: WorkerID)? {
        if case .assign(let attempt, let task, let worker, _) = self { return (attempt, task, worker) }
        return nil
    }
}

/// The `assign` directives among `directives`, in order, as (attempt, task, worker): what the scheduler tests read.
func assignments(_ directives: [SchedulerDirective]) -> [(attempt: AttemptID, task: TaskID, worker: WorkerID)] {
    directives.compactMap(\.assignment)
}
