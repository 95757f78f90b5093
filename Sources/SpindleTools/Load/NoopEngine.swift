import Spindle
import SpindleCore

/// The test job `noop`: `--param tasks=N` tasks that do nothing but echo their index, for measuring what the
/// coordinator itself costs per task (the load test, `spindle-testjobs loadtest`). The coordinator writes
/// `part-00000` with one line `task<TAB>attempt<TAB>worker` per task, in task order, and fails the job if a
/// task ever committed twice: the output shows that every task committed exactly once.
package struct NoopEngine: JobEngine {
    package static let job = Job(
        name: "noop",
        summary: "Test only: tasks that do nothing (echo their index), for load tests of the coordinator",
        parameters: [JobParameter("tasks", .int(0...10_000_000), default: "1000", help: "how many tasks")],
        defaultInput: { [] },
        engine: NoopEngine())

    package func makeDriver(_ setup: DriverSetup) throws -> any JobDriver { NoopDriver(setup) }

    package func runTask(_ assignment: TaskAssignment, context: TaskContext) throws -> TaskOutcome {
        TaskOutcome(payload: assignment.payload, statistics: AttemptStatistics())
    }

    /// The payload of task `index`, which its result echoes.
    package static func payload(index: Int) -> [UInt8] { index.wireEncoded() }
}

final class NoopDriver: JobDriver {
    private let setup: DriverSetup
    private let taskCount: Int
    /// The committed attempt and worker of each task.
    private var commits: [(attempt: AttemptID, worker: WorkerID)?]

    init(_ setup: DriverSetup) {
        self.setup = setup
        taskCount = setup.parameters.int("tasks")
        commits = Array(repeating: nil, count: taskCount)
    }

    var engineSettings: [UInt8] { [] }

    func start(_ control: any DriverControl) throws {
        let stage = control.addStage(taskCount: taskCount, locationBound: false, name: "noop")
        if taskCount == 0 { control.finish() }
        _ = stage
    }

    func payload(for task: TaskID) -> [UInt8] { NoopEngine.payload(index: task.index) }

    func describe(_ task: TaskID) -> String { "noop task \(task.index)" }

    func validate(_ result: AttemptResult, of task: TaskID) -> ReportCheck {
        result.payload == NoopEngine.payload(index: task.index) ? .accepted : .rejected(reason: "its result of \(describe(task)) does not echo the task's index")
    }

    func committed(_ task: TaskID, attempt: AttemptID, worker: WorkerID, result: AttemptResult, control: any DriverControl) throws {
        if let first = commits[task.index] {
            throw SpindleError(.other, "\(describe(task)) committed twice: by \(first.attempt) and by \(attempt)")
        }
        commits[task.index] = (attempt, worker)
    }

    func stageCompleted(_ stage: Int, control: any DriverControl) throws { control.finish() }

    func finalize(summary: JobSummary) throws -> [(String, Int)] {
        var text = ""
        text.reserveCapacity(taskCount * 16)
        for (index, commit) in commits.enumerated() {
            guard let commit else { throw SpindleError(.other, "\(describe(TaskID(stage: 0, index: index))) never committed") }
            text += "\(index)\t\(commit.attempt.rawValue)\t\(commit.worker.rawValue)\n"
        }
        try setup.output.writeFile("part-00000", Array(text.utf8))
        let counters = [("tasks", taskCount)]
        try setup.output.succeed(successRecord(setup: setup, summary: summary, counters: counters))
        return counters
    }
}
