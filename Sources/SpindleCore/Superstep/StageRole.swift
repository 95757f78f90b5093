/// What one stage of a superstep job does: the barrier's plan of stages. Stages run in this order: `load`,
/// `prepare`, `resolve` (jobs that resolve message targets), one `superstep` per superstep, `output`; a
/// rollback starts again at a new `prepare`, and a confined recovery at a `prepare` of the recovering partitions
/// only, followed by their `replay` stages.
package enum StageRole: Sendable, Equatable {
    /// Parse the input splits and shuffle their records to their partitions (one task per split).
    case load
    /// Each partition's owner builds its state from the load outputs, or restores it from `restore`.
    case prepare(restore: CheckpointManifest?)
    /// Each partition learns, from the outputs of `prepareStage`, which member each message slot is for.
    case resolve(restore: CheckpointManifest?, prepareStage: Int)
    /// Superstep `superstep` on every partition, reading messages from `inbox`; when `writesCheckpoint`, each
    /// partition also writes its part of the checkpoint of this superstep.
    case superstep(Int, inbox: InboxPlan, writesCheckpoint: Bool)
    /// Confined recovery: the recovering partitions (the stage's members, see ``SuperstepBarrier/partition(of:)``)
    /// compute superstep `superstep` again from `inbox`, with the aggregates and globals they saw the first time;
    /// master compute does not run and nothing is checkpointed.
    case replay(Int, inbox: InboxPlan)
    /// Each partition's checkpoint files of superstep `superstep`, written by the tasks of `superstepStage`, are
    /// copied to a second worker (``CheckpointStoreMode/workers``): the checkpoint commits when this stage completes
    /// with every copy matching its original.
    case replicate(Int, superstepStage: Int)
    /// The committed checkpoint of superstep `checkpoint` has partitions with a single copy left (a holder was
    /// lost): each of them (the stage's members) is copied again, from its surviving holder to another owner, between
    /// superstep `superstep` (whose tasks are `superstepStage`) and the next, so that a second loss is recoverable too.
    case recopy(checkpoint: Int, superstep: Int, superstepStage: Int)
    /// Each partition writes its part file.
    case output
}

/// Where the messages of a superstep come from.
package enum InboxPlan: Sendable, Equatable {
    /// Nowhere: superstep 0 without a checkpoint (members start from their initial values).
    case none
    /// The message outputs of stage `stage`, the superstep before.
    case previousStage(Int)
    /// The message files of the committed checkpoint of superstep `superstep`.
    case checkpoint(superstep: Int)
    /// The messages sent in superstep `superstep`, from each sender's newest committed output of it, which its
    /// worker serves from memory or from its message log (confined recovery).
    case logged(superstep: Int)
}
