// BSP jobs of the multi-process tests: a slowed job, delivery order, master compute and aggregators.
import Spindle
import SpindleCore
import SpindleJobs
import SpindlePosix
import SpindleTools

/// `bsp-components` whose every superstep task first waits `delay`, so tests can kill workers at a chosen superstep.
let slowBSPComponents: BSPJob<ComponentsPartition, Pair<Int64, Int64>> = {
    var job = BSPComponents.definition
    job.name = "slowbspcomponents"
    job.summary = "Test only: bsp-components with a pause in every superstep task"
    job.parameters.append(JobParameter("delay", .duration, default: "300ms", help: "pause per superstep task"))
    let inner = job.makeCompute
    job.makeCompute = { parameters in
        let compute = try inner(parameters)
        let delay = parameters.duration("delay")
        return { state, messages, context in
            MonotonicClock.sleep(delay)
            try compute(&state, messages, context)
        }
    }
    return job
}()

/// What a `bsporder` partition checked: messages from the loaders and from other partitions, and how many of
/// them were not the ones expected at their place in the documented delivery order.
struct OrderState: WireCodable, Sendable {
    var loaded = 0
    var loadErrors = 0
    var received = 0
    var orderErrors = 0

    init() {}
    func encode(to w: inout WireWriter) { w.write(loaded); w.write(loadErrors); w.write(received); w.write(orderErrors) }
    init(from r: inout WireReader) throws {
        loaded = try r.read(Int.self); loadErrors = try r.read(Int.self); received = try r.read(Int.self); orderErrors = try r.read(Int.self)
    }
}

/// Delivery order and exactly-once delivery of the BSP API. Input: one integer per line, ascending. The loader
/// sends `(v, 0)` to partition `v % P` and `(v, 1)` to `(v + 1) % P`; each partition checks that what it gets
/// ascends (input order, then send order) and belongs to it. In superstep s < rounds every partition p sends
/// `(p, code(s, q, k))` for k in 0..<messages to every partition q, destinations interleaved; in superstep s + 1
/// each partition checks that its inbox is exactly those, ordered by sender, then k. Every partition votes to
/// halt in every superstep: only messages wake it. Output: `p<TAB>loaded<TAB>loadErrors<TAB>received<TAB>orderErrors`.
let bspOrder = BSPJob<OrderState, Pair<Int64, Int64>>(
    name: "bsporder", summary: "Test only: BSP delivery order and exactly-once delivery",
    parameters: [
        JobParameter("rounds", .int(0...100), default: "3", help: "supersteps that send"),
        JobParameter("messages", .int(0...1_000_000), default: "1000", help: "messages per destination per superstep"),
    ],
    makeLoad: { _ in
        { record, loader in
            guard let v = Int64(record.text) else {
                loader.send(toPartition: 0, Pair(-1, -1))  // dropped with the line: the check in makeState would count it
                throw MalformedRecord("'\(record.text)' is not an integer")
            }
            let p = loader.partitionCount
            loader.send(toPartition: Int(v % Int64(p)), Pair(v, 0))
            loader.send(toPartition: Int((v + 1) % Int64(p)), Pair(v, 1))
        }
    },
    makeState: { _ in
        { partition, count, messages in
            var state = OrderState()
            var last: Pair<Int64, Int64>?
            for m in messages {
                let destination = Int((m.first + m.second) % Int64(count))
                if destination != partition || (last.map { !($0 < m) } ?? false) { state.loadErrors += 1 }
                last = m
                state.loaded += 1
            }
            return state
        }
    },
    makeCompute: { parameters in
        let rounds = parameters.int("rounds")
        let perDestination = parameters.int("messages")
        func code(_ s: Int, _ q: Int, _ k: Int) -> Int64 { Int64(s) << 40 | Int64(q) << 20 | Int64(k) }
        return { state, inbox, context in
            let (s, p, count) = (context.superstep, context.partition, context.partitionCount)
            var received = 0
            var errors = 0
            if s > 0 {
                var expected = (0..<count).lazy.flatMap { sender in (0..<perDestination).lazy.map { Pair(Int64(sender), code(s - 1, p, $0)) } }.makeIterator()
                for m in inbox {
                    received += 1
                    if expected.next() != m { errors += 1 }
                }
                if expected.next() != nil { errors += 1 }
            }
            if s < rounds {
                for k in 0..<perDestination {
                    for q in 0..<count { context.send(toPartition: q, Pair(Int64(p), code(s, q, k))) }
                }
            }
            state.received += received
            state.orderErrors += errors
            context.aggregate("received", Double(received))
            context.aggregate(1, Double(errors))
            context.voteToHalt()
        }
    },
    makeOutput: { _ in
        { state, output in
            try output.write("\(output.partition)", "\(state.loaded)", "\(state.loadErrors)", "\(state.received)", "\(state.orderErrors)")
        }
    },
    aggregators: [.sum("received"), .sum("errors")])

/// What a `bspmaster` partition saw of master compute and the aggregators.
struct MasterState: WireCodable, Sendable {
    var acc = 0.0
    var partitionsSeen = 0.0
    var errors = 0

    init() {}
    func encode(to w: inout WireWriter) { w.write(acc); w.write(partitionsSeen); w.write(errors) }
    init(from r: inout WireReader) throws { acc = try r.read(Double.self); partitionsSeen = try r.read(Double.self); errors = try r.read(Int.self) }
}

/// Master compute keeps a running sum in a global and halts after superstep 7 (no partition ever votes to
/// halt); partitions copy the global and feed sum, min and max aggregators with their index, and check the
/// previous superstep's fold. Every partition ends with acc = 1 + 2 + ... + 7 = 28.
/// Output: `p<TAB>acc<TAB>partitionsSeen<TAB>errors`.
let bspMaster = BSPJob<MasterState, Int64>(
    name: "bspmaster", summary: "Test only: BSP aggregators, master compute and halting",
    parameters: [JobParameter("delay", .duration, default: "0s", help: "pause per superstep task")],
    makeLoad: { _ in { _, _ in } },
    makeState: { _ in { _, _, _ in MasterState() } },
    makeCompute: { parameters in
        let delay = parameters.duration("delay")
        return { state, _, context in
            MonotonicClock.sleep(delay)
            let s = context.superstep
            let partitions = Double(context.partitionCount)
            let expected = s == 0 ? (0.0, Double.infinity, -Double.infinity) : (partitions, 0, partitions - 1)
            if (context.aggregated("one"), context.aggregated(1), context.aggregated("largest")) != expected { state.errors += 1 }
            state.acc = context.global("acc") ?? 0
            state.partitionsSeen = context.global("partitions") ?? 0
            context.aggregate("one", 1)
            context.aggregate("smallest", Double(context.partition))
            context.aggregate(2, Double(context.partition))
        }
    },
    makeOutput: { _ in
        { state, output in try output.write("\(output.partition)", "\(state.acc)", "\(state.partitionsSeen)", "\(state.errors)") }
    },
    aggregators: [.sum("one"), .min("smallest"), .max("largest")],
    makeMasterCompute: { _ in
        { master in
            master.globals["acc", default: 0] += Double(master.superstep + 1)
            master.globals["partitions"] = Double(master.totalVertices)
            if master.activeVertices != master.totalVertices { master.globals["acc"] = -1000 }
            if master.superstep == 7 { master.halt = true }
        }
    })

// The example of README.md's "Writing a BSP job", verbatim.
/// How many lines have each length, and their share of all lines. Partition `length % P` owns a length.
let lineLengths = BSPJob<Pair<[Int64], Int64>, Int64>(     // State: (lengths, total lines); Message: Int64
    name: "line-lengths", summary: "How many lines have each length",
    load: { record, loader in                              // once per input line
        let length = Int64(record.bytes.count)
        loader.send(toPartition: Int(length % Int64(loader.partitionCount)), length)
    },
    makeState: { _, _, lengths in Pair(lengths.sorted(), 0) },  // once per partition, from what it was sent
    compute: { state, inbox, context in                    // once per superstep per active partition
        if context.superstep == 0 {                        // tell every partition how many lines I hold
            for q in 0..<context.partitionCount { context.send(toPartition: q, Int64(state.first.count)) }
        } else {
            state.second = inbox.reduce(0, +)              // every partition's count
        }
        context.aggregate("longest", Double(state.first.last ?? 0))  // _SUCCESS shows the last superstep's fold
        context.voteToHalt()                               // a message wakes the partition up again
    },
    output: { state, output in                             // `length<TAB>lines<TAB>share` per length
        var counts: [Int64: Int64] = [:]
        for length in state.first { counts[length, default: 0] += 1 }
        for (length, n) in counts.sorted(by: { $0.key < $1.key }) {
            try output.write(String(length), String(n), String(Double(n) / Double(state.second)))
        }
    },
    aggregators: [.max("longest")])

/// A BSP job that reads an aggregator it does not declare: its tasks fail with a sentence.
let bspBadAggregator = BSPJob<Int64, Int64>(
    name: "bsp-badaggregator", summary: "Test only: a partition reads an undeclared aggregator",
    load: { _, _ in }, makeState: { _, _, _ in 0 },
    compute: { state, _, context in
        state = Int64(context.aggregated("undeclared").isNaN ? 1 : 0)
        context.voteToHalt()
    },
    output: { state, output in try output.write(Int64(output.partition), state) },
    aggregators: [.sum("counted")])
