import Spindle
import SpindleTools

/// `connectedcomponents`: weakly connected components by min-label propagation (edges taken as undirected).
/// Output: `vertex<TAB>component`, the component named by its smallest vertex id.
public enum ConnectedComponents {
    public static var job: Job { definition.job }

    public static var definition: PregelJob<Int64, Unweighted, Int64> {
        PregelJob(
            name: "connectedcomponents", summary: "Weakly connected components of a graph (edge list)",
            defaultInput: { [try SampleData.graph()] },
            undirected: { _ in true },
            edgeValue: { _ in Unweighted() },
            makeInitialValue: { _ in { id, _, _ in id } },
            makeCompute: { _ in
                { vertex, messages in
                    if vertex.superstep == 0 {
                        vertex.sendToAllNeighbors(vertex.value)
                    } else if let smallest = messages.min(), smallest < vertex.value {
                        vertex.value = smallest
                        vertex.sendToAllNeighbors(smallest)
                    }
                    vertex.voteToHalt()
                }
            },
            combiner: .min)
    }
}
