import Spindle
import SpindleTools

/// `sssp`: single-source shortest paths from `--param source=ID` over edge weights from the input's third
/// column (default 1; a negative weight is a malformed record naming `file:line`). Output:
/// `vertex<TAB>distance`, an integer when the distance is integral, `inf` when the vertex is unreachable.
public enum ShortestPaths {
    public static var job: Job { definition.job }

    public static var definition: PregelJob<Double, Double, Double> {
        var definition = PregelJob<Double, Double, Double>(
            name: "sssp", summary: "Shortest path distances from one vertex of a graph (edge list)",
            parameters: [
                JobParameter("source", .int(Int.min...Int.max), default: "0", help: "the vertex the distances are measured from"),
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
