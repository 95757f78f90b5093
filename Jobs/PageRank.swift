import Spindle
import SpindleTools

/// `pagerank`: PageRank by power iteration in the Pregel model. Dangling vertices' rank is spread uniformly
/// over all vertices (networkx's definition); every edge line counts, so parallel edges carry proportionally
/// more rank and self-loops are edges. Output: `vertex<TAB>rank`.
public enum PageRank {
    public static var job: Job { definition.job }

    public static var definition: PregelJob<Double, Unweighted, Double> {
        PregelJob(
            name: "pagerank", summary: "PageRank of every vertex of a graph (edge list)",
            parameters: [
                JobParameter("damping", .double, default: "0.85", help: "probability of following an edge", condition: .between(0, 1)),
                JobParameter("iterations", .int(0...1_000_000), default: "20", help: "iterations (the cap when a tolerance is given)"),
                JobParameter(
                    "tolerance", .double, default: "0", help: "stop once the L1 change of the ranks is below this (0: off)", condition: .atLeast(0)),
                JobParameter("undirected", .bool, default: "false", help: "add the reverse of every edge"),
            ],
            defaultInput: { [try SampleData.graph()] },
            undirected: { $0.bool("undirected") },
            edgeValue: { _ in Unweighted() },
            makeInitialValue: { _ in { _, _, total in 1 / Double(total) } },
            makeCompute: { parameters in
                let damping = parameters.double("damping")
                let iterations = parameters.int("iterations")
                return { vertex, messages in
                    let n = Double(vertex.totalVertices)
                    if vertex.superstep > 0 {
                        var sum = 0.0
                        for m in messages { sum += m }
                        let rank = (1 - damping) / n + damping * (sum + vertex.aggregated("dangling") / n)
                        vertex.aggregate("delta", abs(rank - vertex.value))
                        vertex.value = rank
                    }
                    guard vertex.superstep < iterations else {
                        vertex.voteToHalt()
                        return
                    }
                    if vertex.outDegree == 0 {
                        vertex.aggregate("dangling", vertex.value)
                    } else {
                        vertex.sendToAllNeighbors(vertex.value / Double(vertex.outDegree))
                    }
                }
            },
            combiner: .sum,
            aggregators: [.sum("dangling"), .sum("delta")],
            makeMasterCompute: { parameters in
                let tolerance = parameters.double("tolerance")
                return { master in
                    if tolerance > 0 && master.superstep > 0 && master.aggregated("delta") < tolerance { master.halt = true }
                }
            })
    }
}
