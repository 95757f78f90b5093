// Jobs used only by the multi-process tests: failures injected into map and reduce calls, invocation
// counting with marker files, and timing records that show parallelism (after the MIT 6.5840 lab tests).
// Built as its own executable on top of the public Spindle API, as a user's own package would be.
import Foundation
import Spindle
import SpindleCore
import SpindleJobs
import SpindleTools


/// Word count, with a share of its map and reduce tasks crashing the worker process or stalling.
let crashTest = MapReduceJob<ByteString, Int>(
    name: "crashtest", summary: "Test only: word count whose tasks crash or stall at random",
    parameters: [
        JobParameter("crash-rate", .double, default: "0.3", help: "share of tasks whose worker exits mid-task"),
        JobParameter("stall-rate", .double, default: "0.2", help: "share of tasks that stall"),
        JobParameter("stall", .duration, default: "3s", help: "how long a stall lasts"),
        JobParameter("reduce-delay", .duration, default: "0s", help: "how long every reduce task waits before starting"),
        JobParameter("crash-dir", .string, default: "", help: "with max-crashes: where crash tickets are claimed"),
        JobParameter("max-crashes", .int(-1...1000), default: "-1", help: "crashes allowed in the whole job (-1: no limit)"),
    ],
    makeMap: { parameters in
        let fault = Fault(parameters)
        let tokenizer = WordTokenizer(lowercase: false)
        return { record, output in
            fault.step()
            tokenizer.forEachWord(in: record.bytes) { output.emit(keyBytes: $0, 1) }
        }
    },
    combine: { $0 += $1 },
    makeReduce: { parameters in
        let fault = Fault(parameters)
        let delay = parameters.duration("reduce-delay")
        Thread.sleep(forTimeInterval: Double(delay.components.seconds) + Double(delay.components.attoseconds) / 1e18)
        return { word, counts, output in
            fault.step()
            var total = 0
            for c in counts { total += c }
            try output.write(word, total)
        }
    })

/// Decides once per task whether (and after how many calls) it crashes or stalls.
final class Fault: @unchecked Sendable {  // Used by one task thread only.
    private var calls = 0
    private let crashAt: Int?
    private let stallAt: Int?
    private let stall: Duration
    private let crashDir: String
    private let maxCrashes: Int

    init(_ parameters: JobParameters) {
        crashDir = parameters.string("crash-dir")
        maxCrashes = parameters.int("max-crashes")
        var rng = SystemRandomNumberGenerator()
        crashAt = Double.random(in: 0..<1, using: &rng) < parameters.double("crash-rate") ? Int.random(in: 0..<40, using: &rng) : nil
        stallAt = Double.random(in: 0..<1, using: &rng) < parameters.double("stall-rate") ? Int.random(in: 0..<40, using: &rng) : nil
        stall = parameters.duration("stall")
    }

    func step() {
        if calls == crashAt && mayCrash() { exit(1) }  // The worker dies mid-task.
        if calls == stallAt { Thread.sleep(forTimeInterval: Double(stall.components.seconds) + Double(stall.components.attoseconds) / 1e18) }
        calls += 1
    }

    /// Claims one of the job's crash tickets (files created exclusively), so a job's crashes are bounded
    /// and it converges even though every crash loses the map outputs its worker held.
    private func mayCrash() -> Bool {
        guard maxCrashes >= 0 else { return true }
        for i in 0..<maxCrashes {
            let fd = open("\(crashDir)/crash-\(i)", O_CREAT | O_EXCL | O_WRONLY, 0o644)
            if fd >= 0 {
                close(fd)
                return true
            }
        }
        return false
    }
}

/// Word count whose reduce of the word `poison` fails, but only once another reduce partition has committed
/// a part file in `watch` (the job's output directory; it gives up waiting after 60 s): a job that fails with
/// part of its output already committed. Touches `watch`/../committed-seen when it saw a part file.
let failReduce = MapReduceJob<ByteString, Int>(
    name: "failreduce", summary: "Test only: word count whose reduce of 'poison' fails after other parts committed",
    parameters: [JobParameter("watch", .string, default: nil, help: "the output directory to watch for part files")],
    makeMap: { _ in
        let tokenizer = WordTokenizer(lowercase: false)
        return { record, output in tokenizer.forEachWord(in: record.bytes) { output.emit(keyBytes: $0, 1) } }
    },
    combine: { $0 += $1 },
    makeReduce: { parameters in
        let watch = parameters.string("watch")
        return { word, counts, output in
            if word == ByteString("poison") {
                let deadline = Date().addingTimeInterval(60)
                while Date() < deadline {
                    let names = (try? FileManager.default.contentsOfDirectory(atPath: watch)) ?? []
                    if names.contains(where: { $0.hasPrefix("part-") }) {
                        _ = FileManager.default.createFile(atPath: watch + "/../committed-seen", contents: nil)
                        break
                    }
                    Thread.sleep(forTimeInterval: 0.02)
                }
                throw PoisonError()
            }
            var total = 0
            for c in counts { total += c }
            try output.write(word, total)
        }
    })

struct PoisonError: Error, CustomStringConvertible {
    var description: String { "the reduce of 'poison' fails on purpose" }
}

/// Word count that drops a marker file for every map and reduce task attempt it runs.
let jobCount = MapReduceJob<ByteString, Int>(
    name: "jobcount", summary: "Test only: word count that leaves a marker file per task attempt",
    parameters: [JobParameter("dir", .string, default: nil, help: "directory for marker files")],
    makeMap: { parameters in
        Marker(dir: parameters.string("dir"), kind: "map").drop()
        let tokenizer = WordTokenizer(lowercase: false)
        return { record, output in
            tokenizer.forEachWord(in: record.bytes) { output.emit(keyBytes: $0, 1) }
        }
    },
    combine: { $0 += $1 },
    makeReduce: { parameters in
        Marker(dir: parameters.string("dir"), kind: "reduce").drop()
        return { word, counts, output in
            var total = 0
            for c in counts { total += c }
            try output.write(word, total)
        }
    })

struct Marker {
    let dir: String
    let kind: String
    func drop() {
        let name = "\(dir)/\(kind)-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)"
        _ = FileManager.default.createFile(atPath: name, contents: nil)
    }
}

/// Every map and reduce task records its process id and start and end times (after sleeping 1 s).
let timing = MapReduceJob<ByteString, Int>(
    name: "timing", summary: "Test only: tasks record when and where they ran",
    parameters: [JobParameter("dir", .string, default: nil, help: "directory for timing records")],
    makeMap: { parameters in
        let dir = parameters.string("dir")
        var first = true
        return { record, output in
            if first {
                first = false
                recordTiming(dir: dir, kind: "map")
            }
            output.emit(keyBytes: record.bytes, 1)
        }
    },
    combine: { $0 += $1 },
    makeReduce: { parameters in
        recordTiming(dir: parameters.string("dir"), kind: "reduce")
        return { key, counts, output in
            var total = 0
            for c in counts { total += c }
            try output.write(key, total)
        }
    })

func recordTiming(dir: String, kind: String) {
    let start = Date().timeIntervalSince1970
    Thread.sleep(forTimeInterval: 1)
    let end = Date().timeIntervalSince1970
    let name = "\(dir)/\(kind)-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)"
    _ = FileManager.default.createFile(atPath: name, contents: Data("\(ProcessInfo.processInfo.processIdentifier) \(start) \(end)\n".utf8))
}

/// PageRank whose every superstep task first waits `delay`, so tests can kill workers at a chosen superstep.
let slowPageRank: PregelJob<Double, Unweighted, Double> = {
    var job = PageRank.definition
    job.name = "slowpagerank"
    job.summary = "Test only: PageRank with a pause in every superstep task"
    job.parameters.append(JobParameter("delay", .duration, default: "300ms", help: "pause per superstep task"))
    let inner = job.makeCompute
    job.makeCompute = { parameters in
        let compute = try inner(parameters)
        let delay = parameters.duration("delay")
        var paused = false
        return { vertex, messages in
            if !paused {
                paused = true
                Thread.sleep(forTimeInterval: Double(delay.components.seconds) + Double(delay.components.attoseconds) / 1e18)
            }
            compute(vertex, messages)
        }
    }
    return job
}()

/// `job` renamed `name`, whose every superstep task first waits `delay`, so tests can kill workers at a chosen
/// superstep (confined recovery tests of the built-in graph jobs).
func slowed<V, E, M>(_ definition: PregelJob<V, E, M>, name: String) -> PregelJob<V, E, M> {
    var job = definition
    job.name = name
    job.summary = "Test only: \(definition.name) with a pause in every superstep task"
    job.parameters.append(JobParameter("delay", .duration, default: "150ms", help: "pause per superstep task"))
    let inner = job.makeCompute
    job.makeCompute = { parameters in
        let compute = try inner(parameters)
        let delay = parameters.duration("delay")
        var paused = false
        return { vertex, messages in
            if !paused {
                paused = true
                Thread.sleep(forTimeInterval: Double(delay.components.seconds) + Double(delay.components.attoseconds) / 1e18)
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
                Thread.sleep(forTimeInterval: Double(delay.components.seconds) + Double(delay.components.attoseconds) / 1e18)
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
            Thread.sleep(forTimeInterval: Double(delay.components.seconds) + Double(delay.components.attoseconds) / 1e18)
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
            Thread.sleep(forTimeInterval: Double(delay.components.seconds) + Double(delay.components.attoseconds) / 1e18)
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

/// Word count whose every map call throws: the job always fails, and its workers stay alive to say so.
let alwaysFails = MapReduceJob<ByteString, Int>(
    name: "alwaysfails", summary: "Test only: every map task fails with an error",
    map: { _, _ in throw InjectedFailure() }, reduce: nil)

/// A total-order sort whose map throws on every line: the coordinator's key sampling, which runs the map on
/// sampled lines to plan the partition ranges, fails before any task starts.
let sortFails = MapReduceJob<ByteString, Int>(
    name: "sortfails", summary: "Test only: total-order sort whose map fails, so sampling fails",
    partitioning: .totalOrder(samples: 100),
    map: { _, _ in throw InjectedFailure() },
    reduce: { _, _, _ in })

struct InjectedFailure: Error, CustomStringConvertible {
    var description: String { "an injected failure of the alwaysfails test job" }
}

// A benchmark tool rather than a job: `spindle-testjobs inflate FILE.gz...`.
if CommandLine.arguments.count > 2 && CommandLine.arguments[1] == "inflate" {
    exit(InflateBench.run(Array(CommandLine.arguments.dropFirst(2))))
}
if CommandLine.arguments.count > 1 && CommandLine.arguments[1] == "loadtest" {
    exit(LoadTestCommand.run(Array(CommandLine.arguments.dropFirst(2))))
}

Spindle.main(
    jobs: BuiltinJobs.all + [
        alwaysFails.job, crashTest.job, jobCount.job, failReduce.job, timing.job, slowPageRank.job, masterTest.job,
        inboxTest(name: "combinertest", combine: true).job, inboxTest(name: "nocombinertest", combine: false).job,
        slowBSPComponents.job, bspOrder.job, bspMaster.job, lineLengths.job, pregelBadAggregator.job, bspBadAggregator.job, slowKeyedPageRank.job, sortFails.job,
        slowed(ConnectedComponents.definition, name: "slowcomponents").job, slowed(ShortestPaths.definition, name: "slowsssp").job,
        NoopEngine.job,
    ])
