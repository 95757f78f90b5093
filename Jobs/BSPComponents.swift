import Spindle
import SpindleTools

/// `bsp-components`: weakly connected components with the partition-level BSP API. Each partition joins the
/// edges of its vertices in a local union-find, so a component inside one partition is found at once; between
/// partitions only the labels of boundary vertices travel, and only when they change. It takes a few
/// supersteps where `connectedcomponents` (vertex by vertex) takes as many as the graph's diameter.
///
/// Output: `vertex<TAB>component`, the component named by its smallest vertex id: the lines
/// `connectedcomponents` writes.
public enum BSPComponents {
    public static var job: Job { definition.job }

    /// Messages are id pairs: an edge `source, target` from the loaders, then `vertex, label` between partitions.
    public static var definition: BSPJob<ComponentsPartition, Pair<Int64, Int64>> {
        BSPJob(
            name: "bsp-components", summary: "Weakly connected components with per-partition union-find (BSP API)",
            defaultInput: { [try SampleData.graph()] },
            load: { record, loader in
                guard let edge = try EdgeListFormat.parse(record.bytes) else { return }
                let pair = Pair(edge.source, edge.target)
                let (a, b) = (partition(of: edge.source, count: loader.partitionCount), partition(of: edge.target, count: loader.partitionCount))
                loader.send(toPartition: a, pair)
                if b != a { loader.send(toPartition: b, pair) }
            },
            makeState: { partition, count, edges in ComponentsPartition(partition: partition, partitionCount: count, edges: edges) },
            compute: { state, labels, context in
                var changed = try state.merge(labels, partition: context.partition)
                if context.superstep == 0 { changed = Array(repeating: true, count: changed.count) }
                for k in state.boundaryVertex.indices {
                    let v = Int(state.boundaryVertex[k])
                    let c = Int(state.component[v])
                    if changed[c] { context.send(toPartition: Int(state.boundaryPartition[k]), Pair(state.ids[v], state.label[c])) }
                }
                context.voteToHalt()
            },
            output: { state, output in
                for i in state.ids.indices where state.owned[i] {
                    try output.write(state.ids[i], state.label[Int(state.component[i])])
                }
            })
    }

    /// The partition that owns vertex `id`: a mix of its bits, modulo `count`.
    public static func partition(of id: Int64, count: Int) -> Int {
        var x = UInt64(bitPattern: id)
        x ^= x >> 33
        x &*= 0xff51_afd7_ed55_8ccd
        x ^= x >> 33
        x &*= 0xc4ce_b9fe_1a85_ec53
        x ^= x >> 33
        return Int(x % UInt64(count))
    }
}
