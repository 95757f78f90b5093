/// What the shell and the engines read from the barrier between inputs: roles, committed tasks, partitions of
/// tasks, epochs and counters. Nothing here changes the state.
extension SuperstepBarrier {
    /// What `stage` does, if the barrier planned it.
    package func role(of stage: Int) -> StageRole? { roles[stage] }

    /// The committed tasks of partition stage `stage`, by partition (nil where none committed or the outputs
    /// were released).
    package func committedTasks(of stage: Int) -> [CommittedTask?] {
        committedTasks[stage] ?? Array(repeating: nil, count: settings.partitions)
    }

    /// The partition task `task` runs on (its index, unless its stage runs only some partitions).
    package func partition(of task: TaskID) -> Int {
        guard let members = stageMembers[task.stage], members.indices.contains(task.index) else { return task.index }
        return members[task.index]
    }

    /// Whether `stage` runs only some partitions (a stage of a confined recovery).
    package func isPartial(_ stage: Int) -> Bool { stageMembers[stage] != nil }

    /// The epoch the tasks of `partition` carry.
    package func epoch(of partition: Int) -> Int { partitionEpochs.indices.contains(partition) ? partitionEpochs[partition] : epoch }

    /// The partition after `partition` with the same owner: the one its worker runs next in a stage (a worker
    /// is given its partitions' tasks in index order).
    package func nextOwned(after partition: Int) -> Int? {
        guard partition < owners.count else { return nil }
        return (partition + 1..<owners.count).first { owners[$0] == owners[partition] }
    }

    /// The counters under the engine's names, in its order.
    package var namedCounters: [(String, Int)] {
        var values = counters
        values.members = totalMembers ?? 0
        values.checkpoints = checkpoints.count
        return settings.vocabulary.named(values)
    }
}
