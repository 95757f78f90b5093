import Spindle
import SpindleTools

/// `sssp`: single-source shortest paths from `--param source=ID` over edge weights from the input's third
/// column (default 1; a negative weight is a malformed record naming `file:line`). Output:
/// `vertex<TAB>distance`, an integer when the distance is integral, `inf` when the vertex is unreachable.
/// A source that is not a vertex of the graph fails the job (bad input, exit 2) after superstep 0.
public enum ShortestPaths {
    public static var job: Job { definition.job }

    /// The default source: the vertex of the sample graph (`Datasets/sample-graph.txt`) with the most out-edges,
    /// from which 2,507 of its 2,952 vertices are reachable (vertex 0 has no out-edges there).
    public static let sampleSource = 2180

    public static var definition: PregelJob<Double, Double, Double> {
        var definition = PregelJob<Double, Double, Double>(
            name: "sssp", summary: "Shortest path distances from one vertex of a graph (edge list)",
            parameters: [
                JobParameter(
                    "source", .int(Int.min...Int.max), default: String(sampleSource),
                    help: "the vertex the distances are measured from (the default is the sample graph's best connected vertex)"),
                JobParameter("undirected", .bool, default: "false", help: "add the reverse of every edge"),
            ],
            defaultInput: { [try SampleData.graph()] },
            undirected: { $0.bool("undirected") },
            edgeValue: { $0 ?? 1 },
            makeInitialValue: { parameters in
                let source = Int64(parameters.int("source"))
                return { id, _, _ in id == source ? 0 : .infinity }
            },
            makeCompute: { parameters in
                let source = Int64(parameters.int("source"))
                return { vertex, messages in
                    var improved = vertex.superstep == 0 && vertex.id == source
                    if improved { vertex.aggregate("source", 1) }
                    if let best = messages.min(), best < vertex.value {
                        vertex.value = best
                        improved = true
                    }
                    if improved {
                        for e in 0..<vertex.outDegree { vertex.send(alongEdge: e, vertex.value + vertex.edgeValue(e)) }
                    }
                    vertex.voteToHalt()
                }
            },
            combiner: .min,
            aggregators: [.sum("source")],
            makeMasterCompute: { parameters in
                let source = parameters.int("source")
                return { master in
                    // Without its source every distance would be `inf`: say so instead of writing that output.
                    guard master.superstep == 0, master.totalVertices > 0, master.aggregated("source") == 0 else { return }
                    master.failure = SpindleError(
                        .badInput,
                        "the source vertex \(source) is not in the graph (\(master.totalVertices) vertices); "
                            + "pass --param source=ID with the id of a vertex of the input")
                }
            },
            formatValue: { distance in
                if distance == .infinity { return "inf" }
                if distance == distance.rounded(), abs(distance) < 1e15 { return String(Int64(distance)) }
                return "\(distance)"
            })
        // Distances are only well defined without negative weights (a negative cycle has no shortest path,
        // and the algorithm would run to --max-supersteps): such a line is a malformed record.
        definition.checkWeight = { weight in
            weight < 0 ? "negative weight \(weight) (sssp needs weights of 0 or more)" : nil
        }
        return definition
    }
}
