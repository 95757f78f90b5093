// Pregel jobs of the multi-process tests: slowed jobs to kill workers at a chosen superstep, master compute,
// inbox delivery, and an undeclared aggregator.
import Spindle
import SpindleCore
import SpindleJobs
import SpindlePosix
import SpindleTools

/// PageRank whose every superstep task first waits `delay`, so tests can kill workers at a chosen superstep.
let slowPageRank = slowed(PageRank.definition, name: "slowpagerank", delay: "300ms")

/// `job` renamed `name`, whose every superstep task first waits `delay`, so tests can kill workers at a chosen
/// superstep (confined recovery tests of the built-in graph jobs).
func slowed<V, E, M>(_ definition: PregelJob<V, E, M>, name: String, delay: String = "150ms") -> PregelJob<V, E, M> {
    var job = definition
    job.name = name
    job.summary = "Test only: \(definition.name) with a pause in every superstep task"
    job.parameters.append(JobParameter("delay", .duration, default: delay, help: "pause per superstep task"))
    let inner = job.makeCompute
    job.makeCompute = { parameters in
        let compute = try inner(parameters)
        let delay = parameters.duration("delay")
        var paused = false
        return { vertex, messages in
            if !paused {
                paused = true
                MonotonicClock.sleep(delay)
            }
            compute(vertex, messages)
        }
    }
    return job
}

/// Master compute keeps a running sum in a global and halts after superstep 7; vertices copy the global and
/// feed sum, min, max and count aggregators. Every vertex ends with 1 + 2 + ... + 7 = 28.
let masterTest = PregelJob<Double, Unweighted, Double>(
    name: "mastertest", summary: "Test only: master compute state, halting and aggregators",
    parameters: [JobParameter("delay", .duration, default: "0s", help: "pause per superstep task")],
    edgeValue: { _ in Unweighted() },
    makeInitialValue: { _ in { _, _, _ in 0 } },
    makeCompute: { parameters in
        let delay = parameters.duration("delay")
        var paused = false
        return { vertex, _ in
            if !paused {
                paused = true
                MonotonicClock.sleep(delay)
            }
            vertex.value = vertex.global("acc") ?? 0
            vertex.aggregate("one", 1)
            vertex.aggregate("smallest", Double(vertex.id))
            vertex.aggregate("largest", Double(vertex.id))
            vertex.aggregate("vertices", 5)  // a count counts contributions, whatever their amount
        }
    },
    aggregators: [.sum("one"), .min("smallest"), .max("largest"), .count("vertices")],
    makeMasterCompute: { _ in
        { master in
            master.globals["acc", default: 0] += Double(master.superstep + 1)
            if master.superstep == 7 { master.halt = true }
        }
    })

/// Every vertex sends 1 to each out-neighbour once; then its value is `count * 1_000_000 + sum` of what it
/// received, showing how many messages arrived (combined or not) and that none was lost.
/// `slowpagerank` without a combiner: its messages travel keyed, through a scratch file per superstep task.
let slowKeyedPageRank: PregelJob<Double, Unweighted, Double> = {
    var job = slowPageRank
    job.name = "slowpagerank-keyed"
    job.summary = "Test only: slowpagerank without a combiner (keyed messages in scratch files)"
    job.combiner = nil
    return job
}()

func inboxTest(name: String, combine: Bool) -> PregelJob<Double, Unweighted, Double> {
    let sum: @Sendable (inout Double, Double) -> Void = { total, next in total += next }
    let compute: @Sendable (VertexContext<Double, Unweighted, Double>, [Double]) -> Void = { vertex, messages in
        if vertex.superstep == 0 {
            vertex.sendToAllNeighbors(1)
        } else {
            vertex.value = Double(messages.count) * 1_000_000 + messages.reduce(0, +)
        }
        vertex.voteToHalt()
    }
    let initial: @Sendable (Int64, Int, Int) -> Double = { _, _, _ in 0 }
    return PregelJob<Double, Unweighted, Double>(
        name: name, summary: "Test only: messages received per vertex (" + (combine ? "with" : "without") + " a combiner)",
        edgeValue: { _ in Unweighted() },
        makeInitialValue: { _ in initial },
        makeCompute: { _ in compute },
        combine: combine ? sum : nil)
}

/// A Pregel job that contributes to an aggregator it does not declare: its tasks fail with a sentence.
let pregelBadAggregator = PregelJob<Double, Unweighted, Double>(
    name: "pregel-badaggregator", summary: "Test only: a vertex uses an undeclared aggregator",
    edgeValue: { _ in Unweighted() }, makeInitialValue: { _ in { _, _, _ in 0 } },
    makeCompute: { _ in
        { vertex, _ in
            vertex.aggregate("counted", 1)
            vertex.aggregate("undeclared", 1)
            vertex.voteToHalt()
        }
    },
    aggregators: [.count("counted")])
