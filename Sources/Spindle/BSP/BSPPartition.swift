/// What a worker holds of a BSP partition between supersteps (inside a ``HostedPartition``): the job's state
/// after the last superstep this worker committed, and whether the partition voted to halt in it.
struct BSPPartition<Value> {
    var value: Value
    var halted: Bool
}
