extension PackageTemplate {
    /// The MapReduce job: a word count with a parameter, a combiner and a counter.
    var wordCountJob: String {
        #"""
        import Spindle

        /// `word-count`: how often each word (a run of letters) occurs, in lower case, ignoring words shorter
        /// than `--param min-length=N`. Output: `word<TAB>count` lines, each part file sorted by word.
        let wordCount = MapReduceJob<String, Int>(
            name: "word-count", summary: "Count the words of text files, in lower case",
            parameters: [JobParameter("min-length", .int(1...100), default: "1", help: "ignore shorter words")],
            defaultInput: { [SampleData.path("sample.txt")] },  // used when `run` gets no --input
            makeMap: { parameters in  // once per map task: read the parameters here, not per line
                let minimum = parameters.int("min-length")
                return { record, output in  // once per input line
                    for word in record.text.split(whereSeparator: { !$0.isLetter }) where word.count >= minimum {
                        output.emit(word.lowercased(), 1)
                    }
                }
            },
            combine: { total, count in total += count },  // on the map side; associative and commutative
            makeReduce: { _ in
                { word, counts, output in  // once per distinct word, in sorted order
                    var total = 0
                    for count in counts { total += count }
                    try output.write(word, total)
                    output.counters.increment("distinct words")  // summed in out/word-count/_SUCCESS
                }
            })

        """#
    }

    /// The Pregel job: breadth-first search from a source vertex, with parameters, a combiner, an
    /// `undirected:` choice and a `formatValue:`.
    var hopsJob: String {
        #"""
        import Spindle

        /// `hops`: the fewest edges from `--param source=ID` to every vertex of an edge list (a breadth-first
        /// search, one superstep per hop). Output: `vertex<TAB>hops`, or `vertex<TAB>unreachable`.
        let hops = PregelJob<Int64, Unweighted, Int64>(  // vertex value, edge value, message
            name: "hops", summary: "Fewest edges from a source vertex to every vertex",
            parameters: [
                JobParameter("source", .int, default: "1", help: "the vertex to start from"),
                JobParameter("undirected", .bool, default: "false", help: "also follow every edge backwards"),
            ],
            defaultInput: { [SampleData.path("graph.txt")] },
            undirected: { parameters in parameters.bool("undirected") },  // true: each line is an edge both ways
            edgeValue: { _ in Unweighted() },  // the optional weight column is ignored
            makeInitialValue: { parameters in
                let source = Int64(parameters.int("source"))
                return { id, _, _ in id == source ? 0 : .max }  // (id, outDegree, totalVertices)
            },
            makeCompute: { _ in
                { vertex, messages in  // once per active vertex (or one with messages) per superstep
                    if vertex.superstep == 0 {
                        if vertex.value == 0 { vertex.sendToAllNeighbors(1) }  // the source starts the search
                    } else if let nearest = messages.min(), nearest < vertex.value {
                        vertex.value = nearest
                        vertex.sendToAllNeighbors(nearest + 1)
                    }
                    vertex.voteToHalt()  // a message wakes the vertex up again
                }
            },
            combiner: .min,  // messages to one vertex are combined on the sender and the receiver
            formatValue: { hops in hops == .max ? "unreachable" : String(hops) })

        """#
    }
}
