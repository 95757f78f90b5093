import SpindleCore
import SpindlePosix

extension PartitionHost {
    /// The directory superstep `task` writes its checkpoint into: the output's (``PartitionTask/checkpointDirectory``)
    /// or this worker's scratch (`--checkpoint-store workers`), or nil when it writes none.
    func checkpointDirectory(of task: PartitionTask) throws -> String? {
        if let dir = task.checkpointDirectory {
            guard context.services.shipping.storage.seesOutput else {
                throw TaskFailure(
                    "this worker cannot see the output directory, so it cannot write the checkpoint into \(dir); "
                        + "run the job with --checkpoint-store auto (the default) or workers when hosts share no file system")
            }
            return dir
        }
        guard task.workerCheckpoints?.write == true else { return nil }
        return try CheckpointReplica.directory(context, superstep: task.superstep)
    }

    /// After a superstep wrote its checkpoint into `dir`: with checkpoints kept by workers, this worker's copy
    /// (served from now on); nil otherwise.
    func publishCheckpoint(_ task: PartitionTask, dir: String) throws -> CheckpointCopy? {
        guard task.workerCheckpoints?.write == true else { return nil }
        return try CheckpointReplica.publish(
            dir, partition: task.partition, superstep: task.superstep, sealedState: CheckpointStore.statePath(dir, partition: task.partition),
            context: context)
    }

    /// `task` with its checkpoint state fetched from a holder into this worker's scratch when it restores from a
    /// checkpoint kept by workers, and the scratch file to delete once restored.
    func fetchingRestoredState(_ task: PartitionTask) throws -> (task: PartitionTask, fetched: String?) {
        guard let holder = task.workerCheckpoints?.restore else { return (task, nil) }
        var task = task
        let path = try CheckpointReplica.fetchState(holder, context: context)
        task.restoreStatePath = path
        return (task, path)
    }

    /// Deletes the local checkpoints the coordinator no longer keeps (checkpoints kept by workers only).
    func pruneLocalCheckpoints(_ task: PartitionTask) {
        if let plan = task.workerCheckpoints { CheckpointReplica.prune(keeping: plan.kept, context: context) }
    }
}
